"""Span hygiene: the NER's entity spans are proposals, cleaned before any name is resolved.

A proposal is ``(start, end, label)`` in token offsets. Cleaning, in order:
- metadata is not a mention of the story: spans in the opening dateline (``JERUSALEM (Reuters) –``,
  ``SALVADOR, Feb 26 -``), in a parenthesised agency credit, in the wire's closing signature
  (``... Reuter``), naming the agency those credit (``told Reuters`` in a Reuters story) or any
  agency at work (``told Reuters``, ``polled by Reuters``: the wire gathering news, not news), or
  in a credits line (``(Reporting by ...)``) are dropped, and so are spans inside a stock ticker
  (``<UNP>``, ``(NYSE: XON)``);
- no span crosses a line or paragraph break: at a paragraph's end it is cut into its parts; a name
  broken by a line wrapped inside a sentence keeps one part (a person's surname) as its mention,
  which still stands for the whole name;
- punctuation at a span's edges (``<Scan-Graphics Inc>``) and a possessive ending (``Kong's``)
  are no part of the name;
- a hyphenated modifier resolves to its name (``U.N.-led`` -> ``U.N.``) and two places joined by
  a hyphen to both (``U.S.-Russia`` -> ``U.S.``, ``Russia``);
- a name is kept whole: a leading particle (``de`` Mistura) joins it, and a company's legal form
  after it (``Texaco`` ``Inc``) joins it as an organisation (the tokenizer keeps ``al-Ja’afari``
  and ``O'Brien`` whole; a name cut where an upstream tool dropped the apostrophe, ``Bashar
  al-Ja afari``, joins its full spelling in the warehouse merge);
- a span holding a title before a name (``Plessey Managing Director David Dey``) is the part
  before the title and a person after it;
- a country glued to a name the story prints on its own (``Putin Iran``, ``Syria Staffan de
  Mistura``) is split in two;
- a span that is only a company form joins the name before it (``Merrill Lynch`` and ``Co``), or
  is dropped; ``Name and`` before a company with a legal form joins it (``Standard and Poor's
  Corp``); two spans cut at a wrapped line are one;
- a capitalised name ending in a legal form that the NER missed (``Acme Widget Corp``) is added,
  and so is an organisation's bracketed short form after its name (``... Corp (Citic)``);
- spans with no capital letter (``congress``), lone generic words (``Defence``) and the label of
  a table row (``Revs 12.3 mln vs 11.1 mln``) are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import IS_SPACE, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc

from transforms.parse import DATELINE, dateline_of
from transforms.places import resolve_demonym, resolve_place
from transforms.pattern_data import read_patterns
from transforms.resolve import fold_name, person_for, titles

NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
NUMERIC_LABELS = ("DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL")
# A stock ticker after a company's name: "<UNP>", "<CKGH.HKG>", "(NYSE: XON)"; the company is named
# right before it, the ticker is no mention of its own ("<UK>" is Union Carbide, not Britain).
TICKER_MARK = re.compile(r"<[A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,4})?>|\((?:NYSE|Nasdaq|NASDAQ|AMEX|LSE|TSX|OTC)\s*:\s*[A-Z.]{1,8}\)")
CREDITS_LINE = re.compile(r"^\(?(?:Reporting|Writing|Editing|Additional reporting|Compiled) by\b.*$",
                          re.MULTILINE | re.IGNORECASE)
PARTICLES = frozenset({"al", "el", "de", "di", "da", "del", "della", "van", "von", "der", "den", "bin", "ibn", "du",
                       "dos", "le", "la", "ter", "ben", "abu"})
SCORE_END = re.compile(r"\s\d{1,3}\s?[-–]\s?\d{1,3}$")  # "Liverpool 2-1": a match score is no part of a team's name
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
SENTENCE_ENDS = ".!?:;\"”’)"
RATING = re.compile(r"^(?:A{1,3}|B{1,3}|C{1,3}|Aa|Ba|Caa)[-+]?\d?(?:-(?:plus|minus))?$")
MONEY_AGGREGATE = re.compile(r"^M-?[0-3][A-Z]?$")  # money supply, "M-1", "M3"

Proposal = tuple[int, int, str]


@dataclass(frozen=True)
class SpanSettings:
    """The tuning knobs of span hygiene (the ``news_span_hygiene`` component's config)."""

    max_name_tokens: int = 4  # capitalised words before a legal form taken as a missed company name
    row_max_chars: int = 60  # a table row: a short line ...
    row_min_digits: int = 3  # ... of figures


@lru_cache(maxsize=1)
def agency_names() -> tuple[str, ...]:
    """Every agency alias, longest first."""
    names = {alias for row in read_patterns("agencies.jsonl") for alias in row["aliases"]}
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def agency_credit() -> re.Pattern:
    """A parenthesised agency credit ``(Reuters)``."""
    names = "|".join(re.escape(name) for name in agency_names())
    return re.compile(rf"\((?:{names})\)")


@lru_cache(maxsize=1)
def agency_signature() -> re.Pattern:
    """The wire's signature ending the body (`` ... Reuter``)."""
    names = "|".join(re.escape(name) for name in agency_names())
    return re.compile(rf"(?<=\s)(?:{names})\s*\Z")


def agency_credits(text: str) -> list[re.Match]:
    """Parenthesised agency credits and the closing signature, in order. The signature is looked
    for only where it can start (a search of the whole text for it costs as much as the NER's
    slowest rule)."""
    signature = agency_signature().search(text, max(0, len(text.rstrip()) - len(agency_names()[0])))
    return list(agency_credit().finditer(text)) + ([signature] if signature else [])


@lru_cache(maxsize=1)
def company_forms() -> dict[str, bool]:
    """Company form -> whether it is a legal form that belongs to the name before it."""
    return {row["form"]: row["legal"] for row in read_patterns("company_forms.jsonl")}


@lru_cache(maxsize=1)
def person_titles() -> frozenset[str]:
    """Titles and honorifics that say the next name is a person's ("the" is not one)."""
    return frozenset(title for title in titles() if title != "the")


@lru_cache(maxsize=1)
def title_last_words() -> frozenset[str]:
    """The last word of every title ("director" of "managing director")."""
    return frozenset(title.split(" ")[-1] for title in person_titles())


@lru_cache(maxsize=1)
def title_openings() -> frozenset[str]:
    """Every opening of every title ("m", "ma", ... "managing director"): a token no title opens
    with begins none."""
    return frozenset(title[:size] for title in person_titles() for size in range(1, len(title) + 1))


@lru_cache(maxsize=1)
def title_endings() -> frozenset[str]:
    """Every ending of every title ("r", "or", ... "managing director")."""
    return frozenset(title[-size:] for title in person_titles() for size in range(1, len(title) + 1))


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """Words that are no name alone ("Defence"), and units that are no part of one ("Dlrs")."""
    return frozenset(row["word"] for row in read_patterns("generic_words.jsonl"))


@lru_cache(maxsize=1)
def unit_words() -> frozenset[str]:
    return frozenset(row["word"] for row in read_patterns("generic_words.jsonl") if row.get("unit"))


@lru_cache(maxsize=1)
def agency_aliases() -> dict[str, tuple[str, ...]]:
    """Any alias of an agency -> all of that agency's aliases."""
    rows = read_patterns("agencies.jsonl")
    return {alias: tuple(row["aliases"]) for row in rows for alias in row["aliases"]}


def self_references(text: str, credits: list[re.Match]) -> list[tuple[int, int]]:
    """Where the story names the agency its credits name ("the diplomat told Reuters" in a
    Reuters story): the wire speaking of itself, its metadata rather than an entity of the story."""
    names = {alias for match in credits for alias in agency_aliases().get(match.group().strip("() \n"), ())}
    return [match.span() for match in names_pattern(frozenset(names)).finditer(text)] if names else []


@lru_cache(maxsize=16)
def names_pattern(names: frozenset[str]) -> re.Pattern:
    """Any of ``names`` as whole words, the longest first."""
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")


@lru_cache(maxsize=1)
def agency_at_work() -> re.Pattern:
    """An agency told, polled or interviewed ("told Reuters", "polled by Reuters"); the verb's word
    boundary is checked by ``metadata_ranges`` (a pattern opening with the verbs is searched fast)."""
    names = "|".join(re.escape(name) for name in agency_names())
    return re.compile(rf"(?:told|tell|tells|telling|by|with|to)\s+(?P<agency>{names})\b")


def starts_word(text: str, index: int) -> bool:
    """A word starts at ``index``: what ``\\b`` says before a word character."""
    return index == 0 or not (text[index - 1].isalnum() or text[index - 1] == "_")


def opening_dateline(text: str) -> tuple[str, tuple[int, int]] | None:
    """The place and character range of the story's opening dateline, read as parse reads one
    (``transforms.parse.dateline_of`` of the first line): "TOKYO, March 3 - ", "NEW YORK (AP) — ",
    "Milan, April 13 - "; None when the text opens on none."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    first = text[start:] if end < 0 else text[start:end]
    read = dateline_of(first)
    return None if read is None else (read[0], (start, start + DATELINE.match(first).start("rest")))


def dateline_place(text: str) -> str | None:
    """The place of the story's opening dateline ("TOKYO" of "TOKYO, March 3 - "), if it has one."""
    dateline = opening_dateline(text)
    return dateline[0] if dateline else None


def metadata_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of the body that are metadata: dateline, agency credits and the agency's
    mentions of itself, an agency at work, credits lines."""
    credits = agency_credits(text)
    found = [match.span() for match in credits] + self_references(text, credits)
    found += [match.span("agency") for match in agency_at_work().finditer(text) if starts_word(text, match.start())]
    found += [match.span() for match in CREDITS_LINE.finditer(text)]
    dateline = opening_dateline(text)
    return found + ([dateline[1]] if dateline else [])


def char_range(doc: Doc, proposal: Proposal) -> tuple[int, int]:
    return doc[proposal[0]].idx, doc[proposal[1] - 1].idx + len(doc[proposal[1] - 1])


def in_metadata(doc: Doc, proposal: Proposal, ranges: list[tuple[int, int]]) -> bool:
    start, end = char_range(doc, proposal)
    return any(start < r_end and r_start < end for r_start, r_end in ranges)


def inside(doc: Doc, proposal: Proposal, ranges: list[tuple[int, int]]) -> bool:
    start, end = char_range(doc, proposal)
    return any(r_start <= start and end <= r_end for r_start, r_end in ranges)


def space_tokens(doc: Doc) -> list[int]:
    """Indices of the whitespace tokens, the only tokens that hold a line break (the tokenizer
    splits text at every change between whitespace and the rest, and keeps only a single space
    after a token as its ``whitespace_``)."""
    return [i for i, space in enumerate(doc.to_array(IS_SPACE).tolist()) if space]


def holds_break(doc: Doc, start: int, end: int, spaces: list[int]) -> bool:
    """A line break lies inside tokens ``start`` to ``end`` (``spaces``: the doc's ``space_tokens``;
    most spans hold none, answered without building their text)."""
    first = bisect_left(spaces, start)
    return first < len(spaces) and spaces[first] < end and "\n" in doc[start:end].text


def split_at_breaks(doc: Doc, proposal: Proposal, spaces: list[int]) -> Iterator[Proposal]:
    """The parts of a span between paragraph breaks (the text before the break ends a sentence:
    the NER glued the end of one paragraph to the next). A name broken by a line wrapped inside a
    sentence keeps one part as its mention, the surname of a person ("Howard" / "Baker"), else
    the longest part; ``wrapped_names`` gives that mention the whole name."""
    start, end, label = proposal
    if start < end and not holds_break(doc, start, end, spaces):
        yield proposal
        return
    breaks = [i for i in range(start, end) if "\n" in doc[i].text]
    parts = [(a, b) for a, b in zip([start] + [i + 1 for i in breaks], breaks + [end]) if a < b]
    if any(doc[i - 1].text[-1:] not in SENTENCE_ENDS for i in breaks if i > start):
        a, b = parts[-1] if label == "PERSON" else max(reversed(parts), key=lambda p: p[1] - p[0])
        yield a, b, label
        return
    for a, b in parts:
        yield a, b, label


def joined_over_wraps(doc: Doc, proposals: list[Proposal]) -> list[Proposal]:
    """Two spans the NER cut at a line wrapped inside a sentence ("Howard" / "Baker") as the one
    span they were, and a company's first word left above a wrap ("General" / "Motors Corp")
    joined to it, for ``split_at_breaks`` to keep one part of it standing for the whole."""
    joined: list[Proposal] = []
    for start, end, label in sorted(proposals):
        if joined and is_wrap(doc, joined[-1][1], start):
            joined[-1] = (joined[-1][0], end, label)
            continue
        if company_forms().get(doc[end - 1].text) and (before := previous_word(doc, start)) >= 0 \
                and is_wrap(doc, before + 1, start) \
                and doc[before].text[:1].isupper() and doc[before].is_alpha and (not joined or joined[-1][1] <= before):
            start = before  # "General" / "Motors Corp": the company's first word, left on the line above
        joined.append((start, end, label))
    return joined


def is_wrap(doc: Doc, end: int, start: int) -> bool:
    """Only line-break tokens lie between ``end`` and ``start``, after no sentence end."""
    return end < start and all(doc[i].is_space and "\n" in doc[i].text for i in range(end, start)) \
        and doc[end - 1].text[-1:] not in SENTENCE_ENDS


def wrapped_names(doc: Doc, proposals: list[Proposal], kept: list[Proposal]) -> dict[tuple[int, int], str]:
    """(start, end) of a kept span -> the whole name of the NER span it was cut from across a line
    wrap ("Baker" -> "Howard Baker"), for canonical names."""
    names = {}
    spaces = space_tokens(doc)
    for start, end, _ in proposals:
        if holds_break(doc, start, end, spaces):
            for s, e, _ in kept:
                if start <= s and e <= end and (s, e) != (start, end):
                    names[(s, e)] = " ".join(doc[start:end].text.split())
    return names


def is_hyphen(doc: Doc, i: int) -> bool:
    return doc[i].text in ("-", "–") and not doc[i - 1].whitespace_


def is_place(name: str) -> bool:
    return resolve_place(fold_name(name)).status in ("country", "city")


def split_hyphens(doc: Doc, proposal: Proposal) -> Iterator[Proposal]:
    """``U.N.-led`` -> ``U.N.``; ``U.S.-Russia`` -> both places; other hyphenated names stay whole,
    and so do dates and amounts (``seven-year``)."""
    start, end, label = proposal
    if label in NUMERIC_LABELS:
        yield proposal
        return
    for i in range(start + 1, end - 1):
        if not is_hyphen(doc, i):
            continue
        if doc[i + 1].text[:1].islower():
            yield start, i, label
            return
        if is_place(doc[start:i].text) and is_place(doc[i + 1:end].text):
            yield start, i, "GPE"
            yield i + 1, end, "GPE"
            return
    yield proposal


def trimmed(doc: Doc, proposal: Proposal) -> Proposal:
    """The span without punctuation at its edges (``<Scan-Graphics Inc>``, ``Corp (``), a
    possessive ending (``Cheung Kong's``), a common word or a match score ending it
    (``Scan-Graphics board``, ``Liverpool 2-1``); a
    closing bracket stays when the span opens one. Dates, times and amounts are no names: their
    words and signs are kept (``last week``, ``$5``, ``3 percent``)."""
    start, end, label = proposal
    if end - start == 1 and doc[start].is_alpha or label in NUMERIC_LABELS:
        return proposal  # a word of letters only, or no name: nothing to trim
    opening = next((i for i in range(end - 1, start, -1) if doc[i].text in ("(", ")")), None)
    if opening is not None and doc[opening].text == "(":
        end = opening  # "The World Health Organization (WHO": a bracket the span does not close is no part of it
    while start < end and not has_letters(doc[start].text):
        start += 1
    while end > start and (doc[end - 1].lower_ in POSSESSIVES or not has_letters(doc[end - 1].text)
                           and not (doc[end - 1].text == ")" and "(" in doc[start:end - 1].text)
                           or end - start > 1 and doc[end - 1].is_lower and doc[end - 1].text not in PARTICLES):
        end -= 1
    if (doc[end - 1].text[-1:].isdecimal() or doc[end - 1].is_space) and SCORE_END.search(doc[start:end].text):
        while end - start > 1 and (doc[end - 1].is_digit or doc[end - 1].text in ("-", "–")):
            end -= 1
    return start, end, label


def has_letters(text: str) -> bool:
    return any(c.isalnum() for c in text)


def widen(doc: Doc, proposal: Proposal) -> Proposal:
    """The span with its name kept whole: a leading particle, the word after a particle ending
    it, a legal form, the rest of a country's name (``South`` ``Korea``)."""
    start, end, label = proposal
    while label == "PERSON" and end < len(doc) and doc[end - 1].lower_ in PARTICLES and doc[end].text[:1].isupper():
        end += 1  # "Ursula von der" + "Leyen": a name does not end in a particle
    if label == "PERSON" and start > 0 and doc[start - 1].text in PARTICLES:
        start -= 1
    elif label == "PERSON" and start > 1 and is_hyphen(doc, start - 1) and doc[start - 2].lower_ in PARTICLES:
        start -= 2
    if end < len(doc) and company_forms().get(doc[end].text) and label in NAME_LABELS:
        end, label = end + 1, "ORG"
    elif end < len(doc) and label in NAME_LABELS and doc[end].text[:1].isupper() and is_country(doc[start:end + 1].text) \
            and not is_country(doc[start:end].text):
        end, label = end + 1, "GPE"  # "South" + "Korea"
    return start, end, label


def split_at_title(doc: Doc, proposal: Proposal) -> Iterator[Proposal]:
    """A span holding a capitalised title before a name ("Plessey Telecommunications Managing
    Director David Dey") as the part before the title and the person after it; a name must come
    before the title ("the General Agreement on Tariffs" holds none)."""
    start, end, label = proposal
    for i in range(start + 1, end - 1):
        if not doc[i].text[:1].isupper() or doc[i].lower_ not in title_openings():
            continue  # no title opens here
        for size in (3, 2, 1):
            title = doc[i:i + size]
            if i + size < end and title[0].text[:1].isupper() and title.text.lower() in person_titles():
                if doc[i + size].text[:1].isupper() and any(t.text[:1].isupper() for t in doc[start:i]):
                    yield start, i, place_label(doc[start:i].text, "ORG" if label == "PERSON" else label)
                    yield i + size, end, "PERSON"
                    return
    yield proposal


def place_label(name: str, label: str) -> str:
    """A place's or a people's label for a known one, else ``label``."""
    if resolve_demonym(fold_name(name)):
        return "NORP"
    return "GPE" if is_place(name) else label


def is_country(name: str) -> bool:
    return resolve_place(fold_name(name)).status == "country"


def named_elsewhere(name: str, names: set[str]) -> bool:
    """``name`` is another span of the story, or a person's short form of one."""
    folded = fold_name(name)
    return folded in names or person_for(folded, sorted(n for n in names if len(n.split()) > 1)) is not None


def title_ends_at(doc: Doc, end: int) -> bool:
    """A title or honorific of one to three words ends right before token ``end`` (a line wrap
    inside or after it does not count)."""
    last = previous_word(doc, end)
    if last < max(end - 6, 0) or doc[last].lower_ not in title_last_words():
        return False  # most names have none: answered without reading six tokens
    words = [t.lower_ for t in doc[max(end - 6, 0):end] if not t.is_space][-3:]
    return any(" ".join(words[-size:]) in person_titles() for size in (1, 2, 3) if len(words) >= size)


def split_glued(doc: Doc, proposal: Proposal, names: set[str]) -> Iterator[Proposal]:
    """A country glued to a name the story prints on its own, either way round, or to a name
    after a post ("Envoy for Syria Staffan de Mistura"), as two spans (``Putin Iran``); the name
    keeps the span's label unless that was a place's."""
    start, end, label = proposal
    if end - start < 2:
        yield proposal
        return
    words = [(token.text, token.whitespace_) for token in doc[start:end]]  # each part's text joined from them
    others = names - {fold_name(joined_text(words))}
    name_label = "PERSON" if label in ("GPE", "LOC") else label
    after_post = start > 1 and doc[start - 1].lower_ in ("for", "to", "of", "in") and title_ends_at(doc, start - 1)
    for cut in range(start + 1, end):
        left, right = joined_text(words[:cut - start]), joined_text(words[cut - start:])
        if is_country(left) and after_post:
            yield start, cut, "GPE"
            yield cut, end, "PERSON"
            return
        if is_country(left) and named_elsewhere(right, others):
            yield start, cut, "GPE"
            yield cut, end, name_label
            return
        if is_country(right) and named_elsewhere(left, others):
            yield start, cut, name_label
            yield cut, end, "GPE"
            return
    yield proposal


def joined_text(words: list[tuple[str, str]]) -> str:
    """The text of consecutive tokens given as (text, whitespace after it), as ``Span.text`` has it:
    no whitespace after the last."""
    return "".join(text + space for text, space in words[:-1]) + words[-1][0]


def is_name(doc: Doc, proposal: Proposal, settings: SpanSettings) -> bool:
    """False for spans of no capital letter, single letters, a lone generic word, a unit, a credit
    rating ("BB-plus"), a money-supply aggregate ("M-1") and a table row's label."""
    start, end, label = proposal
    text = doc[start:end].text
    if label not in NAME_LABELS:
        return True
    return any(c.isupper() for c in text) and not (end - start == 1 and text.lower() in generic_words()) \
        and not row_label(doc, start, end, settings) and not any(t.lower_ in unit_words() for t in doc[start:end]) \
        and not RATING.match(text) and not MONEY_AGGREGATE.match(text) and len(text.strip(". ")) > 1


def row_label(doc: Doc, start: int, end: int, settings: SpanSettings) -> bool:
    """A single word opening a short line of figures ("Revs 12.3 mln vs 11.1 mln", "Avg shrs
    4,500,000"): the label of a table row, not a name."""
    if end - start != 1 or (start > 0 and "\n" not in doc[start - 1].text):
        return False
    line_end = next((i for i in range(end, min(len(doc), end + settings.row_max_chars)) if "\n" in doc[i].text), len(doc))
    line = doc[start:line_end].text
    return len(line) <= settings.row_max_chars and sum(c.isdigit() for c in line) >= settings.row_min_digits


def previous_word(doc: Doc, i: int) -> int:
    """The index of the last token before ``i`` that is not whitespace (-1 if none)."""
    i -= 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i


def joined_company_forms(doc: Doc, proposals: list[Proposal]) -> list[Proposal]:
    """A span that is only legal forms ("Co" of "Merrill Lynch and Co") joined to the name
    before it, with the "and" between; dropped when no name comes before it."""
    ends = {e: (s, e, label) for s, e, label in proposals}
    kept, joined = [], set()
    for start, end, label in proposals:
        if not all(company_forms().get(t.text) for t in doc[start:end]):
            kept.append(partner_name(doc, start, end, label))
            continue
        before = previous_word(doc, start)
        name = ends.get(before) if before >= 0 and doc[before].lower_ in ("and", "&") else ends.get(before + 1)
        if name:
            kept.append((name[0], end, "ORG"))
            joined.add(name)
    return [p for p in kept if p not in joined]


def joined_first_names(doc: Doc, proposals: list[Proposal]) -> list[Proposal]:
    """A person's name the NER cut after the first name is one PERSON: a lone word it took for a
    person or a place right before a PERSON span ("Andre" + "Agassi"), or a lone word it took for
    a country or city right before a capitalised word it left out, which ends the name ("Steffi"
    Graf, "Magnus" Larsson). Only words the gazetteer knows as no place or people, on one line, count
    (a city never opens a person's name here: "Paris" + "Hilton" stay apart)."""
    by_start = {start: (start, end, label) for start, end, label in proposals}
    taken = {i for s, e, _ in proposals for i in range(s, e)}
    joined, replaced = [], set()
    for start, end, label in proposals:
        if end - start != 1 or label not in ("PERSON", "GPE", "LOC") or not is_unknown_name_word(doc, start):
            continue
        after = by_start.get(end)
        if after and after[2] == "PERSON" and after not in replaced:
            joined.append((start, after[1], "PERSON"))
            replaced.update({(start, end, label), after})
        elif label == "GPE" and end not in taken and is_unknown_name_word(doc, end, last=True):
            joined.append((start, end + 1, "PERSON"))
            replaced.add((start, end, label))
    return sorted([p for p in proposals if p not in replaced] + joined) if joined else proposals


def is_unknown_name_word(doc: Doc, i: int, last: bool = False) -> bool:
    """Token ``i`` is a capitalised word that could be part of a person's name: no title, generic
    word, company form, place or people the gazetteer knows; followed by a single space (or, when
    it is the ``last`` word, by no other capitalised word)."""
    token = doc[i]
    if not (token.is_alpha and token.is_title and len(token) > 1):
        return False
    if last:
        if i + 1 < len(doc) and doc[i + 1].text[:1].isupper() and token.whitespace_:
            return False
    elif token.whitespace_ != " " or i + 1 >= len(doc):
        return False
    word = token.text
    return word.lower() not in person_titles() and word.lower() not in generic_words() \
        and word not in company_forms() and resolve_place(word).status == "unknown" and not resolve_demonym(word)


def partner_name(doc: Doc, start: int, end: int, label: str) -> Proposal:
    """A company span preceded by "Name and" ("Standard and" + "Poor's Corp") with that part."""
    before = start - 1
    if doc[end - 1].text in company_forms() and company_forms()[doc[end - 1].text] and before > 0 \
            and doc[before].lower_ in ("and", "&") and doc[before - 1].text[:1].isupper() and doc[before - 1].is_alpha:
        return before - 1, end, "ORG"
    return start, end, label


@lru_cache(maxsize=1)
def legal_forms() -> frozenset[int]:
    """Ids of the legal company forms' token texts."""
    return frozenset(get_string_id(form) for form, legal in company_forms().items() if legal)


def token_indices(doc: Doc, ids: frozenset[int]) -> list[int]:
    """Indices of the tokens whose text has one of the ``ids``, read from the doc's array of token
    texts (searching the text, or a walk over the Token objects, costs several times more)."""
    return [i for i, orth in enumerate(doc.to_array(ORTH).tolist()) if orth in ids]


def missed_companies(doc: Doc, taken: set[int], max_tokens: int) -> Iterator[Proposal]:
    """Capitalised words ending in a legal form (``Acme Widget Corp``) no span covers."""
    for i in token_indices(doc, legal_forms()):
        if i in taken or i == 0:
            continue
        start = i
        while start > 0 and i - start < max_tokens and doc[start - 1].text[:1].isupper() \
                and (start - 1) not in taken and "\n" not in doc[start - 1].text:
            start -= 1
        if start < i and not all(company_forms().get(t.text) for t in doc[start:i + 1]):
            yield start, i + 1, "ORG"


def span_names(doc: Doc, proposals: Iterable[Proposal]) -> set[str]:
    """Folded names of the name spans."""
    return {fold_name(doc[s:e].text) for s, e, label in proposals if label in NAME_LABELS}


def clean_proposals(doc: Doc, proposals: list[Proposal], settings: SpanSettings = SpanSettings()) -> list[Proposal]:
    """The cleaned, non-overlapping spans of the NER's proposals (rules in the module docstring)."""
    text = doc.text  # rebuilt from the tokens on every read
    ranges = metadata_ranges(text)
    kept = joined_over_wraps(doc, [p for p in proposals if not in_metadata(doc, p, ranges)])
    spaces = space_tokens(doc)
    kept = [part for p in kept for piece in split_at_breaks(doc, p, spaces)
            for part in split_hyphens(doc, trimmed(doc, piece))]
    kept = joined_first_names(doc, joined_company_forms(doc, [widen(doc, p) for p in kept if p[0] < p[1]]))
    names = span_names(doc, kept)
    tickers = [match.span() for match in TICKER_MARK.finditer(text)]
    kept = [part for p in kept for glued in split_glued(doc, p, names) for part in split_at_title(doc, glued)
            if is_name(doc, part, settings) and not inside(doc, part, tickers)]
    taken = {i for s, e, _ in kept for i in range(s, e)}
    kept += [p for p in missed_companies(doc, taken, settings.max_name_tokens) if not in_metadata(doc, p, ranges)]
    kept += bracketed_acronyms(doc, kept, taken)
    return without_overlaps(kept)


def bracketed_acronyms(doc: Doc, proposals: list[Proposal], taken: set[int]) -> list[Proposal]:
    """An organisation's short form in brackets right after its name ("China International Trust
    and Investment Corp (Citic)", "National Union of Mineworkers (NUM)") that no span covers: the
    same organisation. It opens with the name's first letter and is no company form ("(Holdings)")."""
    found = []
    for start, end, label in proposals:
        if label != "ORG" or end + 2 >= len(doc) or doc[end].text != "(" or doc[end + 2].text != ")":
            continue
        short, first = doc[end + 1], doc[start + 1] if doc[start].lower_ == "the" else doc[start]
        if end + 1 not in taken and short.is_alpha and 2 <= len(short) <= 8 and short.text[:1].isupper() \
                and short.text[:1] == first.text[:1] and short.text not in company_forms():
            found.append((end + 1, end + 2, "ORG"))
    return found


def without_overlaps(proposals: list[Proposal]) -> list[Proposal]:
    """Longest spans first, then by position; a span overlapping a kept one is dropped."""
    kept: list[Proposal] = []
    taken: set[int] = set()
    for start, end, label in sorted(proposals, key=lambda p: (p[0] - p[1], p[0])):
        if start < end and not taken.intersection(range(start, end)):
            kept.append((start, end, label))
            taken.update(range(start, end))
    return sorted(kept)


def surname_forms(doc: Doc, proposals: list[Proposal]) -> dict[tuple[str, ...], str]:
    """Surname (with its particles) as token texts -> PERSON, for every full person name."""
    forms = {}
    for start, end, label in proposals:
        if label != "PERSON" or end - start < 2:
            continue
        first = end - 1
        while first > start + 1 and doc[first - 1].lower_ in PARTICLES | {"-"}:
            first -= 1
        surname = tuple(t.text for t in doc[first:end])
        if len(surname[-1]) >= 3 and surname[-1][:1].isupper() and not is_place(surname[-1]):
            forms[surname] = "PERSON"
            forms[tuple(t.text for t in doc[end - 1:end])] = "PERSON"
    return forms


def surname_mentions(doc: Doc, proposals: list[Proposal]) -> list[Proposal]:
    """The proposals plus the story's untagged references to a person by surname ("Staffan de
    Mistura" ... "De Mistura noted"), longest form first; the NER misses many of them."""
    forms = sorted(surname_forms(doc, proposals), key=len, reverse=True)
    if not forms:
        return proposals
    taken = {i for s, e, _ in proposals for i in range(s, e)}
    added = []
    for surname in forms:
        size, last = len(surname), surname[-1]
        for end in (i + 1 for i in token_indices(doc, frozenset({get_string_id(last)}))):
            start = end - size
            if start < 0 or taken.intersection(range(start, end)):
                continue
            texts = [t.text for t in doc[start:end]]
            if texts[0].capitalize() == surname[0].capitalize() and tuple(texts[1:]) == surname[1:]:
                added.append((start, end, "PERSON"))
                taken.update(range(start, end))
    return sorted(proposals + added)
