"""Files written blind by the lead in the shapes of the owners' test (sentence-case headlines with
no dateline, one, none or several blank lines, end marks, mixed-case datelines, a table inside a
story, headlines ending in '?' or '.' or opening on a quoted clause): each splits at every story
and takes every headline and dateline as labelled in tests/fixtures/segment/answers.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms.parse import parse

FIXTURES = Path(__file__).with_name("fixtures") / "segment"
ANSWERS = json.loads((FIXTURES / "answers.json").read_text(encoding="utf-8"))["files"]
BLIND = sorted(name for name, entry in ANSWERS.items() if entry.get("written_round") == "blind")


def test_the_blind_group_holds_its_seven_files():
    assert len(BLIND) == 7


@pytest.mark.parametrize("name", BLIND)
def test_a_blind_file_splits_at_every_story_with_its_headline_and_dateline(name):
    articles = parse((FIXTURES / name).read_text(encoding="utf-8"))
    expected = [(a["first_line"], a["headline"], a.get("dateline")) for a in ANSWERS[name]["articles"]]
    assert [(a.first_line, a.headline, a.dateline) for a in articles] == expected
