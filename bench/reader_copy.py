"""Cost of publishing the read copy (copy + atomic rename) as the warehouse grows.

Each size is a real DuckDB writer file padded with a table of random text (random, so it does
not compress away), checkpointed, then published with ``warehouse.store.publish`` as a run does.
Prints seconds and MB/s per size and the ratio against the smallest size, measured in this run.

    .venv/bin/python -m bench.reader_copy [--sizes-mb 16 64 256] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from warehouse.store import open_writer, publish, writer_path

ROW_BYTES = 1024


def filler(rows: int, seed: int) -> pa.Table:
    """``rows`` rows of incompressible text, ROW_BYTES each."""
    rng = np.random.default_rng(seed)
    letters = rng.integers(97, 123, size=(rows, ROW_BYTES), dtype=np.uint8)
    return pa.table({"text": [row.tobytes().decode("ascii") for row in letters]})


def grow_to(db: Path, size_mb: int, batch_rows: int = 8192) -> float:
    """Pad the writer file of ``db`` to about ``size_mb`` with a filler table; returns its size in MB."""
    with open_writer(db) as con:
        rows = con.from_arrow(filler(batch_rows, seed=0))
        if writer_path(db).stat().st_size < 2 * 1024 * 1024:  # a fresh, migrated file: no filler yet
            rows.create("bench_filler")
        while writer_path(db).stat().st_size < size_mb * 1024 * 1024:
            con.from_arrow(filler(batch_rows, seed=writer_path(db).stat().st_size)).insert_into("bench_filler")
            con.checkpoint()
    return writer_path(db).stat().st_size / 1024 / 1024


def publish_seconds(db: Path, repeats: int) -> float:
    """Median seconds of one publish: copy to a staging file, then os.replace over the read copy."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        publish(db)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes-mb", type=int, nargs="+", default=[16, 64, 256])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as folder:
        db = Path(folder) / "wirehouse.duckdb"
        print(f"{'size MB':>8} {'publish s':>10} {'MB/s':>8} {'x smallest':>11}")
        baseline = None
        for size_mb in sorted(args.sizes_mb):
            size = grow_to(db, size_mb)
            seconds = publish_seconds(db, args.repeats)
            baseline = baseline or seconds
            print(f"{size:8.0f} {seconds:10.3f} {size / seconds:8.0f} {seconds / baseline:11.1f}")


if __name__ == "__main__":
    main()
