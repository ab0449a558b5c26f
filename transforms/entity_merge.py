"""The corpus-wide entity merge as a table: key counts in, each key's target and entity id out.

Pure: ``warehouse.entities`` supplies the counts and applies the table; ``flows.loading`` wires
the two around this computation inside the run's closing transaction.
"""

from __future__ import annotations

import pyarrow as pa

from transforms.resolve import KeyCount, entity_id, merge_keys


def merged_keys(counts: list[tuple[str, int]]) -> pa.Table:
    """entity_key -> target_key and the target's entity_id for (entity key, mentions) counts
    (typed, so an empty merge binds too). A key's label is its prefix (``PERSON:...``)."""
    merged = merge_keys(KeyCount(key, key.split(":", 1)[0], n) for key, n in counts)
    return pa.table({"entity_key": pa.array(list(merged), pa.string()),
                     "target_key": pa.array(list(merged.values()), pa.string()),
                     "entity_id": pa.array([entity_id(k) for k in merged.values()], pa.string())})
