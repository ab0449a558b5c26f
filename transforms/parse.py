"""Split decoded news text into articles and pull out their metadata.

Pure: text (and the file's name and modification time, for dates) in, dataclasses out. The only
I/O is reading the pattern data (patterns/*.jsonl) and the story-start model on first use, and
the gazetteer when a bare `WORD - ` line needs it. The rules, each checkable by hand against seeds/:

1. Paragraphs. Every non-blank line is one paragraph, except in a hard-wrapped text (lines of
   40-85 columns with sentences cut by the wrap; transforms.segment.wrap_width), where a line that
   is not indented continues the paragraph above when its first word would not have fitted on
   that line or it carries a sentence on in lower case; table rows and a `By` line naming only
   people and agencies (a byline under a headline as long as the wrap) are never joined. One seed
   (000) separates paragraphs by a single newline, so a blank line cannot be the separator.
   Surrounding whitespace is stripped and odd spaces (NBSP) become plain spaces.
   Hard breaks: no article crosses a form feed (a new page), a rule line (`----`, `* * *`) or an
   end mark (`-- more --`, `(MORE)`, `-30-`, `###`, `ENDS`, `(END)`), both kept as boilerplate
   of the article before them, or an end marker - a credits line or a lone agency
   signature (`Reuter`, `— AFP`) printed right after a sentence. Rules 2-3 run on the runs of
   paragraphs between hard breaks. A lone agency signature is never a headline, so a run that
   holds only end markers (a second signature, `REUTER` / `Reuter`) has no headline, dek or body:
   its lines are boilerplate and credits of the article before it (rule 5), which keeps the
   agency. Any other text without headline, dek or body (stray captions, boilerplate) joins the
   article before it the same way, or the one after it when it comes first (that article then
   starts on the stray's first line).
2. Article starts. An article starts at its *dateline paragraph*, `CITY[, Region] (Agency) – ...`
   or, without an agency, `CITY[, Region or date] – ...` followed by a sentence (lower-case
   letters), with the city in capitals, or in capitalised words when the dateline prints a date
   (`Milan, April 13 - `); a bare `WORD - text` with no region is a dateline only for a place the
   gazetteer knows followed by a sentence (`ORE - Maritime Queen 53,000 tonnes` is a table row).
   It also starts where the story-start model of transforms.segment reads a headline: a short
   paragraph scored from its length, casing, punctuation, the blank space around it, its
   neighbours and the change of subject (for stories that print no dateline). Its header is read
   backwards from the dateline, at most
   HEADER_MAX_PARAGRAPHS: header furniture (byline, photo caption, date line, reading time,
   bullets) and a headline printed twice are stepped over; the first other paragraph is the
   headline when it is headline-shaped (short, no terminal punctuation, not furniture, not a lone
   agency signature), or ends in a full stop or colon at the top of a run or where the model saw
   a start. A line opening with `(` or `[` is headline-shaped only as a closed bracketed
   prefix, a dash after it allowed, followed by headline-shaped text that does not open in lower
   case or on `,;:.)]` (`(G.T.C. TRANSCONTINENTAL GROUP LTD) 1ST QTR NET`, `(CORRECTED) - MOBIL
   <MOB> TO UPGRADE REFINERY UNIT`): a wholly bracketed line (credits, `[photo]`, `(Corrects
   figure)`), an unclosed bracket or a wrapped sentence (`(GATT) does not give ...`) is not.
   When the first other paragraph is not headline-shaped, but the paragraph before it is, that
   one is the headline and this one a dek. Otherwise the article has no headline and starts at
   the dateline.
3. Text before the first such start (a whole run, when it has no dateline) is one article whose
   header is read forwards: the first paragraph is the headline when headline-shaped (after any
   boilerplate notices, such as a press release's `FOR IMMEDIATE RELEASE`); then header
   furniture, with plain paragraphs between furniture taken as the dek. The body begins at the
   second plain paragraph in a row, or at a caption straight after a plain paragraph (a lone plain
   paragraph followed by a caption is the body's first paragraph, not a dek). When that text reads
   as a headline with no dek and no body and a datelined article follows in the run, it is that
   article's header, not an article of its own: the article starts at this headline and all down
   to the dateline is read as its header (rule 4), so a headline rule 2 found there becomes
   the dek, kept as printed like any plain header line (`USDA LIFTS CROSS-COMPLIANCE FOR
   1987 CROP OATS` / `REPEAT FROM LATE FRIDAY` / `WASHINGTON, Feb 27 - ...`). Such a headline
   before a hard break, or as a whole run, stays an article of its own, with no body.
4. Inside a header: a copy of the headline is dropped; `By ...` is the byline, and so is a
   lower-case `by ...` above a dateline (where no sentence can run on into it) when it names only
   people in capitalised words and agencies (`by Kathleen Hays, Reuters`); a line that is only
   an explicit date gives published_at (the line goes to boilerplate); boilerplate patterns go to
   boilerplate; a paragraph ending in a photo credit or a caption date stamp is a caption; bullets
   and other plain paragraphs are the dek.
5. Inside a body: `(Reporting by ...; Editing by ...)` is credits; boilerplate patterns and a lone
   agency signature go to boilerplate; a paragraph ending in a photo credit, printed again at the
   start of the next paragraph, or repeating an earlier caption is a caption; the rest is body.
   A short paragraph in capitals or title case without terminal punctuation is a sub-heading: it
   stays in the body as its own paragraph and is listed in subheadings too.
6. A keyword-tag run glued to the front of a caption is cut off into boilerplate.
Nothing is thrown away except a repeated copy of the headline.

Field decisions: header lines are kept as printed (a dek keeps its "•" bullets, lines joined by
"\n"); dateline is the city as printed in the dateline ("SOCHI" from "SOCHI, Russia (Reuters)"),
or the place segment of a "By: AP | Moscow | ..." byline; published_at is the wall time as
printed, naive, from a byline or a header date line, never from captions (date_source
"printed"), else the dateline's day and month in the year the file's evidence gives
(transforms.dates; date_source "inferred"); a header date line is also kept in boilerplate so
no line is lost; language is "und" when the
article has too little text to tell.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache

from transforms import language
from transforms.dates import DATE_LINE, MONTH, MONTH_NUMBERS, FileDates, printed_date
from transforms.pattern_data import read_patterns
from transforms.segment import BULLET, Paragraph, continues, learned_starts, wrap_width

HEADER_MAX_PARAGRAPHS = 8
HEADLINE_MAX_WORDS = 20
SUBHEADING_MAX_WORDS = 6
LONG_PARAGRAPH_WORDS = 15
BYLINE_MAX_WORDS = 30
PERSON_MAX_WORDS = 5
TERMINAL_PUNCTUATION = (".", ",", ";", ":", "…")
QUOTES = "\"'“”‘’«»"
# Small words that stay lower case in a title-case sub-heading ("Fate of the Talks").
SMALL_WORDS = frozenset("a an and as at but by for in of on or the to with".split())
# Format characters that are invisible in print but break equality of otherwise equal lines.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# One translation for each printed line: invisible characters dropped, tabs, NBSP and every other
# Unicode space (str.isspace; none lies above U+3000) made a plain space, keeping their count.
PLAIN_TEXT = dict.fromkeys(map(ord, INVISIBLE)) | {code: " " for code in range(0x3001) if chr(code).isspace()}
UNDETERMINED_LANGUAGE = "und"  # BCP 47 "undetermined": ISO 639-1 has no code for it
# Below a sentence or so, py3langid's guesses are noise (a six-word English line came out "pl").
LANGUAGE_MIN_LETTERS = 30
# Characters of text the language is told from: a few paragraphs decide it as well as a whole
# story does, and the classifier's cost grows with the text (on 3,000 Reuters-21578 bodies, 1,000
# characters gave the same language as 2,000 for every one, in half the time).
LANGUAGE_SAMPLE_CHARS = 1000
STRIPPED_APOSTROPHES_MIN = 2

# "MOSCOW (Reuters) – ", "SOCHI, Russia (Reuters) – ", "GENEVA (Reuters) - ", and without an
# agency "WASHINGTON, March 12 - ", "MONTREAL, Feb 26- " (the 1987 wire), "LONDON — "; stars the
# wire printed before a place ("****SANTO DOMINGO, March 4 - ") are not part of it.
DATELINE = re.compile(
    r"^\**\s*(?P<place>[^\W\d_][^()\n]{0,60}?)\s*"
    r"(?:\((?P<agency>[^()]{2,40})\)\s*[-–—]{1,2}\s*|(?<=\d)[-–—]{1,2}\s+|(?<=\s)(?P<dash>[-–—]{1,2})\s+"
    r"|\((?P<bare_agency>[^()]{2,40})\)\s+(?=[A-Z\"“‘']))(?P<rest>\S.*)$"
)
# The date a dateline ends its place with: "March 12", "Feb 26", "march 2", "Oct. 19", and a press
# release's "June 3, 2025".
DATELINE_DATE = re.compile(rf"(?:^|\s){MONTH}\.?\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>(?:19|20)\d\d))?$", re.I)
# A bare "PLACE - text" with neither agency nor region is also how tables and lists print a label
# ("ORE - Maritime Queen 53,000 tonnes", "UAE - Hassan Ahmed 53"): it is a dateline only for a
# place the gazetteer knows followed by a sentence of at least this many words, mostly lower case.
BARE_DATELINE_MIN_WORDS = 4
BARE_DATELINE_MIN_LOWER_SHARE = 0.4
# The last word of a writer's role in a byline ("Health Correspondent"): a role, never an author.
ROLE_TITLES = frozenset("Reporter Editor Correspondent Writer Columnist Journalist Producer Critic".split())
# A byline that names its writer and role without "By": "Emma Collins, Regional Affairs Reporter".
ROLE_BYLINE = re.compile(
    r"^(?P<names>[A-Z][\w'’-]+(?: [A-Z][\w'’.-]+){1,2}),\s+(?:[A-Z][\w&-]*\s+){0,3}"
    rf"(?:{'|'.join(sorted(ROLE_TITLES))})$")
# "By Andrew Osborn and Jack Stubbs", "By: AP | Moscow | Published: ...", "BY TED D'AFFLISIO, Reuters",
# and, only above a dateline and naming people (is_byline), "by Kathleen Hays, Reuters".
BYLINE = re.compile(r"^(?:By|BY|by)(?::\s*|\s+)(?P<names>[A-Z].*)$")
FORM_FEED = "\f"
# A bracketed prefix of a wire headline and the dash after it: "(G.T.C. TRANSCONTINENTAL GROUP LTD) 1ST
# QTR NET", "(CORRECTED) - MOBIL <MOB> TO UPGRADE REFINERY UNIT", "(CORRECTED)-<AMERICAN VARIETY ...>".
BRACKETED_PREFIX = re.compile(r"^(?:\([^()]*\)|\[[^\[\]]*\])\s*(?:[-–—]+\s*)?")
# Text after a bracket that opens on one of these (or in lower case) carries on a sentence.
RUN_ON_MARKS = ",;:.)]"
# A headline may end on an initialism ("TEXTILE EXPORTS TO U.S."): that dot is not a sentence end.
INITIALISM_END = re.compile(r"\b(?:[A-Za-z]\.){2,}$")
SENTENCE_END = (".", "!", "?", "…")
# "(Reporting by Tulay Karadeniz; Writing by Ece Toksabay; Editing by Dominic Evans)".
CREDITS = re.compile(
    r"^\((?:additional\s+)?(?:reporting|writing|editing|compiled|research|reported)\b[^()]*\bby\b.*\)$", re.I
)
# "Andrew Osborn and Jack Stubbs", "A, B & C"; "Andrew Osborn in Moscow" names a place too.
NAME_SEPARATOR = re.compile(r",\s*|\s+and\s+|\s*&\s*")
PLACE_SUFFIX = re.compile(r"\s+in\s+.*$")
# Every pattern of patterns/captions.jsonl ends its caption (`$`) and matches at most this many
# characters (tests/test_parse.py checks both).
CREDIT_MAX_CHARS = 160
CAPTION_SOURCE = re.compile(r"\(Source: (?P<agency>[^()]{1,40})\)$")
# "Russia s", "opposition s": an upstream tool replaced apostrophes with spaces.
STRIPPED_APOSTROPHE = re.compile(r"\b[A-Za-z]{2,} s\b")
# What every such match holds: a literal start lets the engine skip ahead, about 20 times faster
# than trying STRIPPED_APOSTROPHE at every character of a body that has none.
STRIPPED_APOSTROPHE_HINT = re.compile(r" s\b")


@dataclass(frozen=True)
class ParsedArticle:
    """One article of a file: metadata, body text, and everything moved out of the body."""

    ordinal: int
    first_line: int  # 0-based number of the input line (text.split("\n")) the article starts on
    headline: str | None
    dek: str | None
    byline: str | None
    authors: tuple[str, ...]
    dateline: str | None
    agency: str | None
    published_at: datetime | None
    date_source: str | None  # "printed" (a full date in the header), "inferred" (the dateline's day, the year from the file), None
    body: str
    captions: tuple[str, ...]
    credits: str | None
    boilerplate: tuple[str, ...]
    subheadings: tuple[str, ...]
    language: str
    warnings: tuple[str, ...]


@dataclass
class _Parts:
    """Paragraphs of one article sorted into fields while its header and body are read."""

    headline: str | None = None
    dek: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    subheadings: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)  # from signatures and promos, in order seen


@dataclass(frozen=True)
class Patterns:
    """The pattern data of patterns/*.jsonl, compiled: boilerplate lines (with the agency a promo
    names), the hard breaks, caption prefixes and credits, agencies by alias."""

    line_boilerplate: list[tuple[re.Pattern, str | None]]
    rule_line: re.Pattern
    end_mark: re.Pattern
    caption_prefixes: list[re.Pattern]
    header_credit: re.Pattern  # every caption credit and date stamp of captions.jsonl, as one alternation
    body_credit: re.Pattern    # those that are not header_only
    agency_by_alias: dict[str, str]


@cache
def patterns() -> Patterns:
    """Return the pattern data, read and compiled on first use (importing parse reads no file)."""
    boilerplate = read_patterns("boilerplate.jsonl")
    return Patterns(
        line_boilerplate=[(re.compile(r["pattern"]), r.get("agency")) for r in boilerplate if r["kind"] == "line"],
        rule_line=re.compile(next(r["pattern"] for r in boilerplate if r["name"] == "rule_line")),
        end_mark=re.compile(next(r["pattern"] for r in boilerplate if r["name"] == "end_mark")),
        caption_prefixes=[re.compile(r["pattern"]) for r in boilerplate if r["kind"] == "caption_prefix"],
        header_credit=_any_of(r["pattern"] for r in read_patterns("captions.jsonl")),
        body_credit=_any_of(r["pattern"] for r in read_patterns("captions.jsonl") if not r.get("header_only")),
        agency_by_alias={alias: r["name"] for r in read_patterns("agencies.jsonl") for alias in r["aliases"]},
    )


def _any_of(patterns: Iterable[str]) -> re.Pattern:
    """Return one pattern that matches where any of `patterns` does (one search instead of several)."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


class TooManyArticles(ValueError):
    """The text splits into more articles than one file may hold; the message says how many."""


def parse(text: str, file_name: str | None = None, modified: datetime | None = None,
          max_articles: int | None = None) -> list[ParsedArticle]:
    """Split decoded text into articles; [] only when there is no article text at all. The file's
    name and modification time are evidence for the year of a dateline that prints none. Raises
    ``TooManyArticles`` when there are more than ``max_articles``, before any article is finished
    (dated, its language told)."""
    drafts = []
    for run in runs(text):
        paras = [para.text for para in run]
        for start, end, dateline, seen in article_segments(run):
            drafts.append((run[start].first_line, _read_segment(paras[start:end], dateline, seen)))
    kept = _fold_contentless(drafts)
    if max_articles is not None and len(kept) > max_articles:
        raise TooManyArticles(f"too many articles: {len(kept):,}, the limit is {max_articles:,} per file "
                              "(split it into smaller files, or raise max_articles_per_file)")
    dates = FileDates(text, file_name, modified)
    return [_finish(ordinal, first_line, parts, dates) for ordinal, (first_line, parts) in enumerate(kept)]


def runs(text: str) -> list[list[Paragraph]]:
    """Return the runs of paragraphs between hard breaks, which no article crosses (rule 1)."""
    lines = text.split("\n")
    width = wrap_width(lines)
    rule_line, end_mark = patterns().rule_line, patterns().end_mark
    found: list[list[Paragraph]] = [[]]
    previous = ""  # the raw line before, "" after a blank line or a break
    for number, line in enumerate(lines):
        for page, raw in enumerate(line.split(FORM_FEED)):
            piece = plain_text(raw)
            para = piece.strip()
            if page:
                found.append([])
                previous = ""
            if para and (rule_line.match(para) or end_mark.match(para)):
                found += [[Paragraph(number, number, para)], []]
                previous = ""
            elif para and found[-1] and continues(previous, piece, width) and not _is_signature_line(para):
                last = found[-1][-1]
                found[-1][-1] = Paragraph(last.first_line, number, f"{last.text} {para}")
                previous = piece
            elif para:
                found[-1].append(Paragraph(number, number, para))
                previous = piece
                if len(found[-1]) > 1 and ends_article(found[-1][-2].text, para):
                    found.append([])
                    previous = ""
            else:
                previous = ""
    return [run for run in found if run]


def plain_text(line: str) -> str:
    """Return a printed line through PLAIN_TEXT; printable ASCII, most lines, holds nothing it
    changes and skips the translation (ten times slower than the test)."""
    return line if line.isascii() and line.isprintable() else line.translate(PLAIN_TEXT)


def ends_article(before: str, para: str) -> bool:
    """Return True when `para` is a credits line or lone agency signature after a sentence (an end marker)."""
    is_marker = CREDITS.match(para) is not None or signature_agency(para) is not None
    return is_marker and before.rstrip(QUOTES + ")").endswith(SENTENCE_END)


def article_segments(run: list[Paragraph]) -> list[tuple[int, int, int | None, bool]]:
    """Return (start, end, dateline index relative to start or None, whether the story-start model
    put the start there) for each article (rules 2-3)."""
    paras = [para.text for para in run]
    datelines = [dateline_of(para) is not None for para in paras]
    learned = set(learned_starts(run, datelines, is_furniture, is_byline=signs_story))
    anchored: list[tuple[int, int | None]] = []
    floor = 0
    for index, is_dateline in enumerate(datelines):
        if is_dateline:
            anchored.append((_backward_start(paras, index, floor, learned), index))
            floor = index + 1
    headers = [range(start, dateline + 1) for start, dateline in anchored]
    starts = sorted({start: (start, dateline) for start, dateline in [
        (0, None), *((index, None) for index in learned if not any(index in header for header in headers)), *anchored,
    ]}.values())
    starts = _fold_header_only(paras, starts, learned)
    ends = [start for start, _ in starts[1:]] + [len(paras)]
    return [
        (start, end, None if dateline is None else dateline - start, start in learned)
        for (start, dateline), end in zip(starts, ends)
        if end > start
    ]


def signs_story(para: str) -> bool:
    """Return True for a byline (`By ...`) that could sign the story under it (transforms.segment.signed_headline)."""
    return is_byline(para, above_dateline=True)


def is_furniture(para: str) -> bool:
    """Return True for header furniture (byline, date line, boilerplate, bullet, caption): never a story start."""
    return _is_header_furniture(para, above_dateline=True)


def _fold_header_only(
    paras: list[str], starts: list[tuple[int, int | None]], learned: set[int]
) -> list[tuple[int, int | None]]:
    """Return the starts with each dateline-less piece that reads as a headline alone folded into
    the datelined article after it, as that article's header (rule 3)."""
    folded: list[tuple[int, int | None]] = []
    for start, dateline in starts:
        before = folded[-1][0] if folded else None
        if (before is not None and dateline is not None and folded[-1][1] is None
                and _is_header_only(paras[before:start], before in learned)):
            folded[-1] = (before, dateline)
        else:
            folded.append((start, dateline))
    return folded


def _backward_start(paras: list[str], dateline: int, floor: int, learned: set[int]) -> int:
    """Return where the article whose dateline is at `dateline` starts (rule 2); a headline may
    end in a full stop or colon at the top of a run or where the story-start model saw a start."""
    index = dateline - 1
    lowest = max(floor, dateline - HEADER_MAX_PARAGRAPHS)
    while index >= lowest and (
        _is_header_furniture(paras[index], above_dateline=True) or _repeats_previous(paras, index, lowest)
    ):
        index -= 1
    if index < lowest:
        return dateline
    if _heads(paras, index, learned):
        return index
    before = index - 1
    if before >= lowest and _heads(paras, before, learned) and not CREDITS.match(paras[index]):
        return before
    return dateline


def _heads(paras: list[str], index: int, learned: set[int]) -> bool:
    """Return True when the paragraph can head a story: headline-shaped, or ending in a full stop
    or colon at the top of a run or where the story-start model saw a start."""
    return is_headline_shaped(paras[index]) or ((index == 0 or index in learned) and _is_headline_with_stop(paras[index]))


def _is_stopped_headline(paras: list[str], seen: bool) -> bool:
    """Return True when the first paragraph is a headline ending in a full stop or colon (see _forward_header)."""
    if not _is_headline_with_stop(paras[0]):
        return False
    after = next((len(para.split()) for para in paras[1:] if not is_furniture(para)), 0)
    return seen or after >= max(2 * len(paras[0].split()), LONG_PARAGRAPH_WORDS)


def _is_header_only(paras: list[str], seen: bool) -> bool:
    """Return True when dateline-less text reads as a headline with no dek and no body (rule 3)."""
    parts = _read_segment(paras, None, seen)
    return parts.headline is not None and not parts.dek and not parts.body


def _repeats_previous(paras: list[str], index: int, lowest: int) -> bool:
    """Return True when the paragraph is a second printing of the one before it."""
    return index - 1 >= lowest and same_text(paras[index], paras[index - 1])


def _is_header_furniture(para: str, above_dateline: bool = False) -> bool:
    """Return True for paragraphs that sit between a headline and the body (not dek, not headline)."""
    return header_kind(para, None, above_dateline) not in ("plain", "repeat")


def _read_segment(paras: list[str], dateline: int | None, seen: bool = False) -> _Parts:
    """Sort one article's paragraphs into header fields and body fields; `seen` when the
    story-start model put the start at the first paragraph."""
    if dateline is None:
        headline, body_start = _forward_header(paras, seen)
    else:
        headline = 0 if dateline > 0 else None
        body_start = dateline
    parts = _Parts(headline=None if headline is None else paras[headline])
    for index, para in enumerate(paras[:body_start]):
        if index != headline:
            _read_header_paragraph(parts, para, above_dateline=dateline is not None)
    _read_body(parts, paras[body_start:])
    return parts


def _forward_header(paras: list[str], seen: bool) -> tuple[int | None, int]:
    """Return (headline index or None, body start) for an article without a dateline (rule 3):
    the headline is the first paragraph after any boilerplate notices above it.

    A first line ending in a full stop or colon is the headline where the model saw a story
    start, or when the first paragraph after it that is not furniture (a byline) is at least twice
    as long, and long.
    """
    notices = next((index for index, para in enumerate(paras) if boilerplate_agency(para) is None), len(paras))
    top = paras[notices:]
    headline = notices if top and (is_headline_shaped(top[0]) or _is_stopped_headline(top, seen)) else None
    first = 0 if headline is None else headline + 1
    headline_text = None if headline is None else paras[headline]
    body_start, after_plain = first, False
    for index in range(first, min(len(paras), first + HEADER_MAX_PARAGRAPHS)):
        kind = header_kind(paras[index], headline_text)
        if after_plain and kind in ("plain", "caption"):
            break
        after_plain = kind == "plain"
        if not after_plain:
            body_start = index + 1
    return headline, body_start


def header_kind(para: str, headline: str | None, above_dateline: bool = False) -> str:
    """Return what a header paragraph is: repeat, byline, date, boilerplate, bullet, caption or plain."""
    if headline is not None and same_text(para, headline):
        return "repeat"
    if is_byline(para, above_dateline):
        return "byline"
    if DATE_LINE.match(para):
        return "date"
    if boilerplate_agency(para) is not None:
        return "boilerplate"
    if BULLET.match(para):
        return "bullet"
    if is_caption(para, in_header=True):
        return "caption"
    return "plain"


def is_byline(para: str, above_dateline: bool) -> bool:
    """Return True for `By ...`, or, above a dateline where no sentence runs on into it, for a
    lower-case `by ...` that names only people and agencies (rule 4)."""
    if ROLE_BYLINE.match(para):
        return True
    if BYLINE.match(para) is None or len(para.split()) > BYLINE_MAX_WORDS:
        return False
    return not para.startswith("by") or (above_dateline and _names_only_people(para))


def _is_signature_line(para: str) -> bool:
    """Return True for a `By` line naming only people and agencies ("By Hannah Okoro, Health
    Correspondent"): in hard-wrapped text it is a line of its own under a headline, never the end
    of the line above ("By March, the company had..." and "by Baker." carry a sentence on and stay
    joined)."""
    return (para[:1] == "B" and not para.endswith(".") and BYLINE.match(para) is not None
            and _names_only_people(para))


def _names_only_people(byline: str) -> bool:
    """Return True when a byline names at least one person, in capitalised words, and otherwise only
    agencies and writers' roles ("Health Correspondent")."""
    names = byline_names(byline)
    people = [name for name in names if _looks_like_person(name) and all(word[0].isupper() for word in name.split())]
    return bool(people) and all(name in people or canonical_agency(name) or _is_role(name) for name in names)


def _is_role(name: str) -> bool:
    """Return True for a writer's role as a byline prints it ("Health Correspondent")."""
    return name.rsplit(None, 1)[-1] in ROLE_TITLES if name.strip() else False


def _read_header_paragraph(parts: _Parts, para: str, above_dateline: bool) -> None:
    """File one header paragraph under its field (rule 4)."""
    kind = header_kind(para, parts.headline, above_dateline)
    if kind == "byline":
        parts.bylines.append(para)
    elif kind == "date":
        parts.dates.append(DATE_LINE.match(para)["date"])
        parts.boilerplate.append(para)
    elif kind == "boilerplate":
        _add_boilerplate(parts, para)
    elif kind == "caption":
        _add_caption(parts, para)
    elif kind != "repeat":
        parts.dek.append(para)


def _read_body(parts: _Parts, paras: list[str]) -> None:
    """File body paragraphs: credits, boilerplate, signature, captions, sub-headings, text (rule 5)."""
    for index, para in enumerate(paras):
        following = paras[index + 1] if index + 1 < len(paras) else ""
        if index == 0 and dateline_of(para) is not None:
            parts.body.append(para)  # the dateline opens the body whatever it ends with
        elif CREDITS.match(para):
            parts.credits.append(para)
        elif boilerplate_agency(para) is not None:
            _add_boilerplate(parts, para)
        elif signature_agency(para) is not None:
            parts.boilerplate.append(para)
            parts.agencies.append(signature_agency(para))
        elif _is_body_caption(para, following, parts.captions):
            _add_caption(parts, para)
        else:
            parts.body.append(para)
            if index > 0 and is_subheading_shaped(para):
                parts.subheadings.append(para)


def _is_body_caption(para: str, following: str, captions: list[str]) -> bool:
    """Return True for a caption inside a body: credited, printed twice, or already seen."""
    if is_caption(para, in_header=False):
        return True
    printed_again = following.startswith(para) and following != para and len(para.split()) >= 5
    return printed_again or any(same_text(para, caption) for caption in captions)


def _add_caption(parts: _Parts, para: str) -> None:
    """File a caption, cutting a glued keyword-tag run off into boilerplate (rule 6)."""
    tags, caption = split_tag_run(para)
    if tags is not None:
        parts.boilerplate.append(tags)
    parts.captions.append(caption)


def _add_boilerplate(parts: _Parts, para: str) -> None:
    """File a boilerplate line, keeping the agency a promo names."""
    parts.boilerplate.append(para)
    if boilerplate_agency(para):
        parts.agencies.append(boilerplate_agency(para))


def _fold_contentless(drafts: list[tuple[int, _Parts]]) -> list[tuple[int, _Parts]]:
    """Merge (first line, draft) pairs with no headline, dek or body (stray captions, boilerplate,
    rule lines) into a neighbour; an article that takes in the strays above it (at the top of the
    file) starts on their first line."""
    kept: list[tuple[int, _Parts]] = []
    strays: list[tuple[int, _Parts]] = []
    for first_line, parts in drafts:
        if parts.headline is not None or parts.dek or parts.body:
            for _, stray in strays:
                _merge_extras(parts, stray, prepend=True)
            kept.append((strays[0][0] if strays else first_line, parts))
            strays = []
        elif kept:
            _merge_extras(kept[-1][1], parts)
        else:
            strays.append((first_line, parts))  # lost only when no article follows: then there is no article text
    return kept


def _merge_extras(target: _Parts, stray: _Parts, prepend: bool = False) -> None:
    """Move the captions, credits, boilerplate and dates of `stray` into `target`."""
    for name in ("captions", "credits", "boilerplate", "dates", "bylines", "agencies"):
        mine, theirs = getattr(target, name), getattr(stray, name)
        setattr(target, name, theirs + mine if prepend else mine + theirs)


def _finish(ordinal: int, first_line: int, parts: _Parts, dates: FileDates) -> ParsedArticle:
    """Turn sorted paragraphs into a ParsedArticle with metadata."""
    byline = "\n".join(parts.bylines) or None
    dateline = dateline_of(parts.body[0]) if parts.body else None
    published_at, date_source = _publication(parts, byline, dates)
    body = "\n\n".join(parts.body)
    return ParsedArticle(
        ordinal=ordinal,
        first_line=first_line,
        headline=parts.headline,
        dek="\n".join(parts.dek) or None,
        byline=byline,
        authors=authors_from_byline(byline),
        dateline=dateline[0] if dateline else byline_place(byline),
        agency=_agency(parts, dateline),
        published_at=published_at,
        date_source=date_source,
        body=body,
        captions=tuple(parts.captions),
        credits="\n".join(parts.credits) or None,
        boilerplate=tuple(parts.boilerplate),
        subheadings=tuple(parts.subheadings),
        language=detect_language("\n".join(filter(None, [parts.headline, *parts.dek, body]))),
        warnings=_warnings(parts, body),
    )


@lru_cache(maxsize=4096)  # asked of an article's first body paragraph by rules 2, 5 and the fields
def dateline_of(para: str) -> tuple[str, str | None] | None:
    """Return (city as printed, agency as printed or None) when the paragraph opens on a dateline.

    The city is in capitals, or in capitalised words when the dateline prints a date ("Milan,
    April 13 - "): a mixed-case place without a date reads as a sentence or a label.
    """
    # Each branch of DATELINE needs one of its dashes [-–—] or, for an agency printed without a
    # dash ("New Delhi, Dec 1 (PTI) "), a bracket: most paragraphs print neither and need not be
    # matched (3 in 4 of a wire story's paragraphs, at about 1.5 microseconds a match).
    dashed = "-" in para or "–" in para or "—" in para or "(" in para
    match = DATELINE.match(para) if dashed else None
    if match is None:
        return None
    agency = match["agency"] or match["bare_agency"]
    if match["bare_agency"] and canonical_agency(agency.strip()) is None:  # "Apple (AAPL) Shares rose"
        return None
    city, _, region = (part.strip() for part in match["place"].partition(","))
    dated = DATELINE_DATE.search(region) is not None
    if not any(ch.isalpha() for ch in city) or (
            city != city.upper() and not (city[0].isupper() and (dated or _is_em_dashed_place(match, city)))):
        return None
    if agency is None and not (dated or _opens_agencyless_dateline(city, region, match["rest"])):
        return None
    return city, agency.strip() if agency else None


def _is_em_dashed_place(match: re.Match, city: str) -> bool:
    """Return True for a mixed-case place the gazetteer knows, alone before an em dash and a
    sentence ("Toronto — The Ontario government says ..."), as Canadian Press prints datelines."""
    rest = match["rest"]
    return (match["dash"] in ("—", "--") and "," not in match["place"] and rest[:1].isupper()
            and _is_known_place(city) and _is_sentence(rest))


def dateline_day(para: str) -> tuple[int, int, int | None] | None:
    """Return (month, day, year or None) when the paragraph opens on a dateline that prints a date."""
    match = DATELINE.match(para)
    if match is None or dateline_of(para) is None:
        return None
    date = DATELINE_DATE.search(match["place"].partition(",")[2].strip())
    if date is None:
        return None
    month = MONTH_NUMBERS[date.group(0).split()[0].rstrip(".")[:3].lower()]
    year = int(date["year"]) if date["year"] else None
    return (month, int(date["day"]), year) if 1 <= int(date["day"]) <= 31 else None


def _opens_agencyless_dateline(city: str, region: str, rest: str) -> bool:
    """Return True when a region in capitalised words, or a known place alone, is followed by a sentence."""
    if not region:
        return _is_sentence(rest) and _is_known_place(city)
    # "OPEC - OIL PRICES FALL" is a headline and "IBM, the company - which" a sentence, not datelines.
    capitalised = all(word[0].isupper() or word[0].isdigit() for word in region.split())
    return capitalised and any(ch.islower() for ch in rest)


def _is_known_place(name: str) -> bool:
    """Return True for a city or country the gazetteer knows (read only for bare datelines)."""
    from transforms.places import cities_by_name, countries_by_name  # the gazetteer loads in ~1 s: only when needed

    folded = name.casefold()
    return len(folded) > 2 and (folded in cities_by_name() or folded in countries_by_name())


def _is_sentence(text: str) -> bool:
    """Return True for text that reads as prose: enough words, mostly in lower case."""
    words = [word for word in text.split() if word[:1].isalpha()]
    lower = sum(word[0].islower() for word in words)
    return len(words) >= BARE_DATELINE_MIN_WORDS and lower >= BARE_DATELINE_MIN_LOWER_SHARE * len(words)


def is_headline_shaped(para: str) -> bool:
    """Return True for a short line without terminal punctuation that is not a dateline, header
    furniture (a lower-case byline included) or a lone agency signature, and that opens on a
    bracket only as a prefix of a headline (rule 2)."""
    core = INITIALISM_END.sub("", para.rstrip(QUOTES)).rstrip()
    return (
        len(para.split()) <= HEADLINE_MAX_WORDS
        and not core.endswith(TERMINAL_PUNCTUATION)
        and (para[0] not in "([" or _is_prefixed_headline(para))
        and dateline_of(para) is None
        and not _is_header_furniture(para, above_dateline=True)
        and signature_agency(para) is None
    )


def _is_headline_with_stop(para: str) -> bool:
    """Return True for a headline-shaped line ending in a full stop or colon ("MERRILL MANDATED FOR
    IEL U.S. NOTE."): a headline only where a story is known to start."""
    return para.endswith((".", ":")) and not para.endswith("..") and is_headline_shaped(para[:-1])


def _is_prefixed_headline(para: str) -> bool:
    """Return True for a closed bracketed prefix (company, ticker, correction tag) followed by
    headline-shaped text that does not carry a sentence on."""
    prefix = BRACKETED_PREFIX.match(para)
    rest = para[prefix.end():] if prefix else ""
    return rest != "" and not rest[0].islower() and rest[0] not in RUN_ON_MARKS and is_headline_shaped(rest)


def is_subheading_shaped(para: str) -> bool:
    """Return True for a short paragraph in capitals or title case without terminal punctuation."""
    core = para.strip(QUOTES)
    words = core.split(maxsplit=SUBHEADING_MAX_WORDS)  # a body paragraph need not be split whole to be too long
    if not 1 <= len(words) <= SUBHEADING_MAX_WORDS or core.endswith(TERMINAL_PUNCTUATION):
        return False
    letters = [ch for ch in core if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return True
    return all(word[0].isupper() or word in SMALL_WORDS for word in words if word[0].isalpha())


def is_caption(para: str, in_header: bool) -> bool:
    """Return True when the paragraph ends in a photo credit (or, in a header, a caption date stamp).

    Only its last CREDIT_MAX_CHARS characters are searched, and one more, so that a `\b` at the
    credit's start sees the character before it: a body paragraph is often ten times longer.
    """
    credit = patterns().header_credit if in_header else patterns().body_credit
    return credit.search(para[-CREDIT_MAX_CHARS - 1:]) is not None


def split_tag_run(caption: str) -> tuple[str | None, str]:
    """Return (keyword-tag run or None, caption without it)."""
    for pattern in patterns().caption_prefixes:
        match = pattern.match(caption)
        if match:
            return match["tags"], match["rest"]
    return None, caption


def boilerplate_agency(para: str) -> str | None:
    """Return "" for a boilerplate line, the agency it names for a promo that names one, else None."""
    for pattern, agency in patterns().line_boilerplate:
        if pattern.search(para):
            return agency or ""
    return None


def signature_agency(para: str) -> str | None:
    """Return the agency when a paragraph is only an agency's name, e.g. "— AP" or "(Reuters)"."""
    return canonical_agency(para.strip("()[]-–—.: "))


def canonical_agency(name: str | None) -> str | None:
    """Return the agency's canonical name for a known alias, else None."""
    return patterns().agency_by_alias.get((name or "").strip())


def same_text(a: str, b: str) -> bool:
    """Return True when two lines read the same, ignoring case and spacing."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _byline_segments(byline: str | None) -> list[str]:
    """Return the '|'-separated parts of a byline, without the leading 'By'."""
    first = byline.split("\n")[0] if byline else ""
    match = BYLINE.match(first) or ROLE_BYLINE.match(first)
    return [part.strip() for part in match["names"].split("|")] if match else []


def byline_names(byline: str | None) -> list[str]:
    """Return the names a byline lists before any '|', without "in <place>" suffixes."""
    segments = _byline_segments(byline)
    return [PLACE_SUFFIX.sub("", name).strip() for name in NAME_SEPARATOR.split(segments[0])] if segments else []


def authors_from_byline(byline: str | None) -> tuple[str, ...]:
    """Return the people a byline names; agencies and places are not authors."""
    return tuple(name for name in byline_names(byline) if _looks_like_person(name))


def _looks_like_person(name: str) -> bool:
    """Return True for 1-5 capitalised words that are not an agency's name nor a writer's role
    ("Health Correspondent")."""
    words = name.split()
    return (
        1 <= len(words) <= PERSON_MAX_WORDS
        and name[0].isupper()
        and not any(ch.isdigit() for ch in name)
        and not _is_role(name)
        and canonical_agency(name) is None
    )


def byline_place(byline: str | None) -> str | None:
    """Return the place in a byline like "By: AP | Moscow | Published: ..."."""
    for segment in _byline_segments(byline)[1:]:
        if ":" not in segment and not any(ch.isdigit() for ch in segment) and len(segment.split()) <= 3:
            return segment
    return None


def _byline_dates(byline: str | None) -> list[str]:
    """Return the explicit dates in a byline's segments."""
    matches = (DATE_LINE.match(segment) for segment in _byline_segments(byline)[1:])
    return [match["date"] for match in matches if match]


def _agency(parts: _Parts, dateline: tuple[str, str] | None) -> str | None:
    """Return the agency: dateline, byline, signature or promo, then an image credit."""
    candidates = [
        canonical_agency(dateline[1]) or dateline[1] if dateline else None,
        *map(canonical_agency, byline_names("\n".join(parts.bylines))),
        *parts.agencies,
        *(canonical_agency(m["agency"]) for m in map(CAPTION_SOURCE.search, parts.captions) if m),
    ]
    return next((candidate for candidate in candidates if candidate), None)


def _publication(parts: _Parts, byline: str | None, dates: FileDates) -> tuple[datetime | None, str | None]:
    """Return (published_at, date_source): a full date printed in the header, else the dateline's
    day and month in the year the file's evidence gives (transforms.dates), else (None, None)."""
    printed = _published_at(parts, byline)
    if printed is not None:
        return printed, "printed"
    day = dateline_day(parts.body[0]) if parts.body else None
    if day is None:
        return None, None
    month, day_of_month, year = day
    if year is not None and day_of_month <= monthrange(year, month)[1]:  # "Austin, Texas, June 3, 2025 - "
        return datetime(year, month, day_of_month), "printed"
    inferred = dates.dateline_date(month, day_of_month)
    return (inferred, "inferred") if inferred else (None, None)


def _published_at(parts: _Parts, byline: str | None) -> datetime | None:
    """Return the first explicit date of the byline or header; captions are never read for dates."""
    return next(filter(None, map(printed_date, _byline_dates(byline) + parts.dates)), None)


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language, or "und" when there is too little text."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if not _has_letters(sample, LANGUAGE_MIN_LETTERS):
        return UNDETERMINED_LANGUAGE
    return language.classify(sample)


def _has_letters(text: str, count: int) -> bool:
    """Return True when the text holds at least `count` letters (counted in its first few
    characters first: most texts have enough there, and counting all of them is slow)."""
    return sum(map(str.isalpha, text[:4 * count])) >= count or sum(map(str.isalpha, text)) >= count


def _warnings(parts: _Parts, body: str) -> tuple[str, ...]:
    """Return reader-facing doubts about an article."""
    warnings = []
    if parts.headline is None:
        warnings.append("no headline")
    if not body:
        warnings.append("no body text")
    stripped = STRIPPED_APOSTROPHE.findall(body) if STRIPPED_APOSTROPHE_HINT.search(body) else []
    if len(stripped) >= STRIPPED_APOSTROPHES_MIN:
        warnings.append(f"apostrophes look stripped (e.g. {stripped[0]!r})")
    if len(parts.credits) > 1:
        warnings.append(f"{len(parts.credits)} credits lines")
    return tuple(warnings)
