"""Quotes: direct quotations in a body and who said them, by cheap rules (no parser).

A quotation is text between curly (“...”) or straight ("...") double quotes of at least
MIN_WORDS words. Its speaker is looked for in the same paragraph (sentence splits inside quotes
are unreliable), first after the quote ("..., Peskov told reporters", "..., said Naumkin"), then
before it ("Lavrov said: “...”", "according to Lavrov"): the nearest person mention with a speech
verb within SPEECH_WINDOW characters (a person before an organisation). A pronoun with a speech
verb next to the quote ("he said", "she was quoted as saying", "He added that “...”") is the
nearest person mentioned before the quote. Failing that, the newsroom's conventions: a quote in a
paragraph whose earlier quote has a speaker is that speaker's ("“...,” said Naumkin. “...”"), and
a paragraph that is only a quote continues the previous paragraph's speaker (its attributed
quote, or the person who "said" something in it). A quote with no speaker is kept with None:
an unnamed source ("the diplomat told Reuters") is not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_WORDS = 4
SPEECH_WINDOW = 60
QUOTATION = re.compile(r"“(?P<curly>[^“”]+)”|\"(?P<straight>[^\"\n]+)\"")
SPEECH_VERB = re.compile(
    r"\b(?:said|says|saying|told|tells|added|adding|asked|warned|noted|stated|wrote|writes|declared|"
    r"explained|insisted|stressed|emphasi[sz]ed|acknowledged|according to|quoted|as saying|replied|"
    r"responded|argued|announced|claimed|commented|continued|recalled|urged|conceded|admitted|"
    r"predicted|tweeted|posted|remarked)\b", re.IGNORECASE)
# Verbs that may stand between a quote and its speaker named after them ("...," said Naumkin);
# "told" is not one: in "...," the diplomat told Reuters, Reuters is the listener.
VERB_BEFORE_SPEAKER = re.compile(r"\b(?:said|says|added|asked|quoted|according to|wrote|warned|replied|"
                                 r"continued|explained|insisted)\b", re.IGNORECASE)
SPEAKER_GAP_WORDS = 2
PRONOUN_VERBS = r"(?:said|says|told|added|adding|asked|warned|noted|wrote|stressed|replied|was quoted as saying)"
PRONOUN_SPEECH = re.compile(rf"^\W*(?:he|she)\s+{PRONOUN_VERBS}\b", re.IGNORECASE)
PRONOUN_SPEECH_BEFORE = re.compile(rf"\b(?:he|she)\s+{PRONOUN_VERBS}\b[^.“”\"]*$", re.IGNORECASE)
OPENING_MARKS = "“\""
VERB_ENDS = re.compile(r"\b(?:said|says|added|asked|replied)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Person:
    """A possible speaker (person, or an organisation or unresolved name): offsets into the body,
    canonical name and per-article key."""

    start: int
    end: int
    name: str
    key: str


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_key: str | None


def quotations(body: str) -> list[tuple[int, int, str]]:
    """(start, end, text) inside the quote marks of each quotation long enough to be a statement."""
    found = []
    for match in QUOTATION.finditer(body):
        group = "curly" if match.group("curly") is not None else "straight"
        if len(match.group(group).split()) >= MIN_WORDS:
            found.append((match.start(group), match.end(group), match.group(group)))
    return found


def paragraph_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the paragraph around body[start:end]; the speaker is named within it."""
    floor = body.rfind("\n", 0, start) + 1
    limit = body.find("\n", end)
    return floor, len(body) if limit < 0 else limit


def speaker_after(body: str, end: int, limit: int, people: list[Person]) -> Person | None:
    """The first speaker named after the quote: "said X", or "X told/said" right after it."""
    for person in people:
        if end <= person.start < min(limit, end + SPEECH_WINDOW):
            gap, tail = body[end + 1:person.start], body[person.end:min(limit, person.end + SPEECH_WINDOW)]
            if VERB_BEFORE_SPEAKER.search(gap) or (len(gap.split()) <= SPEAKER_GAP_WORDS and SPEECH_VERB.search(tail)):
                return person
    return None


def speaker_before(body: str, start: int, floor: int, people: list[Person]) -> Person | None:
    """The nearest person in the paragraph before the quote with a speech verb between them, or
    right before the person ("said Naumkin. “...”"); a person before an organisation."""
    for person in sorted(people, key=lambda p: (not p.key.startswith("PERSON:"), -p.start)):
        if floor <= person.start and person.end <= start:
            if SPEECH_VERB.search(body[person.end:start]) or VERB_ENDS.search(body[floor:person.start]):
                return person
    return None


def unrecognised_mentions(body: str, end: int, limit: int, people: list[Person]) -> list[Person]:
    """Names of the article's people found again as plain text after the quote: the NER often
    misses a name it found elsewhere ("..., de Mistura said." after an earlier "de Mistura")."""
    window = body[end:min(limit, end + SPEECH_WINDOW)]
    found = []
    for person in people:
        alias = body[person.start:person.end]
        for match in re.finditer(rf"\b{re.escape(alias)}\b", window):
            found.append(Person(end + match.start(), end + match.end(), person.name, person.key))
    return sorted(found, key=lambda p: p.start)


def nearest_before(start: int, people: list[Person]) -> Person | None:
    earlier = [p for p in people if p.end <= start and p.key.startswith("PERSON:")]
    return earlier[-1] if earlier else None


def find_speaker(body: str, start: int, end: int, people: list[Person]) -> Person | None:
    """Who said the quotation at body[start:end], by the rules in the module docstring; after the
    quote a person is preferred to other entities ("RIA quoted ... Konashenkov as saying")."""
    floor, limit = paragraph_bounds(body, start, end)
    if PRONOUN_SPEECH.match(body[end + 1:min(limit, end + 40)]):
        return nearest_before(start, people)
    if pronoun := PRONOUN_SPEECH_BEFORE.search(body[floor:start]):
        return nearest_before(floor + pronoun.start(), people)
    persons = [p for p in people if p.key.startswith("PERSON:")]
    others = [p for p in people if not p.key.startswith("PERSON:")]
    return (speaker_after(body, end, limit, persons) or speaker_before(body, start, floor, people)
            or speaker_after(body, end, limit, others)
            or speaker_after(body, end, limit, unrecognised_mentions(body, end, limit, people)))


def quote_only(body: str, start: int, end: int) -> bool:
    """The quotation is its paragraph's whole text (a paragraph continuing an earlier speaker's)."""
    floor, limit = paragraph_bounds(body, start, end)
    return not body[floor:start].strip(" " + OPENING_MARKS) and len(body[end:limit].strip(" .,”\"")) == 0


def previous_paragraph(body: str, floor: int) -> tuple[int, int]:
    """Start and end of the non-blank paragraph before the one starting at ``floor``."""
    end = len(body[:floor].rstrip())
    return body.rfind("\n", 0, end) + 1, end


def paragraph_speaker(body: str, bounds: tuple[int, int], people: list[Person]) -> Person | None:
    """The first person who says something in the paragraph ("Putin said security forces ...")."""
    for person in people:
        if bounds[0] <= person.start < bounds[1] and person.key.startswith("PERSON:") \
                and SPEECH_VERB.match(body[person.end:person.end + 30].lstrip(" ,")):
            return person
    return None


def conventional_speaker(body: str, start: int, end: int, earlier: list[tuple[int, Person | None]],
                         people: list[Person]) -> Person | None:
    """The speaker newsroom convention gives an unattributed quote (module docstring)."""
    floor, _ = paragraph_bounds(body, start, end)
    same = [speaker for quote_start, speaker in earlier if quote_start >= floor and speaker]
    if same:
        return same[-1]
    if not quote_only(body, start, end) or floor == 0:
        return None
    bounds = previous_paragraph(body, floor)
    quoted = [speaker for quote_start, speaker in earlier if bounds[0] <= quote_start < bounds[1]]
    return quoted[-1] if quoted else paragraph_speaker(body, bounds, people)


def find_quotes(body: str, people: list[Person]) -> list[Quote]:
    """Every quotation of ``body`` with its speaker (or None); people sorted by offset."""
    quotes, earlier = [], []
    for start, end, text in quotations(body):
        speaker = find_speaker(body, start, end, people) or conventional_speaker(body, start, end, earlier, people)
        earlier.append((start, speaker))
        quotes.append(Quote(start, end, text, speaker and speaker.name, speaker and speaker.key))
    return quotes
