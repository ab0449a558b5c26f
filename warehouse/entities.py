"""Corpus-level entity merge: per-article entity keys -> one ``entities`` row per entity.

Runs inside the load transaction after the batch's rows are inserted. The key counts of the whole
warehouse are merged by ``transforms.resolve.merge_keys`` (spelling variants, short forms, NER
label slips), then ``entities`` is rebuilt and ``mentions.entity_id`` and
``quotes.speaker_entity_id`` are filled. Ids are derived from the merged key, so an entity keeps
its id across runs as long as its key wins the merge.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from transforms.resolve import KeyCount, entity_id, merge_keys

REBUILD_ENTITIES = """
    insert into entities
    select k.entity_id,
           arg_max(m.canonical, {'own': m.entity_key = k.target_key, 'n': m.n}) as name,
           split_part(k.target_key, ':', 1) as label,
           any_value(m.country_code) as country_code,
           any_value(m.latitude) as latitude,
           any_value(m.longitude) as longitude,
           arg_max(m.place_status, m.n) as place_status,
           list_sort(list_distinct(flatten(list(m.aliases)))) as aliases,
           sum(m.n)::integer as mentions,
           any_value(a.articles)::integer as articles
    from entity_keys k
    join (select entity_key, canonical, any_value(country_code) as country_code,
                 any_value(latitude) as latitude, any_value(longitude) as longitude,
                 any_value(place_status) as place_status, list(distinct text) as aliases, count(*) as n
          from mentions group by entity_key, canonical) m using (entity_key)
    join (select ek.entity_id, count(distinct mm.article_id) as articles
          from mentions mm join entity_keys ek using (entity_key) group by ek.entity_id) a using (entity_id)
    group by k.entity_id, k.target_key
"""


def key_counts(con: duckdb.DuckDBPyConnection) -> list[KeyCount]:
    """Every entity key in the warehouse with its label and number of mentions."""
    rows = con.execute("select entity_key, any_value(label), any_value(canonical), count(*) "
                       "from mentions where entity_key is not null group by entity_key").fetchall()
    return [KeyCount(key, key.split(":", 1)[0], name, n) for key, _, name, n in rows]


def key_frame(merged: dict[str, str]) -> pa.Table:
    """entity_key -> target_key and the target's entity_id (typed, so an empty batch binds too)."""
    return pa.table({"entity_key": pa.array(list(merged), pa.string()),
                     "target_key": pa.array(list(merged.values()), pa.string()),
                     "entity_id": pa.array([entity_id(k) for k in merged.values()], pa.string())})


def merge_entities(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild ``entities`` from every mention and link mentions and quote speakers to it."""
    con.register("entity_keys", key_frame(merge_keys(key_counts(con))))
    con.execute("delete from entities")
    con.execute(REBUILD_ENTITIES)
    con.execute("update mentions set entity_id = k.entity_id from entity_keys k "
                "where mentions.entity_key = k.entity_key and mentions.entity_id is distinct from k.entity_id")
    con.execute("update quotes set speaker_entity_id = k.entity_id from entity_keys k "
                "where quotes.speaker_key = k.entity_key and quotes.speaker_entity_id is distinct from k.entity_id")
    con.unregister("entity_keys")
