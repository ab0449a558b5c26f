"""Per-run publish cost on DuckLake as the archive grows, and bulk load throughput.

100 Reuters-21578 articles (../shared/corpus) are parsed, extracted and loaded into a scratch
warehouse by the project's own stages; their rows (articles, sentences, mentions, quotes, files)
are the template. For each archive size a fresh warehouse gets that many articles by replicating
the template under new ids and content hashes (synthetic copies of real extracted rows, so the
archive costs seconds, not hours of extraction). Then the same 100 new articles (fresh ids) are
published as a run publishes: one transaction with the batch's rows, the views re-applied and the
run row, then the commit that readers see. Its median over ``--repeats`` runs (taken round robin
over the archives) is compared with the smallest archive's, measured in the same session. The
global near-duplicate and entity-merge steps of a run are not in this figure (they are the run's
own work, in bench/pipeline.py's flow figure).

Load throughput: mention rows inserted per second into the DuckLake ``mentions`` table from Arrow
in one transaction (the real template's rows, replicated to ``--load-rows``).

    .venv/bin/python -m bench.publish_cost [--sizes 1000 10000 50000] [--repeats 21]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from bench.corpus import BENCH_DATA, build_inbox
from flows.loading import load_batch
from warehouse import load as loader
from warehouse.store import apply_views, open_reader, open_writer

TEMPLATE_ARTICLES = 100
CONTENT = ("articles", "sentences", "mentions", "quotes")


def template(folder: Path) -> dict[str, pa.Table]:
    """The rows a real load of 100 corpus articles stores, by table: each file parsed and
    extracted by the project's own stages (in this process, no Prefect) and loaded by ``load_batch``."""
    import hashlib
    from datetime import datetime

    from flows.workers import extract_here_or_in_pool
    from transforms import DEFAULT_MODEL
    from transforms.articles import articles_table, file_articles
    from transforms.decode import UndecodableInput

    files, records = [], []
    for path in sorted(build_inbox(TEMPLATE_ARTICLES, BENCH_DATA / "publish_cost").iterdir()):
        raw = path.read_bytes()
        sha = hashlib.sha256(raw).hexdigest()
        try:
            parsed = file_articles(raw, sha)
        except UndecodableInput:  # the flow rejects these files too
            continue
        files.append(loader.FileVersion(path.name, sha, len(raw), datetime(2024, 1, 1), "loaded", None,
                                        parsed.encoding, len(parsed.articles)))
        records += parsed.articles
    articles = articles_table(records)
    extraction = extract_here_or_in_pool(articles, DEFAULT_MODEL, batch_size=64)
    db = folder / "template.ducklake"
    with open_writer(db) as con:
        load_batch(con, loader.Batch("template", files, articles, extraction.tables()))
    with open_reader(db) as con:
        return {table: con.table(table).to_arrow_table() for table in ("files", *CONTENT)}


def relabelled(rows: dict[str, pa.Table], copy: int) -> dict[str, pa.Table]:
    """The template's rows as copy number ``copy``: new article ids and content hashes."""
    tag = f"{copy:08x}"
    out = {}
    for table, data in rows.items():
        for column in ("article_id", "file_sha256", "sha256", "path"):
            if column in data.column_names:
                index = data.column_names.index(column)
                data = data.set_column(index, column, pc.binary_join_element_wise(tag, data[column], "-"))
        out[table] = data
    return out


def insert(con, rows: dict[str, pa.Table]) -> None:
    for table, data in rows.items():
        con.register("bench_rows", data)
        con.execute(f"insert into {table} by name select * from bench_rows")
        con.unregister("bench_rows")


def build_archive(db: Path, rows: dict[str, pa.Table], articles: int) -> None:
    """A warehouse of ``articles`` articles, committed in batches of 1,000 as runs would."""
    with open_writer(db) as con:
        per_commit = max(1, 1000 // TEMPLATE_ARTICLES)
        copies = articles // TEMPLATE_ARTICLES
        for first in range(0, copies, per_commit):
            with loader.transaction(con):
                for copy in range(first, min(copies, first + per_commit)):
                    insert(con, relabelled(rows, copy))
        with loader.transaction(con):
            apply_views(con)


def publish_seconds(db: Path, rows: dict[str, pa.Table], run: int) -> float:
    """Seconds to publish 100 new articles as one run: rows, views, run row, commit."""
    new = relabelled(rows, 10_000_000 + run)
    run_id = f"bench-{run}"
    with open_writer(db) as con:
        with loader.transaction(con):
            loader.start_run(con, run_id, None)
        started = time.perf_counter()
        with loader.transaction(con):
            insert(con, new)
            apply_views(con)
            loader.finish_run(con, run_id, "completed", {"articles": new["articles"].num_rows}, {})
        return time.perf_counter() - started


def load_rows_per_second(rows: dict[str, pa.Table], target_rows: int, folder: Path) -> float:
    mentions = rows["mentions"]
    copies = max(1, target_rows // mentions.num_rows)
    table = pa.concat_tables([relabelled({"mentions": mentions}, c)["mentions"] for c in range(copies)])
    with open_writer(folder / "load.ducklake") as con:
        con.register("bench_mentions", table)
        started = time.perf_counter()
        with loader.transaction(con):
            con.execute("insert into mentions by name select * from bench_mentions")
        return table.num_rows / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--load-rows", type=int, default=2_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        rows = template(folder)
        print(f"template: {rows['articles'].num_rows} articles, {rows['mentions'].num_rows} mentions "
              f"(parsed, extracted and loaded from corpus articles)", flush=True)
        archives = {size: folder / f"archive-{size}.ducklake" for size in args.sizes}
        for size, db in archives.items():
            build_archive(db, rows, size)
        # Round robin over the archives, so that load from other processes on the machine falls
        # on every size alike; the median per size is reported.
        seconds = {size: [] for size in archives}
        for run in range(args.repeats):
            for size, db in archives.items():
                seconds[size].append(publish_seconds(db, rows, run))
        print(f"{'archive articles':>16} {'mentions':>10} {'publish s':>10} {'x smallest':>11}", flush=True)
        baseline = statistics.median(seconds[args.sizes[0]])
        for size, db in archives.items():
            with open_reader(db) as con:
                mentions = con.execute("select count(*) from mentions").fetchone()[0]
            median = statistics.median(seconds[size])
            print(f"{size:>16} {mentions:>10} {median:>10.3f} {median / baseline:>11.2f}", flush=True)
        rate = load_rows_per_second(rows, args.load_rows, folder)
        print(f"load: {rate / 1e6:.2f}M mention rows/s into DuckLake (one transaction from Arrow)", flush=True)


if __name__ == "__main__":
    main()
