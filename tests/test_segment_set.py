"""The segmentation set's generator (bench/segment_set.py) prints the shapes real news prints."""

import random

import pytest

from bench.corpus import CORPUS
from bench.multi_article_set import Story
from bench.segment_material import STORIES
from bench.segment_set import (FILES_PER_FAMILY, HELD_OUT, LONG_HEADLINE_WORDS, TUNING, Label, build,
                               generator_fingerprint, load, long_headline, render_file, with_printed_shapes)

STORY = Story(STORIES[1][0], "", "", None, STORIES[1][1], "")


def test_a_long_headline_has_twelve_to_twenty_words_in_the_casing_of_the_short_one():
    low, high = LONG_HEADLINE_WORDS
    made = [long_headline(STORY, short, "blank", 70, random.Random(seed))
            for seed in range(40) for short in ("HIKERS RESCUED", "Hikers Rescued on the Hill", "Hikers rescued")]
    printed = [headline for headline in made if headline]
    assert printed and all(low <= len(headline.split()) <= high for headline in printed)
    assert any(headline.isupper() for headline in printed) and any(not headline.isupper() for headline in printed)


def test_a_story_under_a_long_headline_is_labelled_with_it():
    family = next(family for family in TUNING + HELD_OUT if family.name == "local_digest")
    blocks = [["Hikers rescued"], *[[paragraph] for paragraph in STORY.paragraphs]]
    for seed in range(60):
        shaped, label = with_printed_shapes(blocks, Label(0, "Hikers rescued", None), STORY, family, 70,
                                            random.Random(seed))
        assert label.headline == shaped[0][0]


def test_the_shapes_draw_from_a_stream_of_their_own_so_the_rest_of_the_set_is_unchanged():
    family = TUNING[0]
    stories = [STORY, Story(STORIES[0][0], "", "", None, STORIES[0][1], "")]
    before = random.Random(7)
    render_file(stories, family, before, shapes=False)
    after = random.Random(7)
    render_file(stories, family, after, shapes=True)
    assert before.random() == after.random()


@pytest.mark.skipif(not CORPUS.exists(), reason=f"news corpus not found at {CORPUS}")
def test_a_set_written_by_other_generator_code_is_built_again_when_loaded(tmp_path):
    build(tmp_path, files_per_family=1)
    (tmp_path / "generator.sha256").write_text("an older generator", encoding="utf-8")
    rows = load(tmp_path)
    assert len(rows) == FILES_PER_FAMILY * len(TUNING + HELD_OUT)
    assert (tmp_path / "generator.sha256").read_text(encoding="utf-8") == generator_fingerprint()


def test_a_file_ends_all_its_plain_headlines_alike_as_a_publisher_does():
    family = next(family for family in TUNING + HELD_OUT if family.name == "web_dek")
    stories = [Story(title, "", "", None, paragraphs, "") for title, paragraphs in STORIES[:8]]
    styles = set()
    for seed in range(8):  # the house style is drawn per file (seeded by its first story)
        _, labels = render_file(stories[seed:] + stories[:seed], family, random.Random(seed), shapes=False)
        plain = {label.headline.endswith(".") for label in labels if not label.headline.endswith(("?", "!", ":", '"'))}
        assert len(plain) <= 1
        styles |= plain
    assert styles == {True, False}
