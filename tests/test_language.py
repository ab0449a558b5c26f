"""transforms.language gives py3langid's scores and answers, bit for bit."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import py3langid
import pytest

from transforms import language
from transforms.decode import decode

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CHARS = 1000
# Letters of several scripts, digits, punctuation, spaces and combining marks: random text of
# these reaches states and features that English news never does.
ALPHABET = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:'\"!?-\n"
            "éèüößçñåøæÉÜ" "абвгдежзийклмнопрстуфхцчшщыэюяДЖЯ" "αβγδεζηθλμξπσφψωΩ"
            "的一是不了人我在有他这中大来上国" "あいうえおかきくけこアイウエオ" "한국어문장" "مرحبابالعالم" "שלוםעולם"
            "ภาษาไทย" "हिन्दीभाषा" "\u0301\u0308")


def py3langid_raw_scores(text: str) -> np.ndarray:
    """Return py3langid's own raw scores of the text (before script aliases are folded)."""
    identifier = py3langid.langid._get_identifier()
    return identifier._raw_score(identifier._encode(text))


def news_samples() -> list[str]:
    """Return 1,000-character samples of every seed and segmentation fixture, as parse takes them."""
    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "segment").glob("*.txt"))
    texts = [decode(path.read_bytes()).text for path in paths]
    return [text[start:start + SAMPLE_CHARS] for text in texts for start in range(0, len(text), SAMPLE_CHARS)]


def random_texts(count: int) -> list[str]:
    """Return `count` random texts of 0-1,000 characters, some of them all in capitals."""
    rng = random.Random(11)
    texts = ["".join(rng.choices(ALPHABET, k=rng.randint(0, SAMPLE_CHARS))) for _ in range(count)]
    return [text.upper() if number % 5 == 0 else text for number, text in enumerate(texts)]


def test_no_state_of_the_automaton_is_deeper_than_the_window():
    loaded = language.model()
    depth = np.full(loaded.feature_of.size, -1)
    depth[0], frontier, steps = 0, np.array([0]), 0
    while frontier.size:
        reached = np.unique(loaded.next_state.take((loaded.row_base.take(frontier)[:, None] + np.arange(256)).ravel()))
        frontier = reached[depth[reached] < 0]
        steps += 1
        depth[frontier] = steps
    assert depth.min() >= 0 and depth.max() <= language.WINDOW


def test_scores_of_news_text_equal_py3langids_bit_for_bit():
    samples = news_samples()
    assert len(samples) > 20
    for sample in samples:
        assert np.array_equal(language.language_scores(sample), py3langid_raw_scores(sample)), sample[:80]


def test_scores_of_random_text_in_many_scripts_equal_py3langids_bit_for_bit():
    for text in random_texts(300):
        assert np.array_equal(language.language_scores(text), py3langid_raw_scores(text)), text[:80]


@pytest.mark.parametrize("text", ["", " ", "\n\n", "1987"])
def test_text_without_features_gets_py3langids_answer(text):
    assert language.classify(text) == py3langid.classify(text)[0]


def test_answers_equal_py3langids_on_news_and_random_text():
    texts = news_samples() + random_texts(100)
    assert [language.classify(text) for text in texts] == [py3langid.classify(text)[0] for text in texts]


def test_a_script_alias_gets_the_label_py3langid_gives_it():
    serbian = "Влада Србије је данас усвојила предлог закона о буџету за наредну годину."
    assert language.classify(serbian) == py3langid.classify(serbian)[0]
