"""The segmentation set: real Reuters-21578 stories laid out in families of layouts, with labels.

    .venv/bin/python -m bench.segment_set        # writes data/bench/segment_set/ (git-ignored)

A layout family fixes how a publisher prints stories: headline casing and ending, dateline
style, dek, byline, how paragraphs are printed (one line each with blank lines between, one line
each with no blank lines, hard-wrapped at 60-80 columns and indented as on the 1987 wire, or
wrapped with blank lines), sub-headings, tables and lists inside a story (after its lede or, as
results tables do, closing it), and what separates two
stories (one, two or three blank lines, an end mark, a rule). Within a family the choices the
family leaves open are drawn at random (fixed seed). bench/train_segmenter.py fits the shipped
model on every family, but chooses its regularisation and threshold on the TUNING families only;
HELD_OUT families are combinations kept out of every choice (sentence-case headlines with the same
spacing between stories as between paragraphs, end marks of every kind, wrapped text with
mixed-case datelines, short sentence-case stories). bench/parse_quality scores each family with a
model fitted without it. Besides wire stories, some families print stories cut short, hand-written
stories and headlines (bench/segment_material.py), so that not every story is 1987 finance.
With WIREHOUSE_PRINTED_SHAPES=1 (round 7c, tried, not shipped) every family also prints, at its
own rates (PRINTED_SHAPES), three shapes real news prints and earlier rounds never generated:
headlines of 12-20 words, one-sentence paragraphs that close a thought inside a story, and tables
under a heading, with dotted leaders or long labelled rows.

Labels are known because this code placed every line: the input line each story starts on, its
headline and its dateline city as printed. Story text comes from the corpus (title, dateline,
author, body) and is never written into the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import textwrap
from collections import Counter
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from bench.corpus import BENCH_DATA
from bench.multi_article_set import Story, prose_stories
from bench.segment_material import ANSWER_OPENINGS, BODY_QUESTIONS, CLOSING_LINES, HEADLINES, LONG_HEADLINES, STORIES, SUBHEADINGS, TABLE_HEADINGS

# Round 7c's shapes (PRINTED_SHAPES) were tried, not shipped (docs/QUALITY.md): the set the shipped
# model (version 5) is fitted on is built without them, unless WIREHOUSE_PRINTED_SHAPES=1, which
# builds and reads the set with them (in a folder of its own) for bench.train_segmenter and
# bench.parse_quality.
WITH_PRINTED_SHAPES = os.environ.get("WIREHOUSE_PRINTED_SHAPES") == "1"
OUT = BENCH_DATA / ("segment_set_7c" if WITH_PRINTED_SHAPES else "segment_set")
SEED = 11
FILES_PER_FAMILY = 80
END_MARKS = ("-- more --", "(MORE)", "-30-", "###", "ENDS", "(END)")
SMALL_WORDS = frozenset("a an and as at but by for in of on or the to with vs".split())
TICKER = re.compile(r"\s*<[^<>]*>")
SURNAMES = "Osborn Nebehay Heller Pitas Miles Evans Graff Hays Stubbs Ivanova Lawrence Addison".split()
GIVEN = "Andrew Stephanie Jeffrey Costas Tom Peter Dominic Kathleen Jack Polina Janet Maria".split()
# Club names a results table prints (generic town and club words, none from the fixtures).
CLUBS = ("Ashby", "Kirkton Albion", "Dunmore", "Eastfield", "Glenvale", "Hollybrook", "Lowther", "Marsh Lane",
         "Norbury", "Oakhill", "Pendle Vale", "Quarry Bank", "Redcliff", "Saltash", "Thornby", "Upton Park",
         "Westmoor", "Yardley")
# Function words, auxiliaries and reporting verbs: a sub-heading names a subject, never with these.
NOT_IN_SUBHEADINGS = frozenset(
    "that this they them their there these those then than when where which while with would could should will "
    "shall have has had been being were said says also about after before from into what whom whose because since "
    "until upon over under very more most much many some such only just does did told added".split())
# Text ending so stops at an initial or an abbreviation, not at a sentence's end: "the U.S", "John F", "Acme Corp".
ABBREVIATION = re.compile(r"(?:\b[A-Z](?:\.[A-Z])*|\b(?:Inc|Corp|Co|Ltd|Bros|Mr|Mrs|Ms|Dr|St|Jr|Gov|Sen|Rep|Gen|No|"
                          r"Jan|Feb|Aug|Sept|Oct|Nov|Dec))$")
# A word with initials keeps its capitals in any casing: "U.S.", "U.S.-Japan" (round 7b found headlines
# printed `U.s. corporate finance`, `U.s.-japan not in trade war`).
INITIALS = re.compile(r"[A-Z]\.[A-Z]")
# A sub-heading breaks up a story of at least this many paragraphs (a three-paragraph story has none).
SUBHEADING_MIN_PARAGRAPHS = 4
# Shapes real news prints that rounds 1-6 never generated (round 7c, docs/QUALITY.md): per family,
# the share of stories under a long headline (12-20 words), with a one-sentence paragraph closing a
# thought, and of tables printed under a heading with dotted rows. Drawn from a second random
# stream, so the set without them (the one model version 5 was fitted on) is still built alike.
PRINTED_SHAPES = {
    "wire_1987": (0.1, 0.15, 0.6), "web_dek": (0.2, 0.2, 0.5), "magazine": (0.2, 0.2, 0.5),
    "agency_rule": (0.1, 0.2, 0.5), "lists_lines": (0.1, 0.2, 0.6), "local_digest": (0.2, 0.2, 0.5),
    "results_digest": (0.15, 0.15, 0.6), "plain_sentence": (0.2, 0.2, 0.5), "end_marks": (0.15, 0.2, 0.5),
    "wrapped_mixed": (0.15, 0.2, 0.5), "short_sentence": (0.2, 0.2, 0.5),
}
LONG_HEADLINE_WORDS = (12, 20)
LONG_ROWS_SHARE = 0.3
# The share of questions asked in a story's body whose answer opens on a short sentence ("Not yet.");
# the others are answered by an ordinary paragraph.
ANSWERED_SHARE = 0.5
MONTHS = "January February March April May June July August September October November December".split()
STATES = {"NEW YORK": "N.Y.", "CHICAGO": "Ill.", "HOUSTON": "Texas", "DALLAS": "Texas", "BOSTON": "Mass.",
          "DETROIT": "Mich.", "MILWAUKEE": "Wis.", "TORONTO": "Ont.", "MONTREAL": "Que.", "VANCOUVER": "B.C."}


@dataclass(frozen=True)
class Family:
    """A publisher's layout: each field lists the choices drawn from for every story or file."""

    name: str
    casing: tuple[str, ...]           # upper, title, sentence
    ending: tuple[str, ...]           # "", "?", "!", ":", "quote", "."
    dateline: tuple[str, ...]         # none, agency, caps_date, mixed_date, state_date
    paragraphs: str                   # blank, lines, wrapped_indented, wrapped_blank
    separators: tuple[str, ...]       # blank1, blank2, blank3, end_mark, rule
    dek: float = 0.0
    byline: float = 0.0
    subheading: float = 0.0
    table: float = 0.0
    table_at_end: float = 0.0         # the table closes the story (a results table) instead of following its lede
    signature: float = 0.0
    short: float = 0.0                # a story cut to 2-4 paragraphs of 1-2 sentences, as web/local news print them
    own_material: float = 0.0         # a hand-written story (bench/segment_material.py) instead of a wire story
    foreign_headline: float = 0.0     # a hand-written headline that shares no word with its story
    question: float = 0.0             # a question put to the reader in the body, answered under it (asked_in_body)


TUNING = (
    Family("wire_1987", ("upper",), ("",), ("caps_date",), "wrapped_indented", ("blank1", "blank2"),
           table=0.3, signature=0.5),
    Family("web_dek", ("title", "sentence"), ("", "", "?", "!", ":", "quote", ".", "."), ("none",), "blank", ("blank1",),
           dek=0.5, byline=0.5, subheading=0.4, table=0.3, table_at_end=0.3, question=0.15),
    Family("magazine", ("upper", "title", "sentence"), ("", "", "?", ":", "."), ("none",), "blank", ("blank1",),
           byline=0.6, subheading=0.5, question=0.2),
    Family("agency_rule", ("upper", "title"), ("", ":"), ("agency",), "blank", ("rule", "blank1", "end_mark"),
           byline=0.3, signature=0.3),
    Family("lists_lines", ("upper", "sentence"), ("", "!", "quote", "."), ("none", "caps_date"), "lines", ("blank1", "blank2"),
           table=0.6, table_at_end=0.5, subheading=0.3),
    Family("local_digest", ("sentence", "sentence", "title"), ("", "", "", ".", "?", "!"), ("none",), "blank",
           ("blank1",), byline=0.2, subheading=0.4, table=0.1, short=0.7, own_material=0.3, foreign_headline=0.2,
           question=0.15),
    Family("results_digest", ("sentence", "title"), ("", "", "!", "."), ("none",), "blank", ("blank1", "blank2"),
           subheading=0.2, table=0.6, table_at_end=0.7, short=0.6, own_material=0.3, foreign_headline=0.2),
)
HELD_OUT = (
    Family("plain_sentence", ("sentence",), ("", "", "", "?", "!", ":", "quote", "."), ("none",), "blank",
           ("blank1",), subheading=0.3, table=0.2, question=0.15),
    Family("end_marks", ("upper", "title", "sentence"), ("", "?"), ("none", "mixed_date"), "blank", ("end_mark",),
           dek=0.3),
    Family("wrapped_mixed", ("title", "sentence"), ("", "quote", "."), ("mixed_date", "state_date"), "wrapped_blank",
           ("blank2", "blank3"), dek=0.4, byline=0.4, subheading=0.2, question=0.1),
    Family("short_sentence", ("sentence",), ("", "", "", "."), ("none",), "blank", ("blank1",),
           subheading=0.3, table=0.1, short=1.0, own_material=0.3, foreign_headline=0.3),
)


@dataclass(frozen=True)
class Label:
    """Where one placed story starts and the fields the parser should find."""

    first_line: int
    headline: str | None
    dateline: str | None


def case_map(story: Story) -> dict[str, str]:
    """Return each body word's usual printed form (lower case unless the body capitalises it mid-sentence)."""
    forms: dict[str, Counter] = {}
    for paragraph in story.paragraphs:
        for word in paragraph.split()[1:]:
            bare = word.strip(".,;:\"'()")
            if bare:
                forms.setdefault(bare.lower(), Counter())[bare] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in forms.items()}


def headline_text(story: Story, casing: str, ending: str) -> str:
    """Return the story's title in a casing, with an ending; sentence case keeps names capitalised."""
    words = TICKER.sub("", story.title).split()
    if casing == "title":
        words = [w if INITIALS.search(w) else w.lower() if w.lower() in SMALL_WORDS and i else w.capitalize()
                 for i, w in enumerate(words)]
    elif casing == "sentence":
        forms = case_map(story)
        words = [w if INITIALS.search(w) else forms.get(w.lower(), w.lower() if w.isupper() else w)
                 for w in words]  # wire titles are in capitals
        words[0] = words[0][:1].upper() + words[0][1:]
    text = " ".join(words)
    if ending == "quote" and len(words) > 3:
        return f"{' '.join(words[:-2])} \"{' '.join(words[-2:])}\""
    return text + (ending if ending in ("?", "!", ":", ".") else "")


def dateline_opening(story: Story, style: str) -> tuple[str, str | None]:
    """Return the dateline text that opens the first paragraph and the city as printed."""
    city = story.city
    mixed = " ".join(part.capitalize() for part in city.split())
    if style == "state_date" and (city not in STATES or "," in story.date):
        style = "mixed_date"  # the corpus already printed the state, or the city has none
    openings = {
        "none": ("", None),
        "agency": (f"{city} (Reuters) - ", city),
        "caps_date": (f"{city}, {story.date} - ", city),
        "mixed_date": (f"{mixed}, {story.date} - ", mixed),
        "state_date": (f"{mixed}, {STATES.get(city)}, {story.date} - ", mixed),
    }
    return openings[style]


def usable(story: Story) -> bool:
    """Return True for a story whose dateline printed a place in letters and a date."""
    return bool(story.date) and all(part.isalpha() for part in story.city.replace("-", " ").replace(".", " ").split())


def dek_text(story: Story) -> str:
    """Return a one-sentence summary line: the first sentence of a later paragraph."""
    source = story.paragraphs[-1] if len(story.paragraphs) > 1 else story.paragraphs[0]
    words = source.split(". ")[0].split()[:25]
    return " ".join(words).rstrip(".,;:") + "."


def subheading_text(paragraph: str, rng: random.Random) -> str:
    """Return a sub-heading: a hand-written one (`What happens next`) or two or three words, in
    capitals or title case, naming what the paragraph under it says."""
    if rng.random() < 0.4:
        return rng.choice(SUBHEADINGS)
    words = [w.strip(".,;:\"'()") for w in paragraph.split()]
    runs = [words[i:i + 3] for i in range(len(words) - 2) if all(_heads_phrase(w) for w in words[i:i + 3])]
    picked = rng.choice(runs)[:rng.randint(2, 3)] if runs else ["Outlook"]
    return " ".join(picked).upper() if rng.random() < 0.5 else " ".join(w.capitalize() for w in picked)


def _heads_phrase(word: str) -> bool:
    """Return True for a word an editor builds a sub-heading of: a content word of four letters or
    more (not "When They" or "Would Also Include", fragments no editor prints)."""
    return len(word) > 3 and word.isalpha() and word.lower() not in NOT_IN_SUBHEADINGS


def table_lines(rng: random.Random) -> list[str]:
    """Return a small table or list as a story prints it: columns, dashed labels or bullets."""
    items = rng.sample(["Wheat", "Maize", "Sorghum", "Soybeans", "Barley", "Oats", "Rice", "Copper", "Zinc",
                        "ORE", "COAL", "NOTE", "UAE", "Crude", "Sugar"], rng.randint(3, 6))
    shape = rng.choice(["columns", "dashed", "bullets", "prose_rows", "results"])
    numbers = lambda: f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}"  # noqa: E731
    if shape == "columns":
        return [f"{item:<10}{numbers():>9}{numbers():>9}" for item in items]
    if shape == "dashed":
        return [f"{item.upper()} - {rng.choice(GIVEN)} {rng.choice(SURNAMES)} {rng.randint(1, 99)},000 tonnes"
                for item in items]
    if shape == "bullets":
        return [f"- {item} {numbers()} mln dlrs" for item in items]
    if shape == "results":
        return [f"{home} {rng.randint(0, 5)} {away} {rng.randint(0, 5)}"
                for home, away in zip(*[iter(rng.sample(CLUBS, 2 * len(items)))] * 2)]
    return [f"{item} {numbers()} vs {numbers()}" for item in items]


def handwritten_story(rng: random.Random, used: set[str]) -> Story:
    """Return one of the hand-written stories (no dateline, no author) whose title the file has not
    printed yet (a file prints a story once)."""
    title, paragraphs = rng.choice([story for story in STORIES if story[0] not in used])
    return Story(title, "", "", None, paragraphs, "")


def sentences(paragraph: str) -> list[str]:
    """Return the paragraph's sentences (without the full stop that parts them): cut at ". ", never
    after an abbreviation or an initial ("the U.S. Treasury", "Acme Corp. said", "John F. Kennedy":
    round 7b found short stories cut to a paragraph `The U.S.`, a line no editor prints)."""
    pieces: list[str] = []
    for piece in paragraph.split(". "):
        if pieces and ABBREVIATION.search(pieces[-1]):
            pieces[-1] += ". " + piece
        else:
            pieces.append(piece)
    return pieces


def shortened(story: Story, rng: random.Random) -> Story:
    """Return the story cut to its first 2-4 paragraphs, each cut to its first one or two sentences."""
    kept = []
    for paragraph in story.paragraphs[:rng.randint(2, 4)]:
        cut = ". ".join(sentences(paragraph)[:rng.randint(1, 2)])
        kept.append(cut if cut.endswith((".", "\"", "'")) else cut + ".")
    return replace(story, paragraphs=tuple(kept))


def story_blocks(story: Story, family: Family, rng: random.Random, used: set[str],
                 stops: bool = False) -> tuple[list[list[str]], Label]:
    """Return the story as blocks (a block is printed lines; blocks are what layout separates) and
    its label with first_line relative to the story's first line; `used` holds the hand-written
    stories' and headlines' titles the file printed before (each is printed once) and gets this one's;
    `stops` is the file's house style: its plain headlines end in a full stop (house_stops)."""
    casing, ending = rng.choice(family.casing), rng.choice(family.ending)
    if ending in ("", "."):  # "?", "!", ":" and a quote are the story's; a full stop is the house's
        ending = "." if stops else ""
    if rng.random() < family.own_material:
        story = handwritten_story(rng, used)
    elif rng.random() < family.short:
        story = shortened(story, rng)
    if rng.random() < family.foreign_headline:
        used.add(story.title)
        story = replace(story, title=rng.choice([title for title in HEADLINES if title not in used]))
    used.add(story.title)
    opening, city = dateline_opening(story, rng.choice(family.dateline) if story.city else "none")
    headline = headline_text(story, casing, ending)
    blocks: list[list[str]] = [[headline]]
    if rng.random() < family.dek:
        blocks.append([dek_text(story)])
    if rng.random() < family.byline:
        blocks.append([f"By {rng.choice(GIVEN)} {rng.choice(SURNAMES)}"])
    body = [opening + story.paragraphs[0], *story.paragraphs[1:]]
    table_after = None
    if rng.random() < family.table:  # a table or list follows the lede, or closes the story
        table_after = len(body) - 1 if rng.random() < family.table_at_end else 0
    for index, paragraph in enumerate(body):
        if index and index == len(body) // 2 and rng.random() < family.subheading \
                and len(body) >= SUBHEADING_MIN_PARAGRAPHS:
            blocks.append([subheading_text(paragraph, rng)])
        blocks.append([paragraph])
        if index == table_after:
            blocks.append(table_lines(rng))
    if rng.random() < family.signature:
        blocks.append(["Reuter"])
    return blocks, Label(0, headline, city)


def with_printed_shapes(blocks: list[list[str]], label: Label, story: Story, family: Family,
                        width: int, rng: random.Random) -> tuple[list[list[str]], Label]:
    """Return the story's blocks and label with the shapes of PRINTED_SHAPES drawn in: a long
    headline in place of the short one, a one-sentence paragraph after one of the body's paragraphs
    (the lede excepted), long labelled rows in a table (LONG_ROWS_SHARE of tables), a heading over
    the table's rows, which then print dotted leaders."""
    long_share, closing_share, heading_share = PRINTED_SHAPES[family.name]
    blocks = list(blocks)
    if rng.random() < long_share:
        headline = long_headline(story, blocks[0][0], family.paragraphs, width, rng)
        if headline:
            blocks[0], label = [headline], replace(label, headline=headline)
    paragraphs = [index for index, block in enumerate(blocks) if len(block) == 1 and len(block[0].split()) > 12]
    if rng.random() < closing_share and len(paragraphs) > 1:
        after = rng.choice(paragraphs[1:])
        blocks.insert(after + 1, [closing_line(story, rng)])
    tables = [index for index, block in enumerate(blocks) if len(block) > 1]
    if tables and rng.random() < LONG_ROWS_SHARE:
        blocks[tables[0]] = labelled_rows(len(blocks[tables[0]]), rng)
    if tables and rng.random() < heading_share:
        heading, rows = table_heading(rng), dotted(blocks[tables[0]], rng)
        blocks[tables[0]:tables[0] + 1] = [[heading], rows] if rng.random() < 0.5 else [[heading, *rows]]
    return blocks, label


def long_headline(story: Story, short: str, layout: str, width: int, rng: random.Random) -> str | None:
    """Return a headline of 12-20 words in the casing of the short one it replaces: the story's
    title with a clause from a later paragraph after it, a quoted clause from the story and a colon
    before the title, the title said by a name from the story, or a hand-written one sharing no word
    with the story; None when the story gives too few words or, on the wrapped layouts (one line a
    headline), none fits in the width."""
    low, high = LONG_HEADLINE_WORDS
    shape = rng.choice(["extended", "quoted", "named", "foreign"])
    if shape == "foreign":
        text = rng.choice(LONG_HEADLINES)
        return text.upper() if short.isupper() else text
    title = TICKER.sub("", story.title).split()
    quoted = clause(quotation(story) or story.paragraphs[-1], rng.randint(3, 7)) if shape == "quoted" else []
    names = story_names(story)
    named = [",", "says", rng.choice(names)] if shape == "named" and names else []
    words = quoted + title
    if len(words) + len(named) < low and len(story.paragraphs) > 1:
        words += [rng.choice(["as", "after", "while", "amid", "with"])]
        words += clause(story.paragraphs[1], rng.randint(low, high) - len(words) - len(named))
    words = words[:high - len(named)] + named
    if not low <= len(words) <= high:
        return None
    casing = "upper" if short.isupper() else ("title" if is_title_case(short) else "sentence")
    cased = headline_text(replace(story, title=" ".join(words)), casing, "").replace(" ,", ",").split()
    if casing == "upper":
        cased = [word.upper() for word in cased]
    if quoted:
        cased[0], cased[len(quoted) - 1] = f'"{cased[0]}', f'{cased[len(quoted) - 1]}":'
    text = " ".join(cased)
    return None if layout.startswith("wrapped") and len(text) > width else text


def story_names(story: Story) -> list[str]:
    """Return the words the story capitalises mid-sentence (names), months and weekdays aside."""
    return [word for word in case_map(story).values() if word[:1].isupper() and len(word) > 3 and word.isalpha()
            and word not in MONTHS and not word.endswith("day")]


def quotation(story: Story) -> str | None:
    """Return the first words someone is quoted as saying in the story, if any."""
    found = re.search(r'"([^"]{20,})"', " ".join(story.paragraphs))
    return found.group(1) if found else None


def clause(text: str, most: int) -> list[str]:
    """Return up to `most` opening words of the text's first sentence, bare of punctuation, not
    ending on a function word (no headline ends on `the` or `said`)."""
    words = [word.strip(",;:\"'()") for word in text.split(". ")[0].split()[:max(most, 0)]]
    while words and words[-1].lower() in SMALL_WORDS | NOT_IN_SUBHEADINGS:
        words.pop()
    return [word for word in words if word]


def is_title_case(headline: str) -> bool:
    """Return True when every word but the small ones (`of`, `the`) is capitalised."""
    return all(word[:1].isupper() for word in headline.split()[1:] if word.lower() not in SMALL_WORDS)


def closing_line(story: Story, rng: random.Random) -> str:
    """Return a one-sentence paragraph that closes a thought: most often in the story's own words
    (the opening of one of its sentences), else a name from the story declining to say more, or a
    hand-written one (`Details were not disclosed.`)."""
    names = story_names(story)
    draw = rng.random()
    if draw < 0.5:
        words = clause(rng.choice(story.paragraphs), rng.randint(4, 9))
        if len(words) >= 3:
            return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]]) + "."
    if names and draw < 0.7:
        return f"{rng.choice(names)} {rng.choice(['declined to comment', 'could not be reached', 'gave no details'])}."
    return rng.choice(CLOSING_LINES)


def table_heading(rng: random.Random) -> str:
    """Return a heading printed over a table: a hand-written one or a reporting period."""
    if rng.random() < 0.5:
        return rng.choice(TABLE_HEADINGS)
    period = rng.choice(["Three months", "Six months", "Nine months", "Two weeks", "Four weeks", "Year"])
    return f"{period} ended {rng.choice(MONTHS)[:rng.choice([3, 9])].rstrip()} {rng.randint(1, 31)}"


def labelled_rows(count: int, rng: random.Random) -> list[str]:
    """Return rows of a long table as reports print them, 8-16 words each: a label with a colon,
    then figures against last period's (`Exports, crude: 1.23 mln tonnes vs 1.10 mln, up 12 pct`)."""
    labels = rng.sample(["Exports", "Imports", "Output", "Sales", "Net profit", "Revenue", "Stocks", "Prices",
                         "Shipments", "Deliveries", "Orders", "Production"], count)
    qualifiers = ["total", "crude", "domestic", "first quarter", "year to date", "final", "provisional", "average"]
    rows = []
    for label in labels:
        now, before = rng.randint(100, 9999) / 100, rng.randint(100, 9999) / 100
        unit = rng.choice(["mln tonnes", "mln dlrs", "pct", "billion yen", "points"])
        change = f", {'up' if now > before else 'down'} {abs(now - before) / before * 100:.1f} pct"
        change = change if rng.random() < 0.5 else ""
        rows.append(f"{label}, {rng.choice(qualifiers)}: {now:.2f} {unit} vs {before:.2f}{change}")
    return rows


def dotted(rows: list[str], rng: random.Random) -> list[str]:
    """Return a table's rows with dotted leaders between the label and the figures."""
    leader = rng.choice([".", ". "])
    out = []
    for row in rows:
        split = next(mark for mark in ("  ", " - ", " ") if mark in row.strip())
        label, _, figures = row.strip().partition(split)
        out.append(f"{label.strip()} {(leader * 20)[:24 - len(label.strip())].strip()} {figures.strip()}")
    return out


def printed(blocks: list[list[str]], layout: str, width: int) -> list[str]:
    """Return the printed lines of one story's blocks in a paragraph layout."""
    lines: list[str] = []
    for index, block in enumerate(blocks):
        is_text = len(block) == 1
        if layout in ("wrapped_indented", "wrapped_blank") and is_text:
            wrapped = textwrap.wrap(block[0], width) or [""]
            if layout == "wrapped_indented" and index > 1:
                wrapped[0] = "    " + wrapped[0]
            block = wrapped
        elif layout == "wrapped_indented":
            block = ["    " + line for line in block]
        lines += block
        if layout in ("blank", "wrapped_blank") or (layout == "wrapped_indented" and index == 0):
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return lines


def separator_lines(separator: str, rng: random.Random) -> list[str]:
    """Return the lines printed between two stories after the first one's last line."""
    if separator.startswith("blank"):
        return [""] * int(separator[-1])
    mark = rng.choice(END_MARKS) if separator == "end_mark" else "----"
    return ["", mark, ""]


def asked_in_body(blocks: list[list[str]], story: Story, family: Family, rng: random.Random) -> list[list[str]]:
    """Return the story's blocks with, at the family's share of stories, a question put to the reader
    (`What happens next?`, `Is the worst over?`) above one of the body's paragraphs after the lede,
    that paragraph opening, ANSWERED_SHARE of the time, on a short answer (`Analysts are divided.`):
    the short question inside a
    story that web and feature writers print and that is not a headline. Drawn from a stream of its
    own (seeded by the story), so the rest of the set is built alike with or without it."""
    paragraphs = [index for index, block in enumerate(blocks) if len(block) == 1 and len(block[0].split()) > 12]
    if rng.random() >= family.question or len(paragraphs) < 3:
        return blocks
    names = story_names(story)
    question = rng.choice(BODY_QUESTIONS)
    at = rng.choice(paragraphs[1:])
    if rng.random() < ANSWERED_SHARE:
        answer = f"{rng.choice(names)} {rng.choice(['thinks so.', 'says it will.', 'is not so sure.'])}" \
            if names and rng.random() < 0.3 else rng.choice(ANSWER_OPENINGS)
        blocks = [*blocks[:at], [f"{answer} {blocks[at][0]}"], *blocks[at + 1:]]
    return [*blocks[:at], [question], *blocks[at:]]


def house_stops(family: Family, rng: random.Random) -> bool:
    """Return whether a file of the family ends its plain headlines in a full stop: a house style,
    kept by every headline of a file (a publisher that stops one headline stops them all), drawn
    per file at the family's share of full stops among its plain endings."""
    plain = [ending for ending in family.ending if ending in ("", ".")]
    return bool(plain) and rng.random() < plain.count(".") / len(plain)


def render_file(stories: list[Story], family: Family, rng: random.Random,
                shapes: bool = WITH_PRINTED_SHAPES) -> tuple[str, list[Label]]:
    """Return one file's text and its stories' labels; `shapes` draws in PRINTED_SHAPES from a
    stream of their own, seeded by the file's family and first story."""
    shapes_rng = random.Random(f"{family.name}:{stories[0].title}")
    width = rng.randint(60, 80)
    separator = rng.choice(family.separators)
    lines: list[str] = []
    labels: list[Label] = []
    used: set[str] = set()
    stops = house_stops(family, random.Random(f"style:{family.name}:{stories[0].title}"))
    for index, story in enumerate(stories):
        if index:
            lines += separator_lines(separator, rng)
        blocks, label = story_blocks(story, family, rng, used, stops)
        blocks = asked_in_body(blocks, story, family, random.Random(f"question:{family.name}:{story.title}"))
        if shapes:
            blocks, label = with_printed_shapes(blocks, label, story, family, width, shapes_rng)
        labels.append(Label(len(lines), label.headline, label.dateline))
        lines += printed(blocks, family.paragraphs, width)
    return "\n".join(lines) + "\n", labels


def build(out: Path = OUT, files_per_family: int = FILES_PER_FAMILY, seed: int = SEED,
          shapes: bool = WITH_PRINTED_SHAPES) -> Path:
    """Write files/<family>/*.txt and labels.jsonl under `out` (each story used once), with
    PRINTED_SHAPES drawn in unless `shapes` is False; returns `out`."""
    rng = random.Random(seed)
    stories = [story for story in prose_stories() if usable(story)]
    rng.shuffle(stories)
    out.mkdir(parents=True, exist_ok=True)
    (out / "labels.jsonl").unlink(missing_ok=True)  # a build cut short leaves no set that looks whole
    with open(out / "labels.jsonl", "w", encoding="utf-8") as labels_file:
        for family in TUNING + HELD_OUT:
            (out / "files" / family.name).mkdir(parents=True, exist_ok=True)
            for number in range(files_per_family):
                picked = [stories.pop() for _ in range(rng.randint(2, 6))]
                text, labels = render_file(picked, family, rng, shapes)
                name = f"{family.name}/{number:03d}.txt"
                (out / "files" / name).write_text(text, encoding="utf-8")
                row = {"file": name, "family": family.name, "held_out": family in HELD_OUT,
                       "articles": [asdict(label) for label in labels]}
                labels_file.write(json.dumps(row) + "\n")
    (out / "generator.sha256").write_text(generator_fingerprint(), encoding="utf-8")
    return out


def generator_fingerprint() -> str:
    """Return a digest of the code that writes the set (this module and its hand-written material)."""
    digest = hashlib.sha256()
    for source in (Path(__file__), Path(__file__).with_name("segment_material.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def load(out: Path = OUT) -> list[dict]:
    """Return the set's rows (file, family, held_out, articles, text), building it when missing or
    when it was written by other generator code (a set cached by an older checkout would otherwise
    be scored and trained on as if it were this one)."""
    stamp = out / "generator.sha256"
    if not (out / "labels.jsonl").exists() or not stamp.exists() or stamp.read_text(encoding="utf-8") != generator_fingerprint():
        build(out)
    rows = [json.loads(line) for line in (out / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    return [{**row, "text": (out / "files" / row["file"]).read_text(encoding="utf-8")} for row in rows]


if __name__ == "__main__":
    print(build())
