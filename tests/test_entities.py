"""Canonical names: folding, short forms within an article, merges across articles, and the
warehouse's incremental entity merge equalling a rebuild from every mention."""

from datetime import datetime
from hashlib import sha256

import pyarrow as pa
import pytest

from flows.loading import load_batch, merge_entities, settle_entities
from transforms.articles import articles_table
from transforms.extract import MENTION_SCHEMA, QUOTE_SCHEMA, SENTENCE_SCHEMA
from transforms.resolve import KeyCount, NameIndex, alias_for, fold_name, merge_keys, name_key, person_for
from warehouse import load as loader
from warehouse.store import open_writer


@pytest.mark.parametrize("text, name", [
    ("Foreign Minister Sergei Lavrov", "Sergei Lavrov"),
    ("President Vladimir Putin", "Vladimir Putin"),
    ("Putin’s", "Putin"),
    ("Russia s", "Russia"),
    ("U.S.", "U.S."),
])
def test_titles_and_possessives_are_folded(text, name):
    assert fold_name(text) == name


def test_a_short_form_resolves_to_the_full_name_whatever_its_case():
    people = ["Staffan de Mistura", "Vladimir Putin"]
    assert person_for("De Mistura", people) == "Staffan de Mistura"
    assert person_for("Putin", people) == "Vladimir Putin"
    assert person_for("Lavrov", people) is None


def keys(*rows):
    return [KeyCount(key, key.split(":")[0], n) for key, n in rows]


def test_spelling_variants_of_a_first_name_merge_into_the_most_mentioned():
    merged = merge_keys(keys(("PERSON:sergei lavrov", 5), ("PERSON:sergey lavrov", 1)))
    assert merged["PERSON:sergey lavrov"] == "PERSON:sergei lavrov"


def test_ner_label_slips_of_a_known_person_merge_into_the_person():
    merged = merge_keys(keys(("PERSON:staffan de mistura", 3), ("ORG:de mistura", 2), ("GPE:?:de mistura", 1),
                             ("PERSON:de mistura", 2)))
    assert {merged[k] for k in merged} == {"PERSON:staffan de mistura"}


def test_a_short_form_shared_by_two_people_is_left_alone():
    merged = merge_keys(keys(("PERSON:sergei lavrov", 3), ("PERSON:anna lavrov", 3), ("PERSON:lavrov", 1)))
    assert merged["PERSON:lavrov"] == "PERSON:lavrov"


def test_keys_ignore_acronym_dots_and_the_al_particle():
    assert name_key("U.N.") == name_key("UN")
    assert name_key("Bashar al-Assad") == name_key("Bashar Assad")


def test_an_acronym_is_the_newsroom_alias_or_the_articles_organisation_with_those_initials():
    assert alias_for("U.N.", []) == "United Nations"
    assert alias_for("ECGD", ["Export Credits Guarantee Department", "Bank of England"]) == "Export Credits Guarantee Department"
    assert alias_for("ECGD", []) == "ECGD"


def test_one_name_under_several_labels_takes_the_label_most_mentions_carry():
    merged = merge_keys(keys(("ORG:perekrestok", 5), ("PERSON:perekrestok", 1), ("GPE:?:perekrestok", 1)))
    assert set(merged.values()) == {"ORG:perekrestok"}


def test_a_name_cut_at_its_apostrophe_joins_its_full_spelling():
    merged = merge_keys(keys(("PERSON:bashar ja’afari", 2), ("PERSON:bashar ja", 1)))
    assert merged["PERSON:bashar ja"] == "PERSON:bashar ja’afari"


def test_a_shorter_surname_is_not_a_cut_spelling():
    merged = merge_keys(keys(("PERSON:john smithson", 2), ("PERSON:john smith", 1)))
    assert merged["PERSON:john smith"] == "PERSON:john smith"


def test_resolved_places_never_become_people():
    merged = merge_keys(keys(("PERSON:michael jordan", 3), ("GPE:JO", 4)))
    assert merged["GPE:JO"] == "GPE:JO"


def test_the_name_index_finds_exactly_the_owners_person_for_finds():
    names = ["staffan de mistura", "de mistura", "mistura", "vladimir putin", "putin", "syria staffan de mistura",
             "anna lavrov", "sergei lavrov", "lavrov", "de", "ß", "ss"]
    index = NameIndex.of(names)
    for name in names + ["foreign minister sergei lavrov", "Putin", "x"]:
        assert index.owners(name) == {full for full in names if person_for(name, [full])}, name


# A file of the incremental-merge tests: (text, entity key) of each mention of its one article.
PEOPLE = {
    "a.txt": [("Sergey Lavrov", "PERSON:sergey lavrov"), ("Sergey Lavrov", "PERSON:sergey lavrov"),
              ("Lavrov", "ORG:lavrov")],
    "b.txt": [("Moscow", "GPE:RU-moscow"), ("Staffan de Mistura", "PERSON:staffan de mistura")],
    "c.txt": [("Sergei Lavrov", "PERSON:sergei lavrov")] * 3 + [("De Mistura", "ORG:de mistura"),
                                                                 ("Moscow", "GPE:RU-moscow")],
}


def file_batch(run_id: str, files: dict[str, list[tuple[str, str]]]) -> loader.Batch:
    """A load batch of one-article files; each article quotes its first mention."""
    versions, articles, rows = [], [], {"sentences": [], "mentions": [], "quotes": []}
    for path, mentions in files.items():
        body = " ".join(text for text, _ in mentions)
        sha = sha256(f"{path}:{body}".encode()).hexdigest()
        article_id = f"{sha[:16]}-0000"
        versions.append(loader.FileVersion(path, sha, len(body), datetime(2024, 1, 1), "loaded", None, "utf-8", 1))
        articles.append({"article_id": article_id, "file_sha256": sha, "ordinal": 0, "headline": path, "body": body,
                         "language": "en", "word_count": len(body.split()), "authors": [], "captions": [],
                         "boilerplate": [], "subheadings": []})
        rows["sentences"].append({"article_id": article_id, "sentence_no": 0, "start_char": 0, "end_char": len(body)})
        start = 0
        for text, key in mentions:
            rows["mentions"].append({"article_id": article_id, "sentence_no": 0, "start_char": start,
                                     "end_char": start + len(text), "text": text, "label": key.split(":")[0],
                                     "canonical": text, "entity_key": key})
            start += len(text) + 1
        rows["quotes"].append({"article_id": article_id, "quote_no": 0, "start_char": 0, "end_char": len(body),
                               "text": body, "speaker": mentions[0][0], "speaker_key": mentions[0][1]})
    schemas = {"sentences": SENTENCE_SCHEMA, "mentions": MENTION_SCHEMA, "quotes": QUOTE_SCHEMA}
    return loader.Batch(run_id, versions, articles_table(articles),
                        {table: pa.Table.from_pylist(rows[table], schema=schemas[table]) for table in rows})


def entity_state(con) -> dict[str, list[tuple]]:
    """Everything the entity merge writes, in a comparable order."""
    return {"entities": con.execute("select * from entities order by entity_id").fetchall(),
            "entity_keys": con.execute("select * from entity_keys order by entity_key").fetchall(),
            "mentions": con.execute("select article_id, start_char, entity_id from mentions order by all").fetchall(),
            "quotes": con.execute("select article_id, quote_no, speaker_entity_id from quotes order by all").fetchall()}


def rebuilt_state(con) -> dict[str, list[tuple]]:
    """The entity state a merge from nothing gives on the same mentions (rolled back afterwards)."""
    con.execute("begin transaction")
    con.execute("delete from entity_keys; delete from entities; "
                "update mentions set entity_id = null; update quotes set speaker_entity_id = null")
    merge_entities(con)
    state = entity_state(con)
    con.execute("rollback")
    return state


def entity_of(con, text: str) -> tuple[str, str]:
    """(entity_id, entity name) of the mentions printed ``text``; they must agree."""
    rows = con.execute("select distinct e.entity_id, e.name from mentions m join entities e using (entity_id) "
                       "where m.text = ?", [text]).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def load(con, batch) -> None:
    """Load one batch and merge entities, as a run of one batch does."""
    load_batch(con, batch)
    settle_entities(con)


def test_batches_merged_one_by_one_equal_a_rebuild_from_every_mention(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        load(con, file_batch("run-1", {p: PEOPLE[p] for p in ("a.txt", "b.txt")}))
        assert entity_state(con) == rebuilt_state(con)
        assert entity_of(con, "Lavrov") == entity_of(con, "Sergey Lavrov")
        load(con, file_batch("run-2", {"c.txt": PEOPLE["c.txt"]}))
        assert entity_state(con) == rebuilt_state(con)
        assert entity_of(con, "Sergey Lavrov") == entity_of(con, "Sergei Lavrov")
        assert entity_of(con, "Sergey Lavrov")[1] == "Sergei Lavrov"
        assert entity_of(con, "De Mistura") == entity_of(con, "Staffan de Mistura")


def test_a_changed_file_that_drops_mentions_leaves_a_rebuild_from_every_mention(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        load(con, file_batch("run-1", PEOPLE))
        load(con, file_batch("run-2", {"c.txt": [("Geneva", "GPE:CH-geneva")]}))
        assert entity_state(con) == rebuilt_state(con)
        assert entity_of(con, "Sergey Lavrov")[1] == "Sergey Lavrov"
        assert con.execute("select count(*) from entities where name in ('Sergei Lavrov', 'De Mistura')").fetchall() == [(0,)]
        assert con.execute("select mentions, articles from entities where name = 'Moscow'").fetchall() == [(1, 1)]


def test_a_name_seen_as_a_company_with_its_legal_form_is_that_company():
    merged = merge_keys(keys(("PERSON:cyacq", 5), ("ORG:cyacq corp", 2), ("PERSON:cyacq smith", 1)))
    assert merged["PERSON:cyacq"] == "ORG:cyacq corp" and merged["PERSON:cyacq smith"] == "PERSON:cyacq smith"


def test_a_much_mentioned_organisation_is_not_swallowed_by_a_rare_person_name_ending_with_it():
    merged = merge_keys(keys(("ORG:congress", 300), ("PERSON:american congress", 1)))
    assert merged["ORG:congress"] == "ORG:congress"


def test_a_place_is_not_a_company_that_bears_its_name():
    merged = merge_keys(keys(("LOC:?:europe", 50), ("ORG:europe ltd", 3)))
    assert merged["LOC:?:europe"] == "LOC:?:europe"


def test_an_organisation_keeps_a_title_word_that_opens_its_name():
    assert fold_name("General Motors Corp", titled=False) == "General Motors Corp"
    assert fold_name("the Foreign Ministry", titled=False) == "Foreign Ministry"


def test_a_company_whose_own_name_votes_for_another_label_still_merges_consistently():
    merged = merge_keys(keys(("PERSON:motors", 3), ("ORG:motors corp", 1), ("PERSON:motors corp", 2)))
    assert merged["PERSON:motors"] == merged["ORG:motors corp"] == "PERSON:motors corp"


def test_every_key_of_a_person_named_company_joins_the_company():
    merged = merge_keys(keys(("PERSON:chemlawn", 5), ("ORG:chemlawn", 1), ("ORG:chemlawn corp", 2)))
    assert merged["PERSON:chemlawn"] == merged["ORG:chemlawn"] == "ORG:chemlawn corp"


def test_an_organisations_bare_name_and_its_legal_name_are_one_entity_under_the_more_mentioned():
    merged = merge_keys(keys(("ORG:chemlawn", 5), ("PERSON:chemlawn", 1), ("ORG:chemlawn corp", 3),
                             ("ORG:cyacq", 2), ("ORG:cyacq corp", 4)))
    assert merged["ORG:chemlawn corp"] == merged["PERSON:chemlawn"] == "ORG:chemlawn"
    assert merged["ORG:cyacq"] == "ORG:cyacq corp"


def test_a_bare_name_that_opens_other_companies_names_as_often_joins_none_of_them():
    merged = merge_keys(keys(("ORG:continental", 9), ("ORG:continental corp", 3), ("ORG:continental airlines inc", 4)))
    assert merged["ORG:continental"] == "ORG:continental"
    assert merged["ORG:continental corp"] == "ORG:continental corp"


def test_a_bare_name_joins_its_legal_name_past_a_rarely_named_subsidiary_and_a_full_stop():
    merged = merge_keys(keys(("ORG:chrysler", 10), ("ORG:chrysler corp.", 5), ("ORG:chrysler motors corp", 1)))
    assert merged["ORG:chrysler corp."] == "ORG:chrysler"
    assert merged["ORG:chrysler motors corp"] == "ORG:chrysler motors corp"


@pytest.mark.parametrize("text", ["Minsiter Yasuhiro Nakasone", "Prime Minsiter Yasuhiro Nakasone"])
def test_a_title_misspelt_by_two_swapped_letters_is_folded_away(text):
    assert fold_name(text) == "Yasuhiro Nakasone"
