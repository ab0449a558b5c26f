"""Canonical names: fold a mention to its name, resolve short forms, merge entities across articles.

Rules (pure functions, no spaCy):
- a name is folded by dropping leading titles and honorifics (``transforms/patterns/titles.jsonl``),
  a possessive ending (``'s``, ``’s``, or `` s`` where an upstream tool stripped the apostrophe)
  and surrounding punctuation; keys compare names case-insensitively;
- within an article a name that is a shorter form ("Putin", "De Mistura") of the longest person
  name of the article ending with the same words ("Vladimir Putin", "Staffan de Mistura"), or that
  ends with such a name ("Syria Staffan de Mistura", an NER slip), is that person, whatever label
  the NER gave it;
- an acronym is its organisation: one of the newsroom aliases (``transforms/patterns/aliases.jsonl``:
  UN, U.N. -> United Nations) or the initials of an organisation the article names in full;
- keys ignore the dots of an acronym (``U.N.`` = ``UN``) and the ``al-``/``el-`` particle
  (``Bashar Assad`` = ``Bashar al-Assad``);
- across articles, two person names whose first words differ by at most one edit
  ("Sergei"/"Sergey") and whose other words agree are one entity (the more mentioned spelling),
  a person name whose last word was cut short ("Bashar al-Ja" of "Bashar al-Ja’afari") is the
  one full name it begins, and a name that is (the end of) exactly one corpus person's full name
  is that person;
- across articles, one name carrying several open labels ("ORG:x", "PERSON:x", "GPE:?:x") is one
  entity under the label most of its mentions carry: the warehouse votes; and a name the
  warehouse has seen as a company with a legal form ("Cyacq Corp") is that company.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha1

from transforms.pattern_data import read_patterns

POSSESSIVE = re.compile(r"(?:['’]s?|\s+s)$")
# Keys of these kinds may turn out to name a person the NER labelled otherwise ("ORG:de mistura");
# resolved places ("GPE:RU") never do.
OPEN_LABELS = ("PERSON:", "ORG:", "GPE:?:", "LOC:?:", "NORP:")
EDGE_PUNCTUATION = " \t\n\"'“”‘’,;:()[]-–—"
LEADING_THE = re.compile(r"^(?:the|The)\s+")
ACRONYM_DOTS = re.compile(r"\b((?:[A-Z]\.){2,})")
ARTICLE_PARTICLE = re.compile(r"\b(?:al|el|Al|El)-(?=\w)")
TITLE_WORDS = 3  # leading words of a name looked at for a misspelt title
MIN_MISSPELT_TITLE = 6  # letters a title needs before a swap of two is taken for a typo ("Minsiter")
INITIALS_SKIPPED = frozenset({"of", "the", "and", "for", "on", "in", "&"})


@lru_cache(maxsize=1)
def titles() -> tuple[str, ...]:
    """Titles and honorifics, longest first so "foreign minister" wins over "minister"."""
    return tuple(sorted((row["title"] for row in read_patterns("titles.jsonl")), key=len, reverse=True))


@lru_cache(maxsize=1)
def leading_titles() -> re.Pattern:
    """Leading titles, longest first ("foreign minister" before "minister")."""
    return re.compile("^(?:" + "|".join(re.escape(title) for title in titles()) + r")\s+(?=\S)", re.IGNORECASE)


def strip_titles(name: str) -> str:
    """``name`` without leading titles ("Foreign Minister Sergei Lavrov" -> "Sergei Lavrov"), a
    title misspelt by two swapped letters included ("Prime Minsiter Yasuhiro Nakasone")."""
    words = name.split(" ")
    lead = [title_spelling(word) for word in words[:TITLE_WORDS]]
    if lead != words[:TITLE_WORDS]:
        name = " ".join(lead + words[TITLE_WORDS:])
    while match := leading_titles().match(name):
        name = name[match.end():]
    return name


@lru_cache(maxsize=1)
def one_word_titles() -> frozenset[str]:
    return frozenset(title for title in titles() if " " not in title and len(title) >= MIN_MISSPELT_TITLE)


@lru_cache(maxsize=4096)
def title_spelling(word: str) -> str:
    """A capitalised word that is a long one-word title with two neighbouring letters swapped, as
    that title ("Minsiter" -> "Minister"); any other word as it is."""
    folded = word.casefold()
    if not word[:1].isupper() or len(folded) < MIN_MISSPELT_TITLE or folded in one_word_titles():
        return word
    for i in range(1, len(folded) - 1):
        swapped = folded[:i] + folded[i + 1] + folded[i] + folded[i + 2:]
        if swapped in one_word_titles():
            return swapped.capitalize()
    return word


@lru_cache(maxsize=65536)
def fold_name(text: str, titled: bool = True) -> str:
    """The name a mention stands for: no titles (unless ``titled`` is False: "General Motors";
    a leading "the" goes either way), no possessive, single spaces."""
    name = " ".join(text.split()).strip(EDGE_PUNCTUATION)
    name = POSSESSIVE.sub("", name).strip(EDGE_PUNCTUATION)
    if not titled:
        return LEADING_THE.sub("", name) or name
    return strip_titles(name) or name


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Case-folded comparison key of a folded name: no acronym dots, no al-/el- particle (cached:
    each mention's name is compared with every person of its article)."""
    name = ACRONYM_DOTS.sub(lambda m: m.group(1).replace(".", ""), name)
    return ARTICLE_PARTICLE.sub("", name).casefold()


@lru_cache(maxsize=1)
def newsroom_aliases() -> dict[str, str]:
    """Acronym as printed -> the organisation's name."""
    return {row["alias"]: row["name"] for row in read_patterns("aliases.jsonl")}


def initials(name: str) -> str:
    """``United Nations`` -> ``UN``; ``Bank of Japan`` -> ``BJ``."""
    return "".join(word[0] for word in name.split() if word.lower() not in INITIALS_SKIPPED).upper()


def alias_for(name: str, organisations: list[str]) -> str:
    """The organisation an acronym stands for (newsroom alias, else the one article organisation
    with those initials), or the name itself."""
    if name in newsroom_aliases():
        return newsroom_aliases()[name]
    letters = name.replace(".", "")
    if not (2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()):
        return name
    spelled = [full for full in organisations if initials(full) == letters]
    return spelled[0] if len(spelled) == 1 else name


def person_for(name: str, full_names: list[str]) -> str | None:
    """The longest full name ``name`` is a short form of ("Putin") or ends with ("Syria Staffan de
    Mistura"), or None."""
    words = name_key(name).split()
    matches = [full for full in full_names if (fw := name_key(full).split()) and
               (fw[-len(words):] == words if len(words) < len(fw) else words[-len(fw):] == fw)]
    return max(matches, key=len) if matches else None


def entity_id(key: str) -> str:
    """A stable id for an entity key."""
    return "e" + sha1(key.encode("utf-8")).hexdigest()[:15]


@dataclass(frozen=True)
class KeyCount:
    """One per-article entity key of the corpus with its label and number of mentions."""

    key: str
    label: str
    mentions: int


def one_edit_apart(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` by one substitution, insertion or deletion (or none)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def same_person(a: str, b: str) -> bool:
    """Multi-word names with the same last word and first words one edit apart (Sergei/Sergey)."""
    wa, wb = a.split(), b.split()
    return (len(wa) == len(wb) > 1 and wa[1:] == wb[1:] and len(wa[0]) > 3 and one_edit_apart(wa[0], wb[0]))


def key_name(key: str) -> str:
    """The name part of an entity key ("PERSON:sergei lavrov" -> "sergei lavrov")."""
    return key.rsplit(":", 1)[1]


def spelling_merges(people: list[KeyCount]) -> dict[str, str]:
    """Full-name person key -> the most mentioned key spelled one edit apart (itself if none).

    A key can only match a kept key with the same words after the first, so kept keys are looked
    up by those words instead of compared with every earlier key (which was quadratic)."""
    target: dict[str, str] = {}
    kept_by_rest: dict[tuple[str, ...], list[str]] = {}
    for k in people:
        name = key_name(k.key)
        kept = kept_by_rest.setdefault(tuple(name.split()[1:]), [])
        target[k.key] = next((t for t in kept if same_person(name, key_name(t))), k.key)
        if target[k.key] == k.key:
            kept.append(k.key)
    return target


def name_words(name: str) -> tuple[str, ...]:
    """The words ``person_for`` compares."""
    return tuple(name_key(name).split())


@dataclass(frozen=True)
class NameIndex:
    """Full names by their words and by every shorter ending of their words.

    ``person_for(name, [full])`` holds only when ``full``'s words end with all of ``name``'s or
    ``name``'s end with all of ``full``'s, so these two lookups find every full name it can
    match without comparing every pair."""

    by_words: dict[tuple[str, ...], list[str]]
    by_ending: dict[tuple[str, ...], list[str]]

    @classmethod
    def of(cls, names: Iterable[str]) -> NameIndex:
        by_words: dict[tuple[str, ...], list[str]] = {}
        by_ending: dict[tuple[str, ...], list[str]] = {}
        for name in names:
            words = name_words(name)
            by_words.setdefault(words, []).append(name)
            for start in range(1, len(words)):
                by_ending.setdefault(words[start:], []).append(name)
        return cls(by_words, by_ending)

    def owners(self, name: str) -> set[str]:
        """The indexed full names ``name`` is a short form of or ends with (``person_for``'s rule)."""
        words = name_words(name)
        found = set(self.by_ending.get(words, []))
        for start in range(len(words)):
            found.update(self.by_words.get(words[start:], []))
        return {full for full in found if person_for(name, [full])}


def longest_names(names: set[str]) -> list[str]:
    """The names that are not a short form of another ("de mistura" of "staffan de mistura")."""
    index = NameIndex.of(names)
    return sorted(n for n in names if not any(len(o) > len(n) for o in index.owners(n)))


def cut_short(word: str, longer: str) -> bool:
    """``ja`` of ``ja’afari``: the longer word continues after an apostrophe."""
    return len(word) >= 2 and longer.startswith(word) and longer[len(word):][:1] in ("'", "’")


def truncation_merges(people: list[KeyCount]) -> dict[str, str]:
    """Person key whose last word is cut short -> the one longer person key it begins."""
    by_front: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in people:
        by_front[tuple(key_name(k.key).split()[:-1])].append(k.key)
    target = {}
    for k in people:
        words = key_name(k.key).split()
        longer = [o for o in by_front[tuple(words[:-1])]
                  if o != k.key and cut_short(words[-1], key_name(o).split()[-1])]
        if len(longer) == 1:
            target[k.key] = longer[0]
    return target


@lru_cache(maxsize=1)
def legal_forms() -> frozenset[str]:
    """Case-folded legal forms of companies ("corp", "inc", "co"), not those that say what the company
    does ("bancorp")."""
    return frozenset(row["form"].casefold() for row in read_patterns("company_forms.jsonl")
                     if row["legal"] and not row.get("descriptive"))


def company_base(name: str) -> str | None:
    """``name`` without its trailing legal forms, abbreviated with a full stop or not ("cyacq corp",
    "cyacq corp." -> "cyacq"), or None if it has none."""
    words = name.split()
    while len(words) > 1 and (words[-1].rstrip(".") in legal_forms() or words[-1] in ("and", "&")):
        words.pop()
    return " ".join(words) if len(words) < len(name.split()) else None


def label_votes(ranked: list[KeyCount]) -> dict[str, str]:
    """Open key -> the key of the same name with the most mentions (ranked: most mentioned first);
    a name whose mentions vote PERSON but that the warehouse has seen as a company with its legal
    form ("ORG:cyacq corp") is that company; an organisation's bare name and its company's
    legal names are one entity (``short_forms``). Every target is its own name's target."""
    winner: dict[str, str] = {}
    mentions: dict[str, int] = defaultdict(int)
    for k in ranked:
        if k.key.startswith(OPEN_LABELS):
            winner.setdefault(key_name(k.key), k.key)
            mentions[key_name(k.key)] += k.mentions
    companies: dict[str, list[str]] = {}  # base -> its legal names, most mentioned first
    legal_mentions: dict[str, int] = defaultdict(int)  # base -> mentions of its legal names
    for k in ranked:
        if k.label == "ORG" and (base := company_base(key_name(k.key))):
            companies.setdefault(base, []).append(key_name(k.key))
            legal_mentions[base] += mentions[key_name(k.key)]
    target = {name: winner[companies[name][0]] if key.startswith("PERSON:") and name in companies else key
              for name, key in winner.items()}
    for bare, legal in short_forms(winner, companies, legal_mentions).items():
        kept = max([*legal, bare], key=lambda name: mentions[name])  # the entity keeps its usual name
        for name in [*legal, bare]:
            target[name] = winner[kept]
    return {k.key: target[key_name(k.key)] for k in ranked if k.key.startswith(OPEN_LABELS)}


def short_forms(winner: dict[str, str], companies: dict[str, list[str]],
                legal_mentions: dict[str, int]) -> dict[str, list[str]]:
    """Bare name -> legal names, for the organisations the warehouse has seen named both with and
    without a legal form ("chemlawn"; "chemlawn corp", "chemlawn inc"), all voted organisations. A bare
    name is ambiguous and joins none when the other companies whose names it opens are named as
    often ("continental": Continental Corp, and Continental Airlines Inc more often); a
    subsidiary named rarely (Chrysler Motors Corp) leaves Chrysler Corp its short form."""
    opened: dict[str, int] = defaultdict(int)  # a name's opening words -> mentions of legal names opening so
    for base, count in legal_mentions.items():
        words = base.split()
        for size in range(1, len(words) + 1):
            opened[" ".join(words[:size])] += count
    return {bare: organisations for bare, legal in companies.items() if bare in winner
            and legal_mentions[bare] * 2 > opened[bare] and winner[bare].startswith("ORG:")
            and (organisations := [name for name in legal if winner[name].startswith("ORG:")])}


def merge_keys(keys: Iterable[KeyCount]) -> dict[str, str]:
    """Every per-article key -> the corpus key of its entity.

    Open keys of one name join the most mentioned of them (the label vote); resolved places
    keep their key; any other key that names one corpus person (in full, by a cut-short or
    respelled name, or by a short form that is the end of exactly one person's name) becomes
    that person, unless it is not a person's key and has more mentions than that person (a label
    slip is the minority: "Congress" is not the end of a person "American Congress")."""
    ranked = sorted(keys, key=lambda k: (-k.mentions, k.key))
    voted = label_votes(ranked)
    merged = person_merges([k for k in ranked if voted.get(k.key, k.key) == k.key])
    return {k.key: merged[voted.get(k.key, k.key)] for k in ranked}


def person_merges(ranked: list[KeyCount]) -> dict[str, str]:
    """``merge_keys`` for keys of distinct names, most mentioned first."""
    people = [k for k in ranked if k.label == "PERSON" and len(key_name(k.key).split()) > 1]
    merged = {k.key: k.key for k in ranked}
    merged.update(truncation_merges(people))
    merged.update(spelling_merges([k for k in people if merged[k.key] == k.key]))
    full_names = NameIndex.of(longest_names({key_name(merged[k.key]) for k in people}))
    person_mentions: dict[str, int] = defaultdict(int)
    for k in people:
        person_mentions[key_name(merged[k.key])] += k.mentions
    for k in ranked:
        if merged[k.key] != k.key or not k.key.startswith(OPEN_LABELS):
            continue
        owners = full_names.owners(key_name(k.key))
        if len(owners) != 1:
            continue
        owner = owners.pop()
        if k.label == "PERSON" or person_mentions[owner] >= k.mentions:  # a label slip is the minority
            merged[k.key] = f"PERSON:{owner}"
    return merged
