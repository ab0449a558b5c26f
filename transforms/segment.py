"""Where stories start: paragraphs rebuilt from hard-wrapped lines, and a learned story-start scorer.

Pure: lines in, paragraphs and start decisions out. The only I/O is reading the shipped model
(models/segmenter.json) on first use; bench/train_segmenter.py rebuilds that file.

A reader tells where a new story starts in a run of paragraphs with no dateline to go by from what
an editor sees: a short line without a sentence's end, more blank space around it than between the
paragraphs of a story, printed like the file's first headline (stopped with a full stop only where
it is), not opening as a story goes on (`But`, `Since then,`), a byline or date line under it,
a lede after it (a long sentence that does not carry on the story so far), a change of subject. `layout_features` and
`vocabulary_features` write that evidence down as numbers; a logistic regression trained on
generated layouts weighs it and the products of each vocabulary feature with every other feature
(the words weigh differently under different layouts) (`StartModel`, plain Python and numpy: a run
never imports scikit-learn).
`learned_starts` decides in reading order, each line against the story it would otherwise belong
to, and of two starts in a row keeps the stronger. Rules a reader can follow stay hard: in
transforms.parse, hard breaks (end marks such as `-- more --` or `-30-`, rule lines, form feeds)
and datelines; here, a paragraph that opens in lower case, is wholly in brackets, follows a line
ending in a comma, is a table row or the heading of one, a dateline or header furniture, is
longer than a long headline, ends in a full stop where the run's first headline ends in none
(`stopped_unlike_headlines`), or opens on a word that joins it to the story above (`So`, `But`,
`She`: NEVER_OPENS_STORY) is never scored (is_candidate lists them all).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from itertools import repeat
from operator import mul
from pathlib import Path
from statistics import median

import numpy as np

MODEL_FILE = Path(__file__).with_name("models") / "segmenter.json"
# Hard wrapping: a file is read as wrapped when its lines are at most this wide (90th percentile)...
WRAP_MAX_WIDTH = 85
WRAP_MIN_WIDTH = 40
# ...and at least this many lines run on into a lower-case next line (a sentence cut by the wrap).
WRAP_MIN_EVIDENCE = 2
# Three spaces inside a line lay out columns: a table row is never joined to its neighbours.
COLUMNS = re.compile(r"\S {3,}\S")
STEM_CHARS = 5
# A word of four letters or more, captured by its first STEM_CHARS letters (its stem).
STEM = re.compile(rf"([^\W\d_]{{4,{STEM_CHARS}}})[^\W\d_]*")
SHORT_WORDS = 20
LONG_WORDS = 25
# see vocabulary_features: each between 0 and 1
VOCABULARY_FEATURES = ("vocabulary_shift", "echo_before", "echo_after", "lede_echoes_story", "uniform_shift",
                       "uniform_lede_echoes_story")
# ...of which these, the last ones, are 0 unless every paragraph of the run is spaced alike (uniform_spacing).
UNIFORM_ONLY = ("uniform_shift", "uniform_lede_echoes_story")
# Paragraphs on each side whose words a candidate and its neighbourhood are compared with.
CONTEXT_PARAGRAPHS = 3
FEW_WORDS = 4
SHIFT_EVIDENCE_WORDS = 15  # distinct words
# Where stories print datelines, a headline has one within this many paragraphs (dek, byline, caption between).
DATELINE_AHEAD = 4
# A paragraph longer than a long headline is body text, never weighed as a story start.
CANDIDATE_MAX_WORDS = 30
# A line at least this share of whose words hold digits, and that ends no sentence, is a row of figures.
FIGURES_SHARE = 0.25
# A story's first paragraph is a sentence of at least this many words.
LEDE_WORDS = 15
# A paragraph opening on a sentence of at most ANSWER_WORDS words with more after it: the sentence
# ends on a word in lower case ("Not yet.", never "Mr." or "U.S.") and the next opens on a capital or quote.
ANSWER_WORDS = 8
SHORT_FIRST_SENTENCE = re.compile(rf"^(?:\S+ ){{0,{ANSWER_WORDS - 1}}}[a-z'’]+[.?!][\"”’']?(?= [\"“‘A-Z])")
STORY_SO_FAR_CAP = 4  # paragraphs
DASHES = frozenset("- – — --".split())
CLOSING_QUOTES = "\"'“”‘’»"
SENTENCE_ENDS = (".", "!", "?")
FIGURE = re.compile(r"\S*\d\S*")  # a word with a digit in it
DIGIT = re.compile(r"\d")
WORD_RUN = re.compile(r"a+")
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve".split())
# A byline or date line under a headline is at most this long.
BYLINE_WORDS = 12
# A paragraph opening with one of these carries on the story before it ("They plan to...", "But the
# council said..."); a story's first paragraph names who it is about.
CARRIES_ON = frozenset(
    "he she they it its his her their this that these those but and however also meanwhile still yet both such so".split())
# Of those, the openings no headline takes: a conjunction or adverb joining on to what came before,
# or a pronoun standing for someone already named ("So what happens next?", "She denies the charge.").
NEVER_OPENS_STORY = frozenset("but and so however meanwhile he she they his her its their".split())
# Openings of more than one word that carry a story on ("Since then, residents say ...").
OPENERS = ("Since then", "At the same time", "In a statement", "On the other hand", "As a result", "Even so")
# A paragraph opening on a label of one to three capitalised words and a colon: a speaker in a
# transcript ("PRESENTER: Minister, ...", "Q: How bad has it been?") or the key of a list entry.
LABEL = re.compile(r"^([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2}):\s")
# A Markdown heading: "# Headline", "## Sub-heading".
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+\S")
# Reported speech: a quotation closed on a comma (or ! ?) and its speaker ("...warrior," Blackmore
# said.): a story's paragraph, never a headline ('We had to do it ourselves' says founder closes no comma).
QUOTED_SPEECH = re.compile(
    r"[,!?…][\"”’']\s+(?:\S+\s+){0,4}?(?:said|says|added|adds|told|asked|explained|insisted|warned|replied|"
    r"continued|admitted|claimed|noted)\b")
# A bulleted line: "• Lavrov sees envoy", "* The outage began at 12:33", "- weekly export sales".
BULLET = re.compile(r"^[•▪◦‣·*–-]\s+\S")
# A press release's closing section heading: "About Lumatek" (over "Lumatek Inc. designs ...").
ABOUT_SECTION = re.compile(r"^About ((?:[A-Z][\w&.'’-]*)(?: [A-Z&][\w&.'’-]*){0,5})$")
# A numbered item: "4. Team of the week", "2) Port strike talks collapse".
ITEM_NUMBER = re.compile(r"^(\d{1,2})([.)])\s+\S")
# Words a sentence needs and a headline drops ("Storm expected to bring rain" has one, its story's sentences many).
FUNCTION_WORDS = frozenset(
    "a an the of is are was were has have had be been this that these those which who its their his her it".split())


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its text and the input lines (0-based, inclusive) it was printed on."""

    first_line: int
    last_line: int
    text: str


def wrap_width(lines: list[str]) -> int | None:
    """Return the column a hard-wrapped text was wrapped at, or None when its lines are paragraphs."""
    printed = [line.rstrip() for line in lines]  # "" for a blank line
    widths = sorted(len(line) for line in printed if line)
    if len(widths) < 4:
        return None
    width = widths[int(0.9 * (len(widths) - 1))]
    if not WRAP_MIN_WIDTH <= width <= WRAP_MAX_WIDTH:
        return None
    cut_sentences = sum(
        1 for line, after in zip(printed, lines[1:])
        if line and after.lstrip()[:1].islower() and not line.endswith((".", ":", ";"))
    )
    return width if cut_sentences >= WRAP_MIN_EVIDENCE else None


def continues(previous: str, line: str, width: int | None) -> bool:
    """Return True when `line` (raw) carries on the paragraph whose last printed line is `previous`.

    Only in a wrapped text, only for a line that is not indented (the 1987 wire indents each new
    paragraph), and only when its first word would not have fitted on the line before (a line
    that stops short of the wrap column was ended on purpose: headline, table row, list item) or
    it carries on a sentence in lower case. A line in capitals after a finished sentence is a
    headline, never the paragraph's next line (wrapped prose does not turn to capitals).
    """
    if width is None or not line[:1].strip() or not previous.strip():
        return False
    text, before = line.strip(), previous.rstrip()
    if before.endswith(SENTENCE_ENDS) and len(text.split()) > 1 and _upper_share(text) > 0.8:
        return False
    runs_on = text[:1].islower() and not before.endswith(SENTENCE_ENDS)
    carries_on = runs_on or len(before) + 1 + len(text.split(None, 1)[0]) > width
    return carries_on and not COLUMNS.search(text) and not COLUMNS.search(before.strip())


# --- the story-start scorer ------------------------------------------------------------------


def _ends_sentence(text: str) -> bool:
    return text.rstrip("\"'“”‘’»)").endswith((".", "!", "?", "…", ":", ";", ","))


def _capitalised_share(words: list[str]) -> float:
    """Return the share of the words (as str.split gives them: never empty) opening on a letter that open on a capital."""
    initials = [word[0] for word in words if word[0].isalpha()]
    return sum(map(str.isupper, initials)) / len(initials) if initials else 0.0


def _function_word_share(words: list[str]) -> float:
    """Return the share of words that are function words a headline usually drops."""
    bare = map(str.strip, map(str.lower, words), repeat(".,;:\"'"))
    return sum(map(FUNCTION_WORDS.__contains__, bare)) / len(words) if words else 0.0


def _upper_share(text: str) -> float:
    letters = sum(map(str.isalpha, text))
    return sum(map(str.isupper, text)) / letters if letters else 0.0


def _overlap(before: dict[str, float], after: dict[str, float]) -> float:
    """Return the cosine similarity of two bags of words (0 when either is empty)."""
    if not before or not after:
        return 0.0
    dot = sum(count * after[word] for word, count in before.items() if word in after)
    return dot / math.sqrt(sum(c * c for c in before.values()) * sum(c * c for c in after.values()))


@dataclass
class RunContext:
    """What the scorer compares a paragraph with: the run's usual blank lines between paragraphs,
    which paragraphs are datelines, and (computed when first needed) the paragraphs' words."""

    paras: list[Paragraph]
    usual_gap: float
    datelines: list[bool]
    has_datelines: bool
    closed_share: float   # share of the run's paragraphs that end a sentence
    usual_words: float    # the run's median paragraph length in words
    uniform: bool         # every two paragraphs of the run are parted by the same blank lines
    first_shape: tuple[bool, bool, int]  # how the run's first paragraph (a story start) is printed: _shape
    word_counts: list[int]  # each paragraph's, counted once per run (neighbours are read for every candidate)
    first_words: list[str]
    ends: list[bool]        # each paragraph's _ends_sentence
    dateline_before: list[int]  # for each paragraph, the latest dateline before it (0 when none)
    is_furniture: Callable[[str], bool] = lambda text: False  # header furniture (transforms.parse.is_furniture)
    table_rows: dict[int, bool] = field(default_factory=dict)  # is_table_row, by index, as asked
    furnitures: dict[int, bool] = field(default_factory=dict)  # is_furniture, by index, as asked

    def opens_short(self, index: int) -> bool:
        """Return True when paragraph `index` opens on a sentence of at most ANSWER_WORDS words and
        goes on after it ("Probably not. Lenders say ...")."""
        return SHORT_FIRST_SENTENCE.match(self.paras[index].text) is not None

    @cached_property
    def unstopped_headlines(self) -> bool:
        """Return True when the run's first paragraph reads as a headline printed with no closing
        mark: short, not header furniture, ending in a letter or figure (not . ! ? : ; , nor a
        quotation mark, after which a publisher that stops its headlines prints no stop either)."""
        return (self.word_counts[0] <= SHORT_WORDS and self.paras[0].text[-1:].isalnum() and not self.furniture(0)
                and not self.datelines[0])

    @cached_property
    def recurring_labels(self) -> list[bool]:
        """Return, for each paragraph, whether it opens on a label (LABEL) that opens another
        paragraph of the run too: a speaker's turn or a list key, printed again and again."""
        labels = [match[1] if (match := LABEL.match(para.text)) else None for para in self.paras]
        seen = Counter(label for label in labels if label)
        return [label is not None and seen[label] > 1 for label in labels]

    def is_turn(self, index: int) -> bool:
        """Return True for a turn of a dialogue: a paragraph opening on a recurring label, next to
        another such paragraph ("Q: Will you plant again?" above "A: Yes. We always do.")."""
        turns = self.recurring_labels
        return turns[index] and any(turns[near] for near in (index - 1, index + 1) if 0 <= near < len(turns))

    @cached_property
    def story_heading_level(self) -> int | None:
        """Return the Markdown heading level the run's stories print their headlines at: the
        commonest among its headings (the shallower of a tie; a sub-heading is deeper), or None."""
        levels = Counter(len(match[1]) for para in self.paras if (match := MARKDOWN_HEADING.match(para.text)))
        return max(levels, key=lambda level: (levels[level], -level)) if levels else None

    def is_markdown_subheading(self, index: int) -> bool:
        """Return True for a Markdown heading deeper than the run's story headlines ("## What it
        means" under "# City approves budget")."""
        match = MARKDOWN_HEADING.match(self.paras[index].text)
        return match is not None and len(match[1]) > self.story_heading_level

    def table_row(self, index: int) -> bool:
        """Return is_table_row for paragraph `index`, computed once per run (each line is asked as
        a candidate, as the next line of one, as the line before one and for the prose windows)."""
        if index not in self.table_rows:
            self.table_rows[index] = is_table_row(self.paras, index)
        return self.table_rows[index]

    def byline_below(self, index: int) -> bool:
        """Return True when a byline or date line (short header furniture) follows paragraph
        `index`, right under it or under one short line (a dek) below it."""
        for near in (index + 1, index + 2):
            if near >= len(self.paras) or self.word_counts[near] > SHORT_WORDS:
                return False
            if self.word_counts[near] <= BYLINE_WORDS and self.furniture(near):
                return True
        return False

    def furniture(self, index: int) -> bool:
        """Return is_furniture for paragraph `index`, asked once per run."""
        if index not in self.furnitures:
            self.furnitures[index] = self.is_furniture(self.paras[index].text)
        return self.furnitures[index]

    @cached_property
    def vocabularies(self) -> list[dict[str, float]]:
        """Return each paragraph's words weighted by how few of the run's paragraphs use them
        (inverse document frequency), so that "said" or "company" do not make two stories look alike.
        A word counts by its first STEM_CHARS letters: "collision" and "collided" are one word."""
        bags = [Counter(STEM.findall(para.text.lower())) for para in self.paras]
        spread = Counter(word for bag in bags for word in bag)
        weight = {word: math.log((1 + len(self.paras)) / count) for word, count in spread.items()}
        return [{word: n * weight[word] for word, n in bag.items()} for bag in bags]

    @cached_property
    def prose(self) -> list[int]:
        """Return the indexes of the paragraphs that are not table rows (whose few words tell
        little of a story's subject), in order."""
        return [index for index in range(len(self.paras)) if not self.table_row(index)]


def run_context(paras: list[Paragraph], datelines: list[bool],
                is_furniture: Callable[[str], bool] = lambda text: False) -> RunContext:
    """Return the per-run facts start_features reads; `is_furniture` tells header furniture."""
    gaps = [b.first_line - a.last_line - 1 for a, b in zip(paras, paras[1:])]
    ends = [_ends_sentence(para.text) for para in paras]
    words = [para.text.split() for para in paras]
    word_counts = [len(split) for split in words]
    return RunContext(paras, median(gaps) if gaps else 0, datelines, any(datelines), sum(ends) / len(paras),
                      median(word_counts), len(set(gaps)) <= 1, _shape(paras, 0), word_counts,
                      [split[0] if split else "" for split in words], ends, _latest_before(datelines), is_furniture)


def _latest_before(flags: list[bool]) -> list[int]:
    """Return, for each position, the latest earlier position whose flag is set (0 when none)."""
    latest, found = 0, []
    for index, flag in enumerate(flags):
        found.append(latest)
        if flag:
            latest = index
    return found


def _window(context: RunContext, indexes: Iterable[int]) -> dict[str, float]:
    """Return the summed word weights of the run's paragraphs at `indexes`."""
    total: dict[str, float] = {}
    for index in indexes:
        for word, weight in context.vocabularies[index].items():
            total[word] = total.get(word, 0.0) + weight
    return total


def _echo(words: dict[str, float], window: dict[str, float]) -> float:
    """Return the share of a paragraph's words (by weight) that a window of paragraphs also uses."""
    total = sum(words.values())
    return sum(weight for word, weight in words.items() if word in window) / total if total else 0.0


def story_start(index: int, starts: list[int], context: RunContext) -> int:
    """Return where the story paragraph `index` would otherwise belong to starts: the latest of
    the story starts decided before it and the datelines before it (a dateline opens a body)."""
    return max([start for start in starts if start < index] + [context.dateline_before[index]])


def start_features(paras: list[Paragraph], index: int, context: RunContext, since: int) -> dict[str, float]:
    """Return the evidence that paragraph `index` of a run starts a story (see the module doc);
    `since` is where the story it would otherwise belong to starts (story_start)."""
    return layout_features(paras, index, context, since) | vocabulary_features(index, context, since)


@lru_cache(maxsize=4096)
def _is_figures(text: str) -> bool:
    """Return True for a row of a table or results list: columns, or many numbers and no sentence end."""
    if COLUMNS.search(text) is not None:
        return True
    return not _ends_sentence(text) and len(FIGURE.findall(text)) >= FIGURES_SHARE * len(text.split())


@lru_cache(maxsize=4096)
def _row_shape(text: str) -> str | None:
    """Return how a line prints as a table row (a word run "a", a figure "9", a dash "-": "Ashby 2
    Dunmore 1" is "a9a9"; a number in words is a figure in a row that prints digits too: "Avg shrs
    5,609,000 vs five mln" is "a9a9a", as "Sales 24.1 mln vs 20.9 mln" over it), or None for a line
    that holds no digit or ends a sentence."""
    if _ends_sentence(text) or not FIGURE.search(text):
        return None
    kinds = ("9" if DIGIT.search(word) or word.lower() in NUMBER_WORDS else "-" if word in DASHES else "a"
             for word in text.split())
    return WORD_RUN.sub("a", "".join(kinds))


def is_table_row(paras: list[Paragraph], index: int) -> bool:
    """Return True for a row of a table or list: laid out in columns, or printed next to another
    row in the same shape of words and figures ("ORE - Maritime Queen 53,000 tonnes" over "COAL -
    Lantau Peak 60,000 tonnes"), or a row of figures next to another ("Net 2.9 mln vs 1.5 mln"
    over "Sales 25.7 mln vs 22.2 mln")."""
    text = paras[index].text
    if COLUMNS.search(text):
        return True
    neighbours = [paras[near].text for near in (index - 1, index + 1) if 0 <= near < len(paras)]
    shape = _row_shape(text)
    return shape is not None and any(_row_shape(near) == shape for near in neighbours) or (
        _is_figures(text) and any(map(_is_figures, neighbours)))


def _shape(paras: list[Paragraph], index: int) -> tuple[bool, bool, int]:
    """Return how a paragraph is printed: capitals, ending a sentence, blank lines after it."""
    text = paras[index].text
    gap = paras[index + 1].first_line - paras[index].last_line - 1 if index + 1 < len(paras) else -1
    return _upper_share(text) > 0.8, _ends_sentence(text), gap


def layout_features(paras: list[Paragraph], index: int, context: RunContext, since: int) -> dict[str, float]:
    """Return the evidence a reader sees without reading: length, casing, punctuation, spacing,
    neighbours, and whether it is printed like the run's first paragraph (which starts a story:
    a file keeps one layout)."""
    para, text = paras[index], paras[index].text
    words = text.split()
    previous = paras[index - 1] if index else None
    following = paras[index + 1] if index + 1 < len(paras) else None
    usual_gap = context.usual_gap
    gap_before = para.first_line - previous.last_line - 1 if previous else usual_gap
    gap_after = following.first_line - para.last_line - 1 if following else usual_gap
    next_count = context.word_counts[index + 1] if following else 0
    previous_count = context.word_counts[index - 1] if previous else 0
    core = text.rstrip(CLOSING_QUOTES)
    later_words = [word for word in words[1:] if word[:1].isalpha()]
    ends, capitalised, upper = context.ends[index], _capitalised_share(words), _upper_share(text)
    previous_ends = previous is not None and context.ends[index - 1]
    next_ends = following is not None and context.ends[index + 1]
    next_carries_on = bool(next_count) and context.first_words[index + 1].lower().strip(",") in CARRIES_ON
    after_figures = previous is not None and (context.table_row(index - 1) or _is_figures(previous.text))
    reads_as_lede = next_count >= LEDE_WORDS and next_ends and not next_carries_on
    return {
        "log_words": math.log1p(len(words)),
        "short": float(len(words) <= SHORT_WORDS),
        "ends_period": float(core.endswith(".")),
        "ends_comma_semicolon": float(core.endswith((",", ";"))),
        "ends_question": float(core.endswith("?")),
        "ends_exclamation": float(core.endswith("!")),
        "ends_colon": float(core.endswith(":")),
        "ends_quote": float(text != core),
        "capitalised_share": capitalised,
        "upper_share": upper,
        "digit_share": len(DIGIT.findall(text)) / len(text),
        "more_space_before": float(gap_before > usual_gap),
        "more_space_after": float(gap_after > usual_gap),
        "less_space_after": float(gap_after < usual_gap),
        "previous_ends_sentence": float(previous_ends),
        "previous_short_open": float(previous is not None and previous_count <= SHORT_WORDS
                                     and not previous_ends and not _is_figures(previous.text)),
        "next_log_words": math.log1p(next_count),
        "next_long": float(next_count >= LONG_WORDS),
        "next_ends_sentence": float(next_ends),
        "next_is_dateline": float(following is not None and context.datelines[index + 1]),
        "next_short_open": float(following is not None and next_count <= SHORT_WORDS and not next_ends),
        # A byline or date line goes under a headline (or its dek), never under a sub-heading or a sentence.
        "byline_below": float(context.byline_below(index)),
        "sentence_case": float(text[:1].isupper() and bool(later_words)
                               and sum(w[0].islower() for w in later_words) >= 0.3 * len(later_words)),
        "few_capitalised_words": float(len(words) <= FEW_WORDS and capitalised == 1.0),
        "datelined_run_no_dateline_ahead": float(
            context.has_datelines and not any(context.datelines[index + 1:index + 1 + DATELINE_AHEAD])),
        "open_in_closed_run": float(not ends) * context.closed_share,
        "shorter_than_run": max(0.0, math.log(context.usual_words / len(words))) if words else 0.0,
        "function_word_share": _function_word_share(words),
        "next_longer_than_previous": float(previous is not None and next_count > previous_count),
        "opens_with_article": float(bool(words) and words[0] in ("A", "An", "The")),
        "next_carries_on": float(next_carries_on),
        # A lede opens on a long sentence that names who and what; an answer to a question asked in
        # the body opens short ("Not yet. The council says...").
        "next_opens_short": float(bool(next_count) and context.opens_short(index + 1)),
        # "But critics say...", "Since then, ...": a paragraph opening so carries a story on; a headline never does.
        "carries_on": float(context.first_words[index].lower().strip(",") in CARRIES_ON or text.startswith(OPENERS)),
        # A publisher stops all its headlines or none: a full stop where the run's first headline has none.
        "stop_unlike_first": float(core.endswith(".") and not context.paras[0].text.rstrip(CLOSING_QUOTES).endswith(".")),
        # A table closes a story (results) as often as it goes on into notes: a headline after one has a lede after it.
        "after_figures_before_lede": float(after_figures and reads_as_lede),
        "after_figures_no_lede": float(after_figures and not reads_as_lede),
        # A story of a headline and one paragraph is seldom over; past a few paragraphs, length tells nothing more.
        "story_so_far": min(index - since, STORY_SO_FAR_CAP) / STORY_SO_FAR_CAP,
        "shaped_like_first": float((upper > 0.8, ends, gap_after if following else -1) == context.first_shape),
        "length_unlike_first": abs(math.log((1 + len(words)) / (1 + context.word_counts[0]))),
        "uniform_spacing": float(context.uniform),
    }


def vocabulary_features(index: int, context: RunContext, since: int) -> dict[str, float]:
    """Return the change of subject around paragraph `index`, each feature between 0 and 1: how
    unlike the paragraphs before are the paragraph and those after it (vocabulary_shift), how
    much of its words the paragraphs before (echo_before) and after (echo_after) use, and how
    much of the next paragraph's words the story so far (from `since`) uses: a lede under a
    sub-heading carries on its story's names and subject (lede_echoes_story), a new story's does not."""
    own = context.vocabularies[index]
    prose = context.prose
    before = _window(context, prose[:bisect_left(prose, index)][-CONTEXT_PARAGRAPHS:])
    later = _window(context, prose[bisect_right(prose, index):][:CONTEXT_PARAGRAPHS])
    after = dict(later)
    for word, weight in own.items():
        after[word] = after.get(word, 0.0) + weight
    # Two short texts share few words whatever their subject: the shift counts as evidence only
    # in proportion to the words it was measured on.
    evidence = min(1.0, min(len(before), len(after)) / SHIFT_EVIDENCE_WORDS)
    shift = (1 - _overlap(before, after)) * evidence
    lede_echo = (_echo(context.vocabularies[index + 1], _window(context, range(since, index)))
                 if index + 1 < len(context.paras) else 0.0)
    return {
        "vocabulary_shift": shift,
        "echo_before": _echo(own, before),
        "echo_after": _echo(own, later),
        "lede_echoes_story": lede_echo,
        # Where blank lines tell nothing (every paragraph parted alike), the words must tell more.
        "uniform_shift": shift * context.uniform,
        "uniform_lede_echoes_story": lede_echo * context.uniform,
    }


@dataclass
class StartModel:
    """A logistic regression over start_features and the products of each vocabulary feature with
    every other feature (the words weigh differently under different layouts: a new subject below
    a short line tells more after a wide gap than under a run's usual spacing): weights by feature
    name, each pair's weight under its first name in start_features' order (partners), bias,
    threshold."""

    weights: dict[str, float]
    partners: dict[str, dict[str, float]]
    bias: float
    threshold: float
    version: str

    def score(self, features: dict[str, float]) -> float:
        """Return the log-odds of a story start."""
        total = self.bias
        for name, value in features.items():
            if value:
                total += value * (self.weights[name] + sum(
                    weight * features.get(other, 0.0) for other, weight in self.partners.get(name, {}).items()))
        return total

    def probability(self, features: dict[str, float]) -> float:
        return _logistic(self.score(features))

    @cached_property
    def _needed(self) -> float:
        """Return the log-odds of the threshold."""
        return math.log(self.threshold / (1 - self.threshold))

    @cached_property
    def _layout_arrays(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """Return the layout features' names, their weights, the weights of their pairs with each
        vocabulary feature (a row per layout feature, a column per VOCABULARY_FEATURES; every pair
        holds a vocabulary feature: bench.train_segmenter.pairs) and the vocabulary features' weights."""
        names = [name for name in self.weights if name not in VOCABULARY_FEATURES]
        pairs = [[self.partners.get(name, {}).get(word, 0.0) for word in VOCABULARY_FEATURES] for name in names]
        return (names, np.array([self.weights[name] for name in names]), np.array(pairs),
                np.array([self.weights[word] for word in VOCABULARY_FEATURES]))

    @cached_property
    def _word_pairs(self) -> list[tuple[int, int, float]]:
        """Return the pairs of two vocabulary features: (position, position, weight)."""
        position = {name: index for index, name in enumerate(VOCABULARY_FEATURES)}
        return [(position[name], position[other], weight) for name in VOCABULARY_FEATURES
                for other, weight in self.partners.get(name, {}).items()]

    def start_probability(self, paras: list[Paragraph], index: int, context: RunContext, since: int) -> float:
        """Return the probability that paragraph `index` starts a story, or 0 when it cannot reach
        the threshold: when no vocabulary evidence (each feature in 0..1, the two UNIFORM_ONLY ones
        0 in a run not uniformly spaced) could lift the layout evidence that far, the words need
        not be read, the decision is the same. The layout sets each vocabulary feature's slope
        (its weight plus its pairs with the layout features)."""
        layout = layout_features(paras, index, context, since)
        names, weights, pairs, word_weights = self._layout_arrays
        values = np.fromiter(map(layout.__getitem__, names), float, len(names))
        score = self.bias + float(values @ weights)
        slopes = (word_weights + values @ pairs).tolist()
        ceilings = [1.0] * (len(VOCABULARY_FEATURES) - len(UNIFORM_ONLY)) + [float(context.uniform)] * len(UNIFORM_ONLY)
        best = sum(max(0.0, slope) * ceiling for slope, ceiling in zip(slopes, ceilings)) + sum(
            max(0.0, weight) * ceilings[first] * ceilings[second] for first, second, weight in self._word_pairs)
        if score + best < self._needed:
            return 0.0
        words = vocabulary_features(index, context, since)
        found = [words[name] for name in VOCABULARY_FEATURES]
        score += sum(map(mul, slopes, found)) + sum(
            weight * found[first] * found[second] for first, second, weight in self._word_pairs)
        return _logistic(score)


def _logistic(log_odds: float) -> float:
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, log_odds))))


def load_model(path: Path = MODEL_FILE) -> StartModel:
    """Return the shipped story-start model."""
    data = json.loads(path.read_text(encoding="utf-8"))
    weights = dict(zip(data["features"], data["weights"]))
    return StartModel(weights, partners_of(data["pairs"]), data["bias"], data["threshold"], data["version"])


def partners_of(pairs: list[list]) -> dict[str, dict[str, float]]:
    """Return the pair weights [first, second, weight] by first name, then second."""
    partners: dict[str, dict[str, float]] = {}
    for first, second, weight in pairs:
        partners.setdefault(first, {})[second] = weight
    return partners


# The model learned_starts uses instead of the shipped one when set (bench.parse_quality sets it).
MODEL: StartModel | None = None


@cache
def shipped_model() -> StartModel | None:
    """Return the shipped story-start model, read on first use; None when the file is missing."""
    return load_model() if MODEL_FILE.exists() else None


def is_candidate(paras: list[Paragraph], index: int, context: RunContext, is_furniture: Callable[[str], bool]) -> bool:
    """Return True for a paragraph the scorer weighs: short enough to head a story, not a dateline
    (datelines anchor their stories by rule), not opening in lower case, not wholly in brackets
    (a note or credit), not header furniture such as a byline (the rules of transforms.parse place
    those), not a table row nor the heading of one (a story opens on a lede, not on a table), not
    a turn of a dialogue (a transcript's speakers), not a Markdown heading deeper than the run's
    story headlines, not a press release's "About <Name>" section (is_about_section), not
    reported speech (a quotation closed on a comma and its speaker: QUOTED_SPEECH), not a
    numbered item of a run whose first paragraph is not numbered (is_list_item), not the lead-in
    of a bulleted list ("FACTBOX-What we know about the blackout:" over "* The outage began..."), not
    after a line that ends in a comma (its sentence carries on), not a full stop where the run's
    headlines print none (stopped_unlike_headlines), and not opening on a word that joins it to the
    story above (NEVER_OPENS_STORY, OPENERS)."""
    return _shaped_to_start(paras, index, context) and not is_furniture(paras[index].text)


def _shaped_to_start(paras: list[Paragraph], index: int, context: RunContext) -> bool:
    """Return True when is_candidate holds, furniture aside (the costliest test, left to the last)."""
    text = paras[index].text
    return (
        context.word_counts[index] <= CANDIDATE_MAX_WORDS
        and not context.datelines[index]
        and not text[:1].islower()
        and not (text[:1] in "([" and text[-1:] in ")]")
        and not paras[index - 1].text.endswith(",")
        and not context.table_row(index)
        and not (index + 1 < len(paras) and context.table_row(index + 1))
        and not context.is_turn(index)
        and not context.is_markdown_subheading(index)
        and not is_about_section(paras, index)
        and QUOTED_SPEECH.search(text) is None
        and not is_list_item(paras, index)
        and not (text.endswith(":") and index + 1 < len(paras) and BULLET.match(paras[index + 1].text) is not None)
        and not stopped_unlike_headlines(paras, index, context)
        and not (context.first_words[index].lower().strip(",") in NEVER_OPENS_STORY or text.startswith(OPENERS))
    )


def stopped_unlike_headlines(paras: list[Paragraph], index: int, context: RunContext) -> bool:
    """Return True for a paragraph ending in a full stop in a run whose first paragraph, its first
    story's headline, ends in no mark at all ("Melzer shocks Agassi"): a publisher prints all its
    headlines alike, so the full stop marks a sentence of a story ("The match was abandoned."),
    unless the page says otherwise (more blank lines above it than the run's usual, or a byline
    under it)."""
    return (context.unstopped_headlines and paras[index].text.rstrip(CLOSING_QUOTES).endswith(".")
            and paras[index].first_line - paras[index - 1].last_line - 1 <= context.usual_gap
            and not context.byline_below(index))


def is_list_item(paras: list[Paragraph], index: int) -> bool:
    """Return True for a numbered line ("1. Turn down the boiler") in a run whose first paragraph
    is not numbered: the steps or reasons of one story; a file that numbers its stories numbers
    its first one too ("1. Interest rates held...")."""
    return ITEM_NUMBER.match(paras[index].text) is not None and ITEM_NUMBER.match(paras[0].text) is None


def is_about_section(paras: list[Paragraph], index: int) -> bool:
    """Return True for a press release's "About <Name>" heading over a paragraph that opens with
    that name ("About Lumatek" over "Lumatek Inc. designs ..."): the release's closing boilerplate,
    not a story."""
    match = ABOUT_SECTION.match(paras[index].text)
    return match is not None and index + 1 < len(paras) and paras[index + 1].text.startswith(match[1].split()[0])


def learned_starts(
    paras: list[Paragraph], datelines: list[bool], is_furniture: Callable[[str], bool], model: StartModel | None = None,
    is_byline: Callable[[str], bool] = lambda text: False,
) -> list[int]:
    """Return the indexes (never 0: a run always starts a story) the model (by default MODEL when
    set, so that bench.parse_quality can score a model trained without a family, else the shipped
    one) reads as story starts.

    Two starts in a row are one story's: the second is the first one's dek, unless it scores
    higher as a start of its own (weighed as if the first were not one): then the first was the
    last line of the story before (a closing sentence read as a headline) and the second starts.
    A numbered line that carries on the numbering of the last start, with a story between them
    ("3. How to claim the new energy rebate" ... "4. Team of the week"), starts a story whatever it
    scores: an editor who numbers a file's stories numbers every one. So does a short line
    under a body paragraph with a byline (`is_byline`) right under it and a lede under that
    (signed_headline): a byline goes under a headline, never under a sub-heading or a sentence.
    """
    model = model or MODEL or shipped_model()
    if model is None or len(paras) < 3:  # the first two paragraphs of a run are never weighed
        return []
    context = run_context(paras, datelines, is_furniture)
    starts, scores = [0], [1.0]
    for index in range(2, len(paras)):  # the run's first paragraph starts a story, the second is never one
        if not _shaped_to_start(paras, index, context):
            continue
        follows = starts[-1] == index - 1
        since = story_start(index, starts[:-1] if follows else starts, context)
        probability = model.start_probability(paras, index, context, since)
        # is_candidate's furniture test, asked only of a line that would start a story otherwise
        below = probability < model.threshold and not (
            numbers_next_story(paras, starts[-1], index) or signed_headline(paras, starts[-1], index, is_byline))
        if below or (follows and probability <= scores[-1]) or context.furniture(index):
            continue
        if follows:
            starts.pop()
            scores.pop()
        starts.append(index)
        scores.append(probability)
    return starts[1:]


def numbers_next_story(paras: list[Paragraph], last_start: int, index: int) -> bool:
    """True when paragraph ``index`` is the item after the numbered start ``last_start`` ("4." after
    "3.", printed alike) and at least one paragraph of that story lies between them."""
    item, previous = ITEM_NUMBER.match(paras[index].text), ITEM_NUMBER.match(paras[last_start].text)
    return bool(item and previous and index - last_start > 1 and item[2] == previous[2]
                and int(item[1]) == int(previous[1]) + 1)


def signed_headline(paras: list[Paragraph], last_start: int, index: int, is_byline: Callable[[str], bool]) -> bool:
    """True when paragraph ``index`` heads a story by its byline: a byline right under it, a lede
    (a paragraph of LEDE_WORDS or more) under the byline, and above it a longer paragraph that
    ends a sentence (the story before's last, not a headline over a dek), the start ``last_start``
    not next to it."""
    if index - last_start < 2 or index + 2 >= len(paras):
        return False
    before, text = paras[index - 1].text, paras[index].text
    return (is_byline(paras[index + 1].text) and len(paras[index + 2].text.split()) >= LEDE_WORDS
            and _ends_sentence(before) and len(before.split()) > len(text.split()))
