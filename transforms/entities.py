"""spaCy components of the news pipeline: clean spans and labels, canonical entity names, places,
quotes.

Registered as spaCy factories, their thresholds in the pipeline's config (``SpanSettings``,
``LabelSettings``, ``QuoteSettings``: saved by ``nlp.to_disk`` and read back by ``spacy.load``
once this module is imported), and added after the NER by ``transforms.extract.load_pipeline``,
which imports this module first:
- ``news_span_hygiene`` replaces ``doc.ents`` with cleaned spans (``transforms.spans``: no span
  across a break, no dateline or agency credit, names kept whole, glued names split), each name
  labelled by the vote of all its mentions in the story (``transforms.labels``); a name after a
  title, and a person's surname where the story repeats it, are added when the NER missed them;
- ``news_canonical_entities`` sets ``Span._.canonical`` (folded name; a short form resolved to
  the article's full person name) and ``Span._.entity_key`` (kind-qualified, case-folded);
- ``news_places`` sets ``Span._.place`` for GPE, LOC and demonym (NORP) entities that are not
  people (ISO 3166 country, city coordinates, or ambiguous/unknown) and keys resolved places by
  country/city, so "Russia" and "Russian" are one entity; a generic institution ("Finance
  Ministry") is named and keyed with its country ("Finance Ministry (Japan)");
- ``news_quotes`` sets ``Doc._.quotes``: direct quotations with their speaker.
The rules live in ``transforms.resolve``, ``transforms.places`` and ``transforms.quotes``.
"""

from __future__ import annotations

from dataclasses import asdict, astuple, dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from transforms.labels import LabelSettings, titled_names, voted_labels
from transforms.places import country_name, is_generic_institution, resolve_demonym, resolve_place, story_country
from transforms.quotes import OPENING_MARKS, Person, QuoteSettings, find_quotes
from transforms.resolve import alias_for, fold_name, name_key, person_for
from transforms.spans import SpanSettings, clean_proposals, dateline_place, surname_mentions, wrapped_names

NEWS_COMPONENTS = ("news_span_hygiene", "news_canonical_entities", "news_places", "news_quotes")
# Who can say something: people and organisations; never a people (NORP: "the committee's top
# Democrat") or a place.
SPEAKER_KEYS = ("PERSON:", "ORG:")
# NER labels a person's short form may wrongly carry in news text ("De Mistura" as GPE or ORG).
PERSON_LOOKALIKES = ("PERSON", "ORG", "GPE", "LOC", "NORP")

Span.set_extension("canonical", default=None, force=True)
Span.set_extension("wrapped_name", default=None, force=True)  # the whole name of a span cut at a line wrap
Span.set_extension("entity_key", default=None, force=True)
Span.set_extension("place", default=None, force=True)
Doc.set_extension("quotes", default=(), force=True)




def article_names(labels: list[str], printed: list[str], label: str) -> list[str]:
    """Folded names of two words or more the NER labelled ``label`` in the article: its people's
    full names, its organisations' names for acronyms to expand to."""
    return sorted({name for this, text in zip(labels, printed) if this == label
                   and len((name := fold_name(text)).split()) > 1})


@dataclass(frozen=True)
class SpanHygiene:
    """The NER's spans cleaned and voted one label per name (``transforms.spans``, ``.labels``)."""

    spans: SpanSettings
    votes: LabelSettings

    def __call__(self, doc: Doc) -> Doc:
        proposals = [(ent.start, ent.end, ent.label_) for ent in doc.ents]
        cleaned = titled_names(doc, clean_proposals(doc, proposals, self.spans), self.votes.max_name_words)
        voted = surname_mentions(doc, voted_labels(doc, cleaned, self.votes))
        doc.ents = spans = [Span(doc, s, e, label=label) for s, e, label in voted]
        whole = wrapped_names(doc, proposals, voted)
        for ent in spans:
            if (ent.start, ent.end) in whole:
                ent._.wrapped_name = whole[(ent.start, ent.end)]
        return doc


@Language.factory("news_span_hygiene", assigns=["doc.ents", "span._.wrapped_name"], requires=["doc.ents"],
                  default_config={**asdict(SpanSettings()), **asdict(LabelSettings())})
def make_span_hygiene(nlp: Language, name: str, max_name_tokens: int, row_max_chars: int, row_min_digits: int,
                      strong: float, decisive: float, city: float, title_gap: int, max_name_words: int) -> SpanHygiene:
    """Span hygiene with its thresholds from the pipeline's config (saved with ``nlp.to_disk``)."""
    return SpanHygiene(SpanSettings(max_name_tokens, row_max_chars, row_min_digits),
                       LabelSettings(strong, decisive, city, title_gap, max_name_words))


def known_place(label: str, name: str) -> bool:
    """A place or demonym the gazetteer knows: never a person's short form ("Europe")."""
    return label in ("GPE", "LOC", "NORP") and (
        resolve_place(name).status in ("country", "city", "region") or resolve_demonym(name) is not None)


@Language.factory("news_canonical_entities", assigns=["span._.canonical", "span._.entity_key"], requires=["doc.ents"])
def make_canonical_entities(nlp: Language, name: str):
    return canonical_entities


def canonical_entities(doc: Doc) -> Doc:
    """Fold every entity's name; a person's short form becomes the article's full name, an
    acronym the organisation's name."""
    ents = doc.ents  # each read of doc.ents walks every token
    extensions = [ent._ for ent in ents]  # a new object on every read
    labels = [ent.label_ for ent in ents]
    printed = [own.wrapped_name or ent.text for ent, own in zip(ents, extensions)]  # a wrapped name whole
    people, organisations = article_names(labels, printed, "PERSON"), article_names(labels, printed, "ORG")
    for own, label, text in zip(extensions, labels, printed):
        name = fold_name(text)
        person = person_for(name, people) if label in PERSON_LOOKALIKES and not known_place(label, name) else None
        if label != "PERSON" and not person:  # titles lead people's names, not "General Motors"
            name = fold_name(text, titled=False)
        if label == "ORG":
            name = alias_for(name, organisations)
        if person or label == "PERSON":
            own.canonical, own.entity_key = person or name, f"PERSON:{name_key(person or name)}"
        else:
            own.canonical, own.entity_key = name, f"{label}:{name_key(name)}"
    return doc


@Language.factory("news_places", assigns=["span._.place", "span._.entity_key"], requires=["span._.entity_key"])
def make_places(nlp: Language, name: str):
    return places


def places(doc: Doc) -> Doc:
    """Resolve place and demonym entities (not taken as people) to countries and cities."""
    ents = doc.ents
    codes = []  # the countries of the story's places, in order
    for ent in ents:
        label = ent.label_
        if label not in ("GPE", "LOC", "NORP") or (extensions := ent._).entity_key.startswith("PERSON:"):
            continue
        place = resolve_demonym(extensions.canonical) if label == "NORP" else resolve_place(extensions.canonical)
        if place is None:
            continue
        # A plain tuple: spaCy ships Docs between processes with msgpack, which takes no objects.
        extensions.place = (place.status, place.country_code, place.latitude, place.longitude)
        if place.status in ("country", "city"):
            extensions.canonical, extensions.entity_key = place.name, place.key
            codes += [place.country_code] if place.country_code else []
        else:
            extensions.entity_key = f"{label}:?:{name_key(extensions.canonical)}"
    national_institutions(doc, ents, codes)
    return doc


def national_institutions(doc: Doc, ents: tuple[Span, ...], codes: list[str]) -> None:
    """A generic institution ("Finance Ministry") named and keyed with its country: the one its
    name opens with ("Japanese Finance Ministry"), the one printed right before it ("Brazil's"),
    else the story's (``codes``: the countries of its places, in order)."""
    country = None
    previous = None
    for ent in ents:
        if ent.label_ == "ORG":
            code, name = national_prefix(ent._.canonical)
            if is_generic_institution(name):
                code = code or country_before(doc, previous, ent) \
                    or (country := country or story_country(dateline_place(doc.text), codes))
                if code:
                    ent._.canonical = f"{name} ({country_name(code)})"
                    ent._.entity_key = f"ORG:{name_key(ent._.canonical)}"
        previous = ent


def national_prefix(name: str) -> tuple[str | None, str]:
    """(country code, rest) of a name opening with a country or people ("Japanese Finance
    Ministry", "U.S. Treasury"), else (None, name)."""
    words = name.split()
    for size in (1, 2):
        if len(words) > size:
            prefix = " ".join(words[:size])
            place = resolve_demonym(prefix) or resolve_place(prefix)
            if place.status == "country":
                return place.country_code, " ".join(words[size:])
    return None, name


def country_before(doc: Doc, previous: Span | None, ent: Span) -> str | None:
    """The country of a place or people named right before ``ent`` ("Brazil's", "Japanese")."""
    if previous is None or not previous._.place or previous._.place[0] != "country":
        return None
    between = doc[previous.end:ent.start]
    return previous._.place[1] if all(t.lower_ in ("'s", "’s", "'") for t in between) else None


@dataclass(frozen=True)
class Quotes:
    """Direct quotations of the article with their speaker (a person or an organisation)."""

    settings: QuoteSettings

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        if not any(mark in text for mark in OPENING_MARKS):
            return doc  # no quotation: the speakers are not worth gathering
        people = [Person(e.start_char, e.end_char, e._.canonical, e._.entity_key)
                  for e in doc.ents if e._.entity_key.startswith(SPEAKER_KEYS)]
        found = find_quotes(text, people, self.settings)
        doc._.quotes = tuple(astuple(quote) for quote in found)  # msgpack-safe
        return doc


@Language.factory("news_quotes", assigns=["doc._.quotes"], requires=["span._.entity_key"],
                  default_config=asdict(QuoteSettings()))
def make_quotes(nlp: Language, name: str, min_words: int, speech_window: int, speaker_gap_words: int,
                pronoun_reach: int) -> Quotes:
    """Quote attribution with its thresholds from the pipeline's config."""
    return Quotes(QuoteSettings(min_words, speech_window, speaker_gap_words, pronoun_reach))
