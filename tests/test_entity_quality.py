"""The entity-resolution benchmark's scoring: which labelled name a mention is, and pairwise merges."""

from __future__ import annotations

from bench.entity_quality import LABELS, Unit, labelled_name, merge_scores, mistakes, read_labels

NAMES = {"Reagan": "Ronald Reagan", "Mrs Reagan": "Nancy Reagan", "Baker": "Howard Baker"}


def test_labelled_name_prefers_the_longest_name_the_text_ends_with():
    assert labelled_name("and the president and Mrs\nReagan", NAMES) == "Mrs Reagan"
    assert labelled_name("said President Reagan", NAMES) == "Reagan"


def test_labelled_name_allows_a_possessive_but_not_a_longer_word():
    assert labelled_name("was Baker's", NAMES) == "Baker"
    assert labelled_name("the Reagan administration", NAMES) is None


def test_merge_scores_count_right_predicted_and_true_merges():
    units = {Unit("1", "Reagan", "Ronald Reagan", "e1"), Unit("2", "Reagan", "Ronald Reagan", "e1"),
             Unit("2", "Mrs Reagan", "Nancy Reagan", "e1"), Unit("3", "Baker", "Howard Baker", "e2"),
             Unit("4", "Baker", "Howard Baker", "e3")}
    assert merge_scores(units) == (1, 3, 2)
    assert mistakes(units) == ["merged: Nancy Reagan + Ronald Reagan", "split: Howard Baker is 2 entities"]


def test_labels_cover_thirty_stories_without_corpus_text():
    labels = read_labels(LABELS)
    assert len(labels) == 30
    assert all(len(name) < 40 for names in labels.values() for name in names)
