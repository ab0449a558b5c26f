"""One label per name in a story, voted by the evidence of all its mentions.

A mention's own evidence is strong and fixes its label: a title or honorific before it
(``President``, ``Mr``; never before a country: ``Deputy U.S. Trade Representative``) or in an apposition after it (``Robert Bretz, chairman of``) makes a PERSON
(lowercase words other than particles make a PERSON label an ORG's: ``Agreement on Tariffs``); a company form ending it (``Corp``, ``Bank``), a word for
an organisation after it (``the Perekrestok supermarket chain``, ``Fairchild shares``) or before it
(``the state oil company Petrobras``), a team's result in a sentence with a score (``Chelsea
beat Liverpool 2-1``), a stock ticker after it
(``(NYSE: XON)``), a title and a name after it (``Plessey Managing Director David Dey``) or a
title and ``of`` before it (``chairman of Ford Europe``) makes an ORG. A place name the gazetteer does not know followed by a speech verb (``Nebenzia said``) votes
PERSON. Then mentions are grouped by name (a person's short form with the
story's full name: ``Nebenzia`` with ``Vassily Nebenzia``; a company's short form with the one legal
name of the story it opens: ``Piedmont`` with ``Piedmont Aviation Inc``) and each group takes the label with the
most votes (``LabelSettings``): one per NER label, ``decisive`` per mention with its own evidence, ``strong`` for PERSON when
the story also prints the name's last word alone (``Vassily Nebenzia`` ... ``Nebenzia added``),
and the gazetteer's (a country: ``strong`` for GPE; a city: ``city`` for GPE; a demonym: ``strong`` for NORP). So a city is not a
PERSON because one sentence confused the model.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import LOWER, SHAPE
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc

from transforms.places import is_place_name, resolve_demonym, resolve_place
from transforms.quotes import SPEECH_VERB
from transforms.pattern_data import read_patterns
from transforms.resolve import fold_name, name_key, person_for
from transforms.spans import (NAME_LABELS, PARTICLES, Proposal, company_forms, is_country, is_place, person_titles,
                              title_endings, title_ends_at, title_openings)

POST_WORDS = frozenset({"for", "to", "of", "on", "at", "in", "the"})


@dataclass(frozen=True)
class LabelSettings:
    """The tuning knobs of label votes (part of the ``news_span_hygiene`` component's config)."""

    strong: float = 3.0  # a country's or demonym's gazetteer vote, a surname printed alone
    decisive: float = 10.0  # a title before a name, a company form or ticker after it: outweighs NER slips
    city: float = 1.5  # a city's gazetteer vote
    title_gap: int = 4  # words of a post between a title and the name ("Envoy for Syria")
    max_name_words: int = 4  # words of a name taken after a title


MATCH_REACH = 10  # tokens either side of a team's name its match score is looked for in
SCORE = re.compile(r"(?<![\d.,-])\d{1,2}-\d{1,2}(?![\d.,-])")
# Set scores in a row ("6-4 6-3", "7-6 (7-4) 6-2", "4-6, 7-5"): an individual contest (tennis,
# squash, badminton), whose names are players, not clubs.
SET_SCORES = re.compile(r"(?<![\d.,-])\d{1,2}-\d{1,2}(?:\s*\(\d{1,2}(?:-\d{1,2})?\))?,?\s+\d{1,2}-\d{1,2}(?![\d.,-])")
MATCH_VERBS = r"(?:beat|beats|defeated|defeats|thrashed|edged|drew|draws|lost|loses|held|overcame|routed)"
MATCH_AFTER = re.compile(rf"\s+{MATCH_VERBS}\b(?:\s+\d{{1,2}}-\d{{1,2}})?(?:\s+(?:with|to|against|at))?\s+(?:the\s+)?[A-Z]")
MATCH_BEFORE = re.compile(rf"\b{MATCH_VERBS}(?:\s+\d{{1,2}}-\d{{1,2}})?(?:\s+(?:with|to|against|at))?(?:\s+the)?\s*$")
TICKER = re.compile(r"\A\s*[(,]\s*(?:NYSE|Nasdaq|NASDAQ|AMEX|LSE|TSX|OTC)\s*:\s*[A-Z.]{1,6}\)?")


@lru_cache(maxsize=1)
def org_heads() -> frozenset[str]:
    return frozenset(row["word"] for row in read_patterns("org_heads.jsonl"))


def titled(doc: Doc, start: int, end: int, gap: int) -> bool:
    """A title or honorific opening the span, right before it, before it across the post's place
    ("Special Envoy for Syria Staffan de Mistura"), or in an apposition after it. Only a name
    can be titled: a span with lowercase words other than particles ("General Agreement on
    Tariffs") is not, nor a place across a post."""
    name = doc[start:end].text
    if has_common_words(doc, start, end) or is_country(name):
        return False  # "Deputy U.S. Trade Representative": a country in a title is no person
    if doc[start].lower_ in title_openings():  # a title opens with its first word's opening
        for size in (1, 2, 3):
            if end - start > size and doc[start:start + size].text.lower() in person_titles():
                return True
    if titled_apposition(doc, end, gap) and not is_place(name):
        return True
    if title_ends_at(doc, start):
        return True
    return not is_place(name) and any(
        doc[start - back].lower_ in POST_WORDS and title_ends_at(doc, start - back) and is_place(doc[start - back + 1:start].text)
        for back in range(2, gap + 1) if start - back > 0)


def has_common_words(doc: Doc, start: int, end: int) -> bool:
    """Lowercase words other than name particles ("on", "and"): a name of no person."""
    return any(t.text[:1].islower() and t.text not in PARTICLES and t.text != "-" for t in doc[start:end])


def titled_apposition(doc: Doc, end: int, gap: int) -> bool:
    """A title in an apposition right after the name ("Robert Bretz, chairman of ...",
    "Maria Zakharova, a spokeswoman, said")."""
    if end >= len(doc) or doc[end].text != ",":
        return False
    words = []
    for token in doc[end + 1:end + 1 + gap]:
        if token.is_punct or token.is_space:
            break
        words.append(token.lower_)
    return any(" ".join(words[i:i + size]) in person_titles() for i in range(len(words)) for size in (1, 2))


def organisation_evidence(doc: Doc, start: int, end: int) -> bool:
    """A company form ending the name; an organisation word, a ticker or a title and a name right
    after it."""
    if doc[end - 1].text in company_forms() and end - start > 1 and not is_place(doc[start:end].text):
        return True
    if start > 1 and doc[start - 1].lower_ == "of" and title_ends_at(doc, start - 1) \
            and not is_place(doc[start:end].text):
        return True  # "chairman of Ford Europe": the post's organisation
    if end < len(doc) and (doc[end].lower_ in org_heads() and doc[end].text.islower() or employs(doc, end)) \
            or headed(doc, start):
        return not (is_place(doc[start:end].text) or resolve_demonym(fold_name(doc[start:end].text)))
    return end < len(doc) and (doc[end].is_space or doc[end].text[:1] in "(,") \
        and bool(TICKER.match(text_after(doc, end, 8)))  # a ticker opens with a bracket or comma


def headed(doc: Doc, start: int) -> bool:
    """A lower-case word for an organisation right before the name, or before it and a comma
    ("the state oil company Petrobras", "Brazil's state-oil company, Petrobras,")."""
    before = start - 2 if start > 1 and doc[start - 1].text == "," else start - 1
    return before >= 0 and doc[before].is_lower and doc[before].lower_ in org_heads()


def employs(doc: Doc, end: int) -> bool:
    """A title and a name follow ("Plessey Managing Director David Dey", "Cheung Kong director
    Albert Chow"): the name before the title is the employer."""
    if end >= len(doc) or doc[end].lower_ not in title_openings():
        return False
    for size in (1, 2, 3):
        title = doc[end:end + size]
        if end + size < len(doc) and title.text.lower() in person_titles() and doc[end + size].text[:1].isupper():
            return True
    return False


def own_label(doc: Doc, proposal: Proposal, title_gap: int, digits: list[int]) -> tuple[str, bool]:
    """The mention's label after its own evidence, and whether it had any (``digits``: the doc's
    ``digit_tokens``)."""
    start, end, label = proposal
    if label not in NAME_LABELS:
        return label, False
    if organisation_evidence(doc, start, end) or plays(doc, start, end, digits):
        return "ORG", True
    if titled(doc, start, end, title_gap) and label in ("PERSON", "ORG", "GPE", "LOC", "NORP"):
        return "PERSON", True
    if label == "PERSON" and has_common_words(doc, start, end):
        return "ORG", False  # "General Agreement on Tariffs and Trade": no person's name
    if label in ("GPE", "LOC") and speaks(doc, end) and not is_place(doc[start:end].text):
        return "PERSON", False  # "Nebenzia said": a place the gazetteer does not know, talking
    return label, False


def plays(doc: Doc, start: int, end: int, digits: list[int]) -> bool:
    """A team in a match result: a name that beat, drew with or lost to another name with a score
    printed near ("Chelsea beat Liverpool 2-1", "Barcelona drew 1-1 with Sevilla"); a city's
    or a person's name there is a club's. Countries are left alone (a national team is its
    country in news conventions), and so are players: set scores in a row ("beat Andre Agassi 6-4
    6-3") print an individual contest. A score is looked for only where a token with a digit
    (``digits``) is near: most names have none."""
    near = bisect_left(digits, start - MATCH_REACH)
    if near == len(digits) or digits[near] >= end + MATCH_REACH:
        return False
    around = doc[max(0, start - MATCH_REACH):end + MATCH_REACH].text
    if not SCORE.search(around) or SET_SCORES.search(around) or is_country(doc[start:end].text):
        return False
    before = doc[max(0, start - 7):start].text
    return bool(MATCH_AFTER.match(text_after(doc, end, 8)) or MATCH_BEFORE.search(before))


def digit_tokens(doc: Doc) -> list[int]:
    """Indices of the tokens with a digit, read from the doc's array of token shapes (a digit is
    ``d`` in a shape; a token of 100 characters or more has the shape ``LONG``)."""
    strings = doc.vocab.strings
    return [i for i, shape in enumerate(doc.to_array(SHAPE).tolist()) if shape_has_digit(shape, strings)]


@lru_cache(maxsize=4096)
def shape_has_digit(shape: int, strings: StringStore) -> bool:
    text = strings[shape]
    return "d" in text or text == "LONG"


def speaks(doc: Doc, end: int) -> bool:
    """A speech verb right after the name."""
    return bool(SPEECH_VERB.match(text_after(doc, end, 4).lstrip(" ,")))


def text_after(doc: Doc, end: int, tokens: int) -> str:
    """The text of the next few tokens after token ``end - 1``, with the space before them (doc.text
    rebuilds the whole text on every call)."""
    return doc[end - 1].whitespace_ + doc[end:end + tokens].text


def gazetteer_votes(name: str, settings: LabelSettings) -> dict[str, float]:
    """Votes the gazetteer gives a name: countries and cities are places, demonyms peoples."""
    if resolve_demonym(name):
        return {"NORP": settings.strong}
    status = resolve_place(name).status
    return {"GPE": settings.strong} if status == "country" else {"GPE": settings.city} if status == "city" else {}


def group_key(name: str, people: list[str], companies: list[str]) -> str:
    """Mentions voting together: a person's forms under the full name, a company's short form
    under its legal name ("Piedmont" with "Piedmont Aviation Inc" in the same story), else the
    name itself. A known place or people never joins a company ("Texas" is not the opening of
    "Texas Air Corp") or a person ("Paris" is not "Paris Hilton"), unless it is a people's name or
    a town known by that name only as one of its alternates: then the surname of a person the
    story names in full is that person ("Welsh" of "Jerry Welsh"; "Chang" of "Michael Chang" is
    not Dschang, Cameroon; "North" of "Oliver North")."""
    if resolve_demonym(name) or resolve_place(name).status in ("country", "city", "region"):
        person = None if is_place_name(name) else person_for(name, people)
        return name_key(person or name)
    return name_key(person_for(name, people) or company_for(name, companies) or name)


def legal_names(owned: list[tuple], folded: list[str | None]) -> list[str]:
    """Folded names of the story's mentions that end in a legal form ("Piedmont Aviation Inc")."""
    return sorted({name for (s, e, label, _), name in zip(owned, folded) if label == "ORG"
                   and len(words := name.split()) > 1 and company_forms().get(words[-1])})


def company_for(name: str, companies: list[str]) -> str | None:
    """The one legal name of the story that opens with ``name`` ("Piedmont" of "Piedmont Aviation
    Inc"): how newsrooms refer to a company after naming it in full; None when none or several do."""
    words = name_key(name).split()
    opened = [full for full in companies if len(name_key(full).split()) > len(words)
              and name_key(full).split()[:len(words)] == words]
    return opened[0] if len(opened) == 1 else None


def voted_labels(doc: Doc, proposals: list[Proposal], settings: LabelSettings = LabelSettings()) -> list[Proposal]:
    """The proposals with every name mention relabelled by its group's vote."""
    digits = digit_tokens(doc)
    owned = [(s, e, *own_label(doc, (s, e, label), settings.title_gap, digits)) for s, e, label in proposals]
    names = [fold_name(doc[s:e].text) if label in NAME_LABELS else None for s, e, label, _ in owned]
    by_surname = surname_repeated(owned, names)
    people = sorted({n for (_, _, label, _), n in zip(owned, names) if label == "PERSON" and len(n.split()) > 1}
                    | by_surname)
    companies = legal_names(owned, names)
    votes: dict[str, Counter] = defaultdict(Counter)
    for name in by_surname:
        votes[name_key(name)]["PERSON"] += settings.strong
    keys, counted = [], set()
    for (s, e, label, strong), name in zip(owned, names):
        key = group_key(name, people, companies) if label in NAME_LABELS else None
        keys.append(key)
        if key is not None:
            votes[key][label] += settings.decisive if strong else 1.0
            if (key, name) not in counted:
                counted.add((key, name))
                votes[key].update(gazetteer_votes(name, settings))
    return [(s, e, winner(votes[key]) if key else label) for (s, e, label, _), key in zip(owned, keys)]


def surname_repeated(owned: list[tuple], folded: list[str | None]) -> set[str]:
    """Full names (two or three capitalised words, not a place) whose last word the story also
    prints alone ("Vassily Nebenzia" ... "Nebenzia added"): how newsrooms refer to people.
    ``folded`` holds each owned mention's folded name."""
    names = {name for (_, _, label, _), name in zip(owned, folded) if label in NAME_LABELS}
    singles = {name for name in names if len(name.split()) == 1}
    return {name for name in names if 1 < len(words := name.split()) <= 3 and words[-1] in singles
            and all(w[:1].isupper() for w in words) and words[-1] not in company_forms() and not is_place(name)}


def winner(votes: Counter) -> str:
    """The label with the most votes; a tie goes to the label first in NAME_LABELS."""
    return max(votes, key=lambda label: (votes[label], -NAME_LABELS.index(label)))


def title_before(doc: Doc, start: int) -> bool:
    """A capitalised title or honorific ends right before token ``start`` ("Envoy", "Mr.")."""
    return any(start - size >= 0 and doc[start - size].text[:1].isupper()
               and doc[start - size:start].text.lower() in person_titles() for size in (1, 2, 3))


@lru_cache(maxsize=1)
def title_ending_ids() -> frozenset[int]:
    """Ids of the token texts a title can end with."""
    return frozenset(get_string_id(ending) for ending in title_endings())


def titled_names(doc: Doc, proposals: list[Proposal], max_words: int = LabelSettings.max_name_words) -> list[Proposal]:
    """The proposals plus untagged capitalised names right after a title ("UN Special Envoy
    Staffan de Mistura"), as people. Only tokens after a word a title can end with are looked at
    (found in the doc's array of lower-case token texts, not by a walk over the tokens)."""
    taken = {i for s, e, _ in proposals for i in range(s, e)}
    added = []
    after_titles = [i + 1 for i, lower in enumerate(doc.to_array(LOWER).tolist()) if lower in title_ending_ids()]
    for start in after_titles:
        if start >= len(doc) or start in taken or not doc[start].text[:1].isupper() or not title_before(doc, start):
            continue
        end = start
        while end < len(doc) and end - start < max_words and end not in taken and (
                doc[end].text[:1].isupper() and doc[end].is_alpha or doc[end].text in PARTICLES):
            end += 1
        while end > start and not doc[end - 1].text[:1].isupper():
            end -= 1
        name = doc[start:end].text if end > start else ""
        if end > start and not is_place(name) and name.lower() not in person_titles():
            added.append((start, end, "PERSON"))
            taken.update(range(start, end))
    return sorted(proposals + added)
