"""Articles: from one file's raw bytes to the rows of the ``articles`` table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from records.tables import batch_schema
from transforms.decode import decode
from transforms.parse import ParsedArticle, parse

ARTICLE_SCHEMA = batch_schema("articles")


@dataclass(frozen=True)
class FileArticles:
    """What parsing one file version produced."""

    sha256: str
    encoding: str
    warnings: tuple[str, ...]
    articles: list[dict]


def article_id(sha256: str, ordinal: int) -> str:
    """Stable id of the ``ordinal``-th article of a content: same content, same ids."""
    return f"{sha256[:16]}-{ordinal:04d}"


def article_record(sha256: str, article: ParsedArticle) -> dict:
    published = article.published_at.replace(tzinfo=None) if article.published_at else None
    return {
        "article_id": article_id(sha256, article.ordinal),
        "file_sha256": sha256,
        "ordinal": article.ordinal,
        "headline": article.headline,
        "dek": article.dek,
        "byline": article.byline,
        "authors": list(article.authors),
        "dateline": article.dateline,
        "agency": article.agency,
        "published_at": published,
        "date_source": article.date_source,
        "body": article.body,
        "captions": list(article.captions),
        "credits": article.credits,
        "boilerplate": list(article.boilerplate),
        "subheadings": list(article.subheadings),
        "language": article.language,
        "word_count": len(article.body.split()),
    }


def file_articles(raw: bytes, sha256: str, name: str | None = None, modified: datetime | None = None,
                  max_articles: int | None = None) -> FileArticles:
    """Decode and split one file's bytes; raises ``UndecodableInput`` for unreadable content and
    ``TooManyArticles`` for more than ``max_articles``. The file's name and modification time date
    datelines that print no year."""
    decoded = decode(raw)
    articles = parse(decoded.text, name, modified, max_articles)
    warnings = decoded.warnings + tuple(w for a in articles for w in a.warnings)
    return FileArticles(sha256, decoded.encoding, warnings, [article_record(sha256, a) for a in articles])


def articles_table(records: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(records, schema=ARTICLE_SCHEMA)
