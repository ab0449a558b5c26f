"""Language identification: py3langid's model and its answers, computed with numpy.

py3langid (0.4, as locked) scores a text by walking an automaton over the text's UTF-8 bytes one
byte at a time in Python, counting the feature each state it passes emits, and multiplying
log(1 + count) by the features' rows of a float16 table cast to float32 for every text. Those
three steps were most of the parse stage's language cost (about 150 of 680 microseconds of a
one-story file's parse). Here they give bit-identical scores (tests/test_language.py compares
every score with py3langid's on news text and on random text in many scripts) more cheaply:

- the walk: the automaton matches byte n-grams (Aho-Corasick), so the state after a byte is the
  longest suffix of the text so far that begins some n-gram, at most WINDOW bytes long; a walk
  from the start state over only the last WINDOW bytes ends in that same state, so numpy walks
  every position at once in WINDOW steps;
- the counts: in the order py3langid counts them (each feature where it is first seen), as the
  order of a float32 sum can change its last bit;
- the table: cast to float32 once, when the model is loaded (57 MB, where py3langid keeps 28 MB
  of float16), instead of casting about 280 rows per text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

import numpy as np
from py3langid.langid import MODEL_FILE, RAW_FLOOR, LanguageIdentifier

# The deepest state of the automaton (the longest n-gram prefix it tracks), in bytes: checked
# against the model by tests/test_language.py.
WINDOW = 6


@dataclass(frozen=True)
class Model:
    """py3langid's model as numpy arrays (its float16 table is not kept)."""

    classes: list[str]          # the label of each class (score column)
    alias_pairs: list[tuple[int, int]]  # (first, alias) columns of one label (srl -> sr)
    class_prior: np.ndarray     # log-probability of each class
    next_state: np.ndarray      # the automaton's transitions, indexed by row_base[state] + byte
    row_base: np.ndarray        # each state's offset into next_state
    feature_of: np.ndarray      # the feature each state emits, -1 for none
    table: np.ndarray           # log-probability of each feature per class, float32


@cache
def model() -> Model:
    """Return py3langid's default model, loaded on first use (about half a second)."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    return Model(
        classes=list(identifier.nb_classes),
        alias_pairs=list(identifier._alias_pairs),
        class_prior=identifier.nb_pc,
        next_state=np.frombuffer(identifier.tk_nextmove, dtype=identifier.tk_nextmove.typecode),
        row_base=np.asarray(identifier._rowbase, dtype=np.intp),
        feature_of=np.asarray(identifier.tk_output, dtype=np.intp),
        table=identifier.nb_ptc.astype(np.float32),
    )


def classify(text: str) -> str:
    """Return the language py3langid.classify gives the text (its ISO 639-1 code)."""
    loaded = model()
    scores = language_scores(text)
    for first, alias in loaded.alias_pairs:  # as py3langid folds a script alias (srl -> sr)
        scores[first] = max(scores[first], scores[alias])
        scores[alias] = RAW_FLOOR
    return loaded.classes[int(scores.argmax())]


def language_scores(text: str) -> np.ndarray:
    """Return py3langid's raw score of each class for the text, before script aliases are folded."""
    loaded = model()
    visits = Counter(emitted_features(LanguageIdentifier._encode(text)).tolist())
    if not visits:
        return np.full(len(loaded.classes), RAW_FLOOR, dtype=np.float32)
    features = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
    counts = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
    return np.log1p(counts) @ loaded.table.take(features, axis=0) + loaded.class_prior


def emitted_features(encoded: bytes) -> np.ndarray:
    """Return the feature emitted after each byte that emits one, in text order: the automaton
    walked from its start state over each byte's last WINDOW bytes, every position at once."""
    loaded = model()
    codes = np.frombuffer(encoded, dtype=np.uint8).astype(np.intp)
    states = np.zeros(codes.size, dtype=np.intp)
    for lag in range(min(WINDOW, codes.size) - 1, -1, -1):  # position i reads byte i - lag (none while i < lag)
        reached = states[lag:]
        states[lag:] = loaded.next_state.take(loaded.row_base.take(reached) + codes[:codes.size - lag])
    features = loaded.feature_of.take(states)
    return features[features >= 0]
