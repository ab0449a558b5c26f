"""Near-duplicate signatures: MinHash of an article's normalised body, cut into LSH bands.

Pure: text in, numbers out; warehouse/neardup.py stores them and finds candidates. The same story
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

SHINGLE_WORDS = 5
NUM_PERM = 128
MINHASH_SEED = 1  # fixed: signatures stored in the warehouse must stay comparable across runs
# Bodies at least this similar are the same story; LSH is tuned by datasketch for this threshold.
NEAR_DUPLICATE_MIN_SIMILARITY = 0.8
NON_WORD = re.compile(r"[\W_]+")


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


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Return the MinHash estimate of the Jaccard similarity of two signatures."""
    return float(np.mean(np.asarray(a) == np.asarray(b)))
