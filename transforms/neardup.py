"""Near-duplicate signatures: MinHash of an article's normalised body, cut into LSH bands.

Pure: text in, numbers and decisions out; warehouse/neardup.py stores signatures, finds LSH
candidates and stores the marks ``duplicate_marks`` decides (flows/loading.py wires the two). The same story
resent by another feed may have lost its punctuation and apostrophes ("Russia s" for "Russia's")
and its headline, so only the body is compared, after normalising it to lower-case words with
every non-alphanumeric character read as a space. Two bodies are compared by the Jaccard
similarity of their 5-word shingles, estimated by MinHash (datasketch). LSH banding makes the
candidate search a join on equal band keys, so its cost grows with the new articles, not with
the warehouse.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa

SHINGLE_WORDS = 5
NUM_PERM = 128
MINHASH_SEED = 1  # fixed: signatures stored in the warehouse must stay comparable across runs
# Bodies at least this similar are the same story; LSH is tuned by datasketch for this threshold.
NEAR_DUPLICATE_MIN_SIMILARITY = 0.8
NON_WORD = re.compile(r"[\W_]+")
# Articles of one LSH band bucket a pending article is compared with: the bucket's best-ranked
# (Candidate.rank). Without a bound, a cluster of n copies shares every bucket and gives n² pairs;
# with it, n x this many, and a pending article misses its best original only if this many
# better-ranked articles of every bucket they share are all unlike it.
CANDIDATES_PER_BUCKET = 8


@lru_cache(maxsize=1)
def band_ranges() -> tuple[tuple[int, int], ...]:
    """The LSH bands datasketch picks for the threshold (datasketch is imported on first use: with
    scipy it costs a second of start-up that a run with nothing new should not pay)."""
    from datasketch import MinHashLSH

    return tuple(MinHashLSH(threshold=NEAR_DUPLICATE_MIN_SIMILARITY, num_perm=NUM_PERM).hashranges)


@dataclass(frozen=True)
class Signature:
    """One article's MinHash values and the LSH band keys derived from them."""

    article_id: str
    minhash: tuple[int, ...]
    band_keys: tuple[int, ...]


def normalised_words(text: str) -> list[str]:
    """Return the lower-case words of text, punctuation and apostrophes read as spaces."""
    return NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split()


def shingles(text: str) -> set[str]:
    """Return the 5-word shingles of text (the whole text as one shingle when shorter)."""
    words = normalised_words(text)
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(article_id: str, body: str) -> Signature | None:
    """Return the article's signature, or None when its body has no words to compare."""
    grams = shingles(body)
    if not grams:
        return None
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)
    minhash.update_batch([gram.encode("utf-8") for gram in grams])
    values = minhash.hashvalues
    return Signature(article_id, tuple(int(v) for v in values), band_keys(values))


def band_keys(values: np.ndarray) -> tuple[int, ...]:
    """Return one signed 64-bit key per LSH band: equal keys make two articles candidates."""
    return tuple(
        int.from_bytes(hashlib.blake2b(values[start:end].astype("<u8").tobytes(), digest_size=8).digest(),
                       "little", signed=True)
        for start, end in band_ranges()
    )


def similarity(a: tuple[int, ...] | np.ndarray, b: tuple[int, ...] | np.ndarray) -> float:
    """Return the MinHash estimate of the Jaccard similarity of two signatures."""
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def signatures(articles: list[tuple[str, str]]) -> list[Signature]:
    """Signatures of (article_id, body) pairs, leaving out bodies with no words to compare."""
    return [s for s in (signature(article_id, body) for article_id, body in articles) if s is not None]


def signature_tables(signed: list[Signature]) -> tuple[pa.Table, pa.Table]:
    """The rows of ``article_signatures`` and of ``article_signature_bands`` for ``signed``."""
    minhashes = pa.table({
        "article_id": pa.array([s.article_id for s in signed], pa.string()),
        "minhash": pa.array([list(s.minhash) for s in signed], pa.list_(pa.uint32())),
    })
    bands = pa.table({
        "article_id": pa.array([s.article_id for s in signed for _ in s.band_keys], pa.string()),
        "band": pa.array([band for s in signed for band in range(len(s.band_keys))], pa.int16()),
        "band_key": pa.array([key for s in signed for key in s.band_keys], pa.int64()),
    })
    return minhashes, bands


@dataclass(frozen=True)
class Candidate:
    """What deciding an original needs to know about one article."""

    article_id: str
    minhash: np.ndarray
    is_pending: bool
    has_headline: bool
    word_count: int
    duplicate_of: str | None

    def rank(self) -> tuple:
        """Sort key: the smallest is the best original. statements/near_duplicate_candidates.sql
        ranks a bucket's members by the same keys in SQL; a test pins that the two agree on ties."""
        return (self.is_pending, not self.has_headline, -self.word_count, self.article_id)


def candidates(rows: list[tuple], pending: list[str]) -> dict[str, Candidate]:
    """Candidates by id from (article_id, minhash, has headline, word_count, duplicate_of) rows;
    the ``pending`` ones are the articles being compared now."""
    pending_ids = set(pending)
    return {row[0]: Candidate(row[0], np.asarray(row[1]), row[0] in pending_ids, row[2], row[3], row[4]) for row in rows}


def duplicate_marks(articles: dict[str, Candidate], pairs: list[tuple[str, str]]) -> list[tuple[str, str, float]]:
    """(article_id, original_id, similarity) for each pending article that copies a better original.

    Of a group of matching articles the original is the one already in the warehouse, else the
    one with a headline, else the longest, else the smallest id; the others point to it with
    their MinHash similarity to it, so every cluster is one original and its copies."""
    near: dict[str, list[Candidate]] = {}
    for mine, other in pairs:
        if similarity(articles[mine].minhash, articles[other].minhash) >= NEAR_DUPLICATE_MIN_SIMILARITY:
            near.setdefault(mine, []).append(articles[other])
    marks = []
    for article_id in sorted(near, key=lambda a: articles[a].rank()):
        article = articles[article_id]
        best = min(near[article_id], key=Candidate.rank)
        if best.rank() < article.rank():
            original = original_of(best, articles, {m[0]: m[1] for m in marks})
            marks.append((article_id, original.article_id, similarity(article.minhash, original.minhash)))
    return marks


def original_of(candidate: Candidate, articles: dict[str, Candidate], marked: dict[str, str]) -> Candidate:
    """The original a candidate stands for: itself, or the article it is a copy of."""
    original_id = marked.get(candidate.article_id) or candidate.duplicate_of
    return articles[original_id] if original_id else candidate
