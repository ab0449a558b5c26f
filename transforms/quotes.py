"""Quotes: direct quotations in a body and who said them, by cheap rules (no parser).

A quotation is text between curly (“...”) or straight ("...") double quotes of at least
``QuoteSettings.min_words`` words. Its speaker is looked for in the same paragraph (sentence splits inside quotes
are unreliable), first after the quote ("..., Peskov told reporters", "..., said Naumkin"), then
before it ("Lavrov said: “...”", "according to Lavrov"): the nearest person mention with a speech
verb within ``speech_window`` characters (a person before an organisation). A pronoun with a speech
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

from transforms.resolve import titles

# A closed quotation: curly marks, or straight marks with no space just inside them (so the text
# between one quote's end and the next one's start is never taken); it may run over line breaks
# (hard-wrapped wire text). An open one: its paragraph ends unclosed and the next paragraph opens
# a quote, the newsroom's way of continuing a quotation over paragraphs.
QUOTATION = re.compile(
    r"“(?P<curly>[^“”]+)”|“(?P<curly_open>[^“”\n]+)(?=\n\s*“)"
    r"|\"(?P<straight>[^\"\s](?:[^\"]{0,2000}[^\"\s])?)\"|\"(?P<straight_open>[^\"\n]+)(?=\n\s*\")")
SPEECH_VERB = re.compile(
    r"\b(?:said|says|saying|told|tells|added|adding|asked|warned|noted|stated|wrote|writes|declared|"
    r"explained|insisted|stressed|emphasi[sz]ed|acknowledged|according to|quoted|as saying|replied|"
    r"responded|argued|announced|claimed|commented|continued|recalled|urged|conceded|admitted|"
    r"predicted|tweeted|posted|remarked|repeated|reiterated|termed|described)\b", re.IGNORECASE)
# Verbs that may stand between a quote and its speaker named after them ("...," said Naumkin);
# "told" is not one: in "...," the diplomat told Reuters, Reuters is the listener.
VERB_BEFORE_SPEAKER = re.compile(r"\b(?:said|says|added|asked|quoted|according to|wrote|warned|replied|"
                                 r"continued|explained|insisted)\b", re.IGNORECASE)
PRONOUN_VERBS = r"(?:said|says|told|added|adding|asked|warned|noted|wrote|stressed|replied|was quoted as saying)"
PRONOUN_SPEECH = re.compile(rf"^\W*(?:he|she)\s+{PRONOUN_VERBS}\b", re.IGNORECASE)
PRONOUN_SPEECH_BEFORE = re.compile(
    rf"\b(?:(?:he|she)\s+{PRONOUN_VERBS}|quoted (?:him|her) as saying)\b(?:(?:[^.“”\"]|(?<=[A-Z])\.)*|[.,:]\s*)$",
    re.IGNORECASE)
APPOSITION = re.compile(r"\s*,[^,.;“”\"]{1,80},")
UNNAMED_SUBJECT = re.compile(r"\W*(?:One|A|An|Another|The)\s+[a-z]")
NOMINAL_SPEECH = re.compile(
    r"^\W*(?:the|a|an)\s+(?:[\w.-]+\s+){0,3}?(?P<who>spokesman|spokeswoman|spokesperson|statement|report|company)"
    r"\s+(?:said|says|added|told)\b", re.IGNORECASE)
OPENING_MARKS = "“\""
SENTENCE_ENDS = ".!?"
CLOSING_MARKS = ("\"", "”", "’")
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


@dataclass(frozen=True)
class QuoteSettings:
    """The tuning knobs of attribution (the ``news_quotes`` component's config)."""

    min_words: int = 4  # words a quotation needs to be a statement
    speech_window: int = 60  # characters after a quote (or a name) its speaker or speech verb is looked for
    speaker_gap_words: int = 2  # lower-case words allowed between a quote and its speaker
    pronoun_reach: int = 1500  # characters back a pronoun's speaker is looked for among people who spoke


def quotations(body: str, settings: QuoteSettings) -> list[tuple[int, int, str, bool]]:
    """(start, end, text, continued in the next paragraph) inside the quote marks of each
    quotation long enough to be a statement."""
    found = []
    for match in QUOTATION.finditer(body):
        group = next(name for name, text in match.groupdict().items() if text is not None)
        text = match.group(group).rstrip()
        if len(text.split()) >= settings.min_words:
            start = match.start(group)
            found.append((start, start + len(text), text, group.endswith("_open")))
    return found


def ends_paragraph(body: str, newline: int) -> bool:
    """A line break ends a paragraph when the text before it ends a sentence; hard-wrapped text
    (a wire's fixed-width lines) breaks lines in mid-sentence."""
    before = body[max(0, newline - 8):newline].rstrip()
    if before[-1:] in CLOSING_MARKS:
        return before[-2:-1] in SENTENCE_ENDS  # ".”" ends a sentence, ",”" does not
    return not before or before[-1] in SENTENCE_ENDS + ":)]"


def paragraph_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the paragraph around body[start:end]; the speaker is named within it."""
    floor = body.rfind("\n", 0, start)
    while floor >= 0 and not ends_paragraph(body, floor):
        floor = body.rfind("\n", 0, floor)
    limit = body.find("\n", end)
    while limit >= 0 and not ends_paragraph(body, limit):
        limit = body.find("\n", limit + 1)
    return floor + 1, len(body) if limit < 0 else limit


def is_person(person: Person) -> bool:
    return person.key.startswith("PERSON:")


def speaks(body: str, person: Person) -> bool:
    """The name is the subject of a speech verb right after it, maybe past an apposition
    ("Peskov said", "De Mistura, asked", "Maria Zakharova, a spokeswoman, said")."""
    after = body[person.end:person.end + 120]
    apposition = APPOSITION.match(after)
    return bool(SPEECH_VERB.match(after[apposition.end() if apposition else 0:].lstrip(" ,")))


def speaker_after(body: str, end: int, limit: int, people: list[Person], settings: QuoteSettings) -> Person | None:
    """The speaker named after the quote: "X said" right after it first, then "said X", then a
    name with a speech verb soon after it ("..., defence minister Gavin Williamson, ... was quoted")."""
    near = [p for p in people if end <= p.start < min(limit, end + settings.speech_window)]
    for person in near:
        if gap_words(body[end + 1:person.start]) <= settings.speaker_gap_words and speaks(body, person):
            return person
    for person in near:
        gap, tail = body[end + 1:person.start], body[person.end:min(limit, person.end + settings.speech_window)]
        if VERB_BEFORE_SPEAKER.search(gap) or (gap_words(gap) <= settings.speaker_gap_words and SPEECH_VERB.search(tail)):
            return person
    return None


def gap_words(text: str) -> int:
    """Words between a quote and a name that are neither capitalised nor a title: "Belgian Finance
    Minister" and "oil analyst" stand before a name, "the diplomat told" does not."""
    return sum(1 for word in re.findall(r"[\w'’-]+", text) if word[:1].islower() and word not in titles())


def speaker_before(body: str, start: int, floor: int, people: list[Person]) -> Person | None:
    """The nearest name in the paragraph before the quote that speaks ("Lavrov emphasised the need
    to “...”"), else the nearest person with a speech verb between them or right before the
    person ("said Naumkin. “...”"); a person before an organisation."""
    before = sorted((p for p in people if floor <= p.start and p.end <= start), key=lambda p: -p.start)
    persons = [p for p in before if is_person(p)]
    return (next((p for p in persons if speaks(body, p)), None)
            or next((p for p in persons if SPEECH_VERB.search(body[p.end:start]) or VERB_ENDS.search(body[floor:p.start])), None)
            or next((p for p in before if speaks(body, p)), None))


def unrecognised_mentions(body: str, end: int, limit: int, people: list[Person], window: int) -> list[Person]:
    """Names of the article's people found again as plain text after the quote: the NER often
    misses a name it found elsewhere ("..., de Mistura said." after an earlier "de Mistura")."""
    after = body[end:min(limit, end + window)]
    found = []
    for person in people:
        alias = body[person.start:person.end]
        for match in re.finditer(rf"\b{re.escape(alias)}\b", after):
            found.append(Person(end + match.start(), end + match.end(), person.name, person.key))
    return sorted(found, key=lambda p: p.start)


def nearest_before(body: str, start: int, people: list[Person], reach: int) -> Person | None:
    """The person a pronoun before ``start`` stands for: the nearest person who spoke before it
    ("Ongpin said ... “...,” he said"), else the nearest person."""
    floor, _ = paragraph_bounds(body, start, start)
    earlier = [p for p in people if p.end <= start and is_person(p)]
    if UNNAMED_SUBJECT.match(body[floor:start]) and not any(p.start >= floor for p in earlier):
        return None  # "One dealer ... noted ... “...,” he said": the pronoun is the unnamed dealer
    speaking = [p for p in earlier if speaks(body, p) and start - p.start <= reach]
    return speaking[-1] if speaking else earlier[-1] if earlier else None


def nominal_speaker(body: str, start: int, end: int, people: list[Person], window: int) -> Person | None:
    """For "..., the spokesman said" or "the statement said": the person or, failing one, the
    organisation that spoke last in this paragraph or the one before it (else the first one named
    there, the story's subject: "Schering is committed to its Maybelline unit")."""
    floor, limit = paragraph_bounds(body, start, end)
    nominal = NOMINAL_SPEECH.match(body[end + 1:min(limit, end + window)])
    if not nominal:
        return None
    reach = previous_paragraph(body, floor)[0] if floor else 0
    earlier = [p for p in people if reach <= p.start and p.end <= start]
    if nominal.group("who").startswith("spokes"):
        person = next((p for p in reversed(earlier) if is_person(p) and speaks(body, p)), None)
        if person:
            return person
    organisations = [p for p in earlier if p.key.startswith("ORG:")]
    return next((p for p in reversed(organisations) if speaks(body, p)), organisations[0] if organisations else None)


def find_speaker(body: str, start: int, end: int, people: list[Person],
                 earlier: list[tuple[int, Person | None]], settings: QuoteSettings) -> Person | None:
    """Who said the quotation at body[start:end], by the rules in the module docstring; after the
    quote a person is preferred to other entities ("RIA quoted ... Konashenkov as saying")."""
    floor, limit = paragraph_bounds(body, start, end)
    if PRONOUN_SPEECH.match(body[end + 1:min(limit, end + 40)]):
        return nearest_before(body, start, people, settings.pronoun_reach)
    if pronoun := PRONOUN_SPEECH_BEFORE.search(body[floor:start - 1]):
        return nearest_before(body, floor + pronoun.start(), people, settings.pronoun_reach)
    persons = [p for p in people if is_person(p)]
    others = [p for p in people if not is_person(p)]
    same = [speaker for quote_start, speaker in earlier if quote_start >= floor and speaker]
    window = settings.speech_window
    return (speaker_after(body, end, limit, persons, settings) or (same[-1] if same else None)
            or speaker_before(body, start, floor, people)
            or speaker_after(body, end, limit, others, settings)
            or speaker_after(body, end, limit, unrecognised_mentions(body, end, limit, people, window), settings)
            or nominal_speaker(body, start, end, people, window))


def quote_only(body: str, start: int, end: int) -> bool:
    """The quotation is its paragraph's whole text (a paragraph continuing an earlier speaker's)."""
    floor, limit = paragraph_bounds(body, start, end)
    return not body[floor:start].strip(" " + OPENING_MARKS) and len(body[end:limit].strip(" .,”\"")) == 0


def previous_paragraph(body: str, floor: int) -> tuple[int, int]:
    """Start and end of the non-blank paragraph before the one starting at ``floor``."""
    end = len(body[:floor].rstrip())
    return paragraph_bounds(body, max(end - 1, 0), max(end - 1, 0))[0], end


def paragraph_speaker(body: str, bounds: tuple[int, int], people: list[Person]) -> Person | None:
    """The first person who says something in the paragraph ("Putin said security forces ...")."""
    for person in people:
        if bounds[0] <= person.start < bounds[1] and person.key.startswith("PERSON:") \
                and SPEECH_VERB.match(body[person.end:person.end + 30].lstrip(" ,")):
            return person
    return None


def conventional_speaker(body: str, start: int, end: int, earlier: list[tuple[int, Person | None]],
                         people: list[Person], reach: int) -> Person | None:
    """The speaker newsroom convention gives an unattributed quote (module docstring)."""
    floor, _ = paragraph_bounds(body, start, end)
    if not quote_only(body, start, end) or floor == 0:
        return None
    bounds = previous_paragraph(body, floor)
    quoted = [speaker for quote_start, speaker in earlier if bounds[0] <= quote_start < bounds[1]]
    if quoted:
        return quoted[-1]
    if PRONOUN_SPEECH.match(body[bounds[0]:bounds[1]]):  # "He said the response ..." / “...”
        return nearest_before(body, bounds[0], people, reach)
    return paragraph_speaker(body, bounds, people)


def find_quotes(body: str, people: list[Person], settings: QuoteSettings = QuoteSettings()) -> list[Quote]:
    """Every quotation of ``body`` with its speaker (or None); people sorted by offset. A quotation
    continued in the next paragraph is its continuation's when it names no speaker itself."""
    found, earlier = [], []
    for start, end, text, continued in quotations(body, settings):
        speaker = find_speaker(body, start, end, people, earlier, settings) \
            or conventional_speaker(body, start, end, earlier, people, settings.pronoun_reach)
        earlier.append((start, speaker))
        found.append([start, end, text, continued, speaker])
    for this, following in reversed(list(zip(found, found[1:]))):
        if this[3] and this[4] is None:
            this[4] = following[4]
    return [Quote(start, end, text, speaker and speaker.name, speaker and speaker.key)
            for start, end, text, _, speaker in found]
