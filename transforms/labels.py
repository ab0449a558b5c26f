"""One label per name in a story, voted by the evidence of all its mentions.

A mention's own evidence is strong and fixes its label: a title or honorific before it
(``President``, ``Mr``) makes a PERSON; a company form ending it (``Corp``, ``Bank``), a word for
an organisation after it (``the Perekrestok supermarket chain``) or a stock ticker after it
(``(NYSE: XON)``) makes an ORG. Then mentions are grouped by name (a person's short form with the
story's full name: ``Nebenzia`` with ``Vassily Nebenzia``) and each group takes the label with the
most votes: one per NER label, DECISIVE per mention with its own evidence, and the gazetteer's
(a country: STRONG for GPE; a city: CITY for GPE; a demonym: STRONG for NORP). So a city is not a
PERSON because one sentence confused the model.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from spacy.tokens import Doc

from transforms.places import resolve_demonym, resolve_place
from transforms.resolve import fold_name, name_key, person_for, read_patterns, titles
from transforms.spans import NAME_LABELS, PARTICLES, Proposal, company_forms, is_place

STRONG = 3.0
DECISIVE = 10.0  # a title before a name, a company form or ticker after it: outweighs NER slips
TITLE_GAP = 4  # words of a post between a title and the name ("Envoy for Syria")
MAX_NAME_WORDS = 4
POST_WORDS = frozenset({"for", "to", "of", "on", "at", "in", "the"})
CITY = 1.5
TICKER = re.compile(r"\A\s*[(,]\s*(?:NYSE|Nasdaq|NASDAQ|AMEX|LSE|TSX|OTC)\s*:\s*[A-Z.]{1,6}\)?")


@lru_cache(maxsize=1)
def org_heads() -> frozenset[str]:
    return frozenset(row["word"] for row in read_patterns("org_heads.jsonl"))


@lru_cache(maxsize=1)
def person_titles() -> frozenset[str]:
    """Titles and honorifics that say the next name is a person's ("the" is not one)."""
    return frozenset(title for title in titles() if title != "the")


def titled(doc: Doc, start: int, end: int) -> bool:
    """A title or honorific opening the span, right before it, or before it across the post's
    place ("Special Envoy for Syria Staffan de Mistura"); a place is never titled that way."""
    for size in (1, 2, 3):
        if end - start > size and doc[start:start + size].text.lower() in person_titles():
            return True
    for gap in range(0, TITLE_GAP + 1):
        between = doc[max(start - gap, 0):start]
        if gap and not all(t.lower_ in POST_WORDS or t.text[:1].isupper() for t in between):
            break
        if gap and is_place(doc[start:end].text):
            break
        if any(start - gap - size >= 0 and doc[start - gap - size:start - gap].text.lower() in person_titles()
               for size in (1, 2, 3)):
            return True
    return False


def organisation_evidence(doc: Doc, start: int, end: int) -> bool:
    """A company form ending the name, an organisation word or a ticker right after it."""
    if doc[end - 1].text in company_forms() and end - start > 1:
        return True
    if end < len(doc) and doc[end].lower_ in org_heads() and doc[end].text.islower():
        return not (is_place(doc[start:end].text) or resolve_demonym(fold_name(doc[start:end].text)))
    return bool(TICKER.match(doc.text[doc[end - 1].idx + len(doc[end - 1]):][:24]))


def own_label(doc: Doc, proposal: Proposal) -> tuple[str, bool]:
    """The mention's label after its own evidence, and whether it had any."""
    start, end, label = proposal
    if label not in NAME_LABELS:
        return label, False
    if organisation_evidence(doc, start, end):
        return "ORG", True
    if titled(doc, start, end) and label in ("PERSON", "ORG", "GPE", "LOC", "NORP"):
        return "PERSON", True
    return label, False


def gazetteer_votes(name: str) -> dict[str, float]:
    """Votes the gazetteer gives a name: countries and cities are places, demonyms peoples."""
    if resolve_demonym(name):
        return {"NORP": STRONG}
    status = resolve_place(name).status
    return {"GPE": STRONG} if status == "country" else {"GPE": CITY} if status == "city" else {}


def group_key(name: str, people: list[str]) -> str:
    """Mentions voting together: a person's forms under the full name, else the name itself."""
    if resolve_place(name).status == "country":
        return name_key(name)
    return name_key(person_for(name, people) or name)


def voted_labels(doc: Doc, proposals: list[Proposal]) -> list[Proposal]:
    """The proposals with every name mention relabelled by its group's vote."""
    owned = [(s, e, *own_label(doc, (s, e, label))) for s, e, label in proposals]
    people = sorted({n for s, e, label, _ in owned if label == "PERSON"
                     and len((n := fold_name(doc[s:e].text)).split()) > 1})
    votes: dict[str, Counter] = defaultdict(Counter)
    keys, counted = [], set()
    for s, e, label, strong in owned:
        name = fold_name(doc[s:e].text)
        key = group_key(name, people) if label in NAME_LABELS else None
        keys.append(key)
        if key is not None:
            votes[key][label] += DECISIVE if strong else 1.0
            if (key, name) not in counted:
                counted.add((key, name))
                votes[key].update(gazetteer_votes(name))
    return [(s, e, winner(votes[key]) if key else label) for (s, e, label, _), key in zip(owned, keys)]


def winner(votes: Counter) -> str:
    """The label with the most votes; a tie goes to the label first in NAME_LABELS."""
    return max(votes, key=lambda label: (votes[label], -NAME_LABELS.index(label)))


def title_before(doc: Doc, start: int) -> bool:
    """A capitalised title or honorific ends right before token ``start`` ("Envoy", "Mr.")."""
    return any(start - size >= 0 and doc[start - size].text[:1].isupper()
               and doc[start - size:start].text.lower() in person_titles() for size in (1, 2, 3))


def titled_names(doc: Doc, proposals: list[Proposal]) -> list[Proposal]:
    """The proposals plus untagged capitalised names right after a title ("UN Special Envoy
    Staffan de Mistura"), as people."""
    taken = {i for s, e, _ in proposals for i in range(s, e)}
    added = []
    for start in range(1, len(doc)):
        if start in taken or not doc[start].text[:1].isupper() or not title_before(doc, start):
            continue
        end = start
        while end < len(doc) and end - start < MAX_NAME_WORDS and end not in taken and (
                doc[end].text[:1].isupper() and doc[end].is_alpha or doc[end].text in PARTICLES):
            end += 1
        while end > start and not doc[end - 1].text[:1].isupper():
            end -= 1
        if end > start and not is_place(doc[start:end].text) and doc[start:end].text.lower() not in person_titles():
            added.append((start, end, "PERSON"))
            taken.update(range(start, end))
    return sorted(proposals + added)
