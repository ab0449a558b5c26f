"""Validate one batch's frames with the GX suites, record every result, build Data Docs.

GX validates one frame at a time, so cross-table facts (an article's sentence count, whether a
row's article is in the batch, the body length and body slice behind each offset) are first
joined onto small validation frames in pandas. Each call uses a fresh in-memory GX context:
suites and data sources never pile up in a long-running process. Validation results of the last
KEEP_RUNS runs are kept as JSON under `gx_dir/validations`, so the Data Docs index at
`gx_dir/docs/index.html`, built once per run, lists recent runs, not only the last one.

A failed error check quarantines only the files whose rows broke it: GX is asked again, for that
check alone and without storing the answer, for the article_id of every failing row, and the
articles frame maps those to files. A check that names no rows (a table-level check, or one that
raised) or rows of no known article cannot be traced to files and quarantines the whole batch.
Stored results and Data Docs keep GX's default detail, so a broken batch does not bloat them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import shutil
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from records.tables import batch_columns, checked_columns

if TYPE_CHECKING:
    from records.batch import Batch

log = logging.getLogger(__name__)

RESULT_COLUMNS = batch_columns("validation_results")
# Runs whose GX results and Data Docs pages are kept (older ones are pruned); the warehouse's
# validation_results table is the full record. Bounds disk and the cost of rebuilding the index.
KEEP_RUNS = 30
_DOCS_SITE = "wirehouse"

# Asks GX for the article_id of every row a check failed on (not only the first 20, as SUMMARY).
_FAILING_ROWS_FORMAT = {"result_format": "COMPLETE",
                        "unexpected_index_column_names": ["article_id"],
                        "return_unexpected_index_query": False}


@dataclass(frozen=True)
class FailedCheck:
    """An error expectation that failed, with the article_id of each row that broke it; None
    when GX names no rows (a table-level expectation, or one that raised)."""

    suite: str
    problem: str
    article_ids: list | None


@dataclass(frozen=True)
class ValidationOutcome:
    """Every expectation result of one batch, and what to quarantine:
    `failed_files` (file sha256 -> reason) when every failed error check could be traced to the
    files whose rows broke it, else `failed_whole_batch`."""

    results: pd.DataFrame
    failed_files: dict[str, str] = field(default_factory=dict)
    failed_whole_batch: bool = False

    @classmethod
    def nothing_to_validate(cls) -> "ValidationOutcome":
        """The outcome of a batch with no articles: no results, nothing failed."""
        return cls(pd.DataFrame(columns=RESULT_COLUMNS).astype({"success": bool}))

    @property
    def errors(self) -> pd.DataFrame:
        """Failed results of error severity."""
        r = self.results
        return r[~r["success"] & (r["severity"] == "error")]

    @property
    def failed(self) -> bool:
        """True when any error-severity expectation failed: some or all files are quarantined."""
        return not self.errors.empty

    def reason(self) -> str:
        """One line naming the failed error checks, for files.reason when the whole batch is
        quarantined."""
        errors = self.errors
        if errors.empty:
            return ""
        return f"{len(errors)} error check(s) failed: " + "; ".join(errors["details"])


def _columns(frame: pd.DataFrame, columns: list[str], table: str) -> pd.DataFrame:
    """The named columns of frame; an empty frame may lack them, a non-empty one may not."""
    missing = [c for c in columns if c not in frame.columns]
    if missing and len(frame):
        raise ValueError(f"{table} frame lacks columns {missing}")
    return frame.reindex(columns=columns).reset_index(drop=True)


def _body_slices(bodies: pd.Series, starts: pd.Series, ends: pd.Series) -> list[str | None]:
    """body[start:end] per row, or None where the body or a valid offset pair is missing."""
    out: list[str | None] = []
    for body, start, end in zip(bodies, starts, ends):
        ok = isinstance(body, str) and pd.notna(start) and pd.notna(end)
        ok = ok and 0 <= start < end <= len(body)
        out.append(body[int(start):int(end)] if ok else None)
    return out


def build_validation_frames(articles: pd.DataFrame, sentences: pd.DataFrame,
                            mentions: pd.DataFrame, quotes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per-table frames the suites check, with cross-table columns joined on in pandas."""
    arts = _columns(articles, checked_columns("articles"), "articles")
    sents = _columns(sentences, checked_columns("sentences"), "sentences")
    ments = _columns(mentions, checked_columns("mentions"), "mentions")
    quots = _columns(quotes, checked_columns("quotes"), "quotes")
    bodies = arts.drop_duplicates("article_id").set_index("article_id")["body"]
    lengths = bodies.map(lambda body: len(body) if isinstance(body, str) else None)
    counts = sents.groupby("article_id").size()
    arts["sentence_count"] = arts["article_id"].map(counts).fillna(0).astype("int64")
    for frame in (sents, ments, quots):
        frame["article_in_batch"] = frame["article_id"].isin(bodies.index)
        frame["body_length"] = frame["article_id"].map(lengths).astype("Int64")
    for frame in (ments, quots):
        frame["body_slice"] = pd.Series(
            _body_slices(frame["article_id"].map(bodies), frame["start_char"], frame["end_char"]),
            dtype="object")
    return {"articles": arts, "sentences": sents, "mentions": ments, "quotes": quots}


def _context(gx_dir: Path):
    """A fresh in-memory GX context that keeps validation results and Data Docs under gx_dir."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig)

    stores = InMemoryStoreBackendDefaults()
    stores.stores[stores.validation_results_store_name]["store_backend"] = {
        "class_name": "TupleFilesystemStoreBackend",
        "base_directory": str(gx_dir / "validations"),
    }
    stores.data_docs_sites = {_DOCS_SITE: {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": str(gx_dir / "docs")},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder",
                               "validation_results_limit": 3 * KEEP_RUNS},
    }}
    config = DataContextConfig(store_backend_defaults=stores, analytics_enabled=False,
                               progress_bars=ProgressBarsConfig(globally=False))
    return gx.get_context(mode="ephemeral", project_config=config)


def _details(table: str, problem: str, result: dict, exception: str | None) -> str:
    """Short readable line such as '3 of 120 mentions: text differs from body slice (e.g. ...)'."""
    if exception:
        return f"{table}: could not check ({problem}): {exception}"
    line = f"{result.get('unexpected_count') or 0} of {result.get('element_count') or 0} {table}"
    if not result.get("unexpected_count"):
        return f"{line}: ok"
    # Nulls and flags say nothing the problem does not; examples are the offending values.
    values = [v for v in result.get("partial_unexpected_list") or []
              if not _is_null(v) and not isinstance(v, bool)]
    examples = ", ".join(repr(v)[:40] for v in values[:3])
    return f"{line}: {problem}" + (f" (e.g. {examples})" if examples else "")


def _is_null(value) -> bool:
    return not isinstance(value, (tuple, list, dict)) and bool(pd.isna(value))


def _exception_message(info: dict | None) -> str | None:
    """First line of the exception GX caught while computing a metric, if any."""
    if not info:
        return None
    entries = [info] if "raised_exception" in info else list(info.values())
    for entry in entries:
        if isinstance(entry, dict) and entry.get("raised_exception"):
            return str(entry.get("exception_message") or "error").splitlines()[0][:200]
    return None


def _problem(expectation) -> str:
    """The phrase a failure of expectation is reported with."""
    return (expectation.meta or {}).get("problem", expectation.expectation_type)


def _result_rows(suite, validation) -> list[dict]:
    """One row per expectation of suite, in suite order."""
    from expectations.suites import severity_of

    by_id = {r.expectation_config.id: r for r in validation.results}
    rows = []
    for expectation in suite.expectations:
        r = by_id[expectation.id]
        kwargs = r.expectation_config.kwargs
        column = kwargs.get("column") or ",".join(
            kwargs.get("column_list") or [kwargs.get("column_A"), kwargs.get("column_B")])
        problem = _problem(expectation)
        exception = _exception_message(r.exception_info)
        result = r.result or {}
        rows.append({
            "suite": suite.name, "expectation": expectation.expectation_type, "column": column,
            "severity": severity_of(expectation), "success": bool(r.success),
            "unexpected_count": int(result.get("unexpected_count") or 0),
            "details": _details(suite.name, problem, result, exception),
        })
    return rows


def _failing_article_ids(result) -> list | None:
    """article_id of each row a COMPLETE result with `_FAILING_ROWS_FORMAT` names; None when it
    names none."""
    rows = (result.result or {}).get("unexpected_index_list")
    return [row["article_id"] for row in rows] if rows else None


def _failed_checks(suite, validation, batch_definition, frame: pd.DataFrame) -> list[FailedCheck]:
    """The failed error expectations of suite's validation, each re-run on the frame for its
    failing rows. The re-run is not stored: kept results stay small however many rows fail."""
    from expectations.suites import ERROR, severity_of

    by_id = {r.expectation_config.id: r for r in validation.results}
    failed = [e for e in suite.expectations if not by_id[e.id].success and severity_of(e) == ERROR]
    if not failed:
        return []
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    return [FailedCheck(suite.name, _problem(e),
                        _failing_article_ids(batch.validate(e, result_format=_FAILING_ROWS_FORMAT)))
            for e in failed]


def _files_of_check(check: FailedCheck, articles: pd.DataFrame) -> pd.DataFrame | None:
    """(article_id, file_sha256) of each file whose rows broke check, one example article per
    file; None when the check cannot be traced to files: it names no rows, or a failing row has
    no article_id, one of no article in the batch, or one whose article has no file_sha256."""
    if check.article_ids is None:
        return None
    ids = pd.DataFrame({"article_id": check.article_ids}, dtype="object")
    if ids["article_id"].isna().any():
        return None
    known = articles[["article_id", "file_sha256"]].astype("object")
    files = ids.merge(known, on="article_id", how="left")
    if files["file_sha256"].isna().any():
        return None
    return files.drop_duplicates("file_sha256")


def files_to_quarantine(checks: list[FailedCheck],
                        articles: pd.DataFrame) -> dict[str, str] | None:
    """file_sha256 -> reason naming each failed check that file's rows broke, with an example
    article_id; None when some check cannot be traced to files, so the whole batch must go."""
    reasons: dict[str, list[str]] = {}
    for check in checks:
        files = _files_of_check(check, articles)
        if files is None:
            return None
        for sha256, article_id in zip(files["file_sha256"], files["article_id"]):
            reasons.setdefault(sha256, []).append(
                f"{check.suite}: {check.problem} (e.g. article {article_id})")
    return {sha256: "; ".join(lines) for sha256, lines in reasons.items()}


def _prune(gx_dir: Path, keep: int) -> None:
    """Delete stored results and pages of all but the newest `keep` runs of each suite (a run
    stores one result per batch: <suite>/<run_name>/<run_time>/, run_time sorting by age)."""
    for base in (gx_dir / "validations", gx_dir / "docs" / "validations"):
        for suite_dir in (d for d in base.glob("*") if d.is_dir()):
            runs = [d for d in suite_dir.iterdir() if d.is_dir()]
            for old in sorted(runs, key=_newest_run_time)[:-keep]:
                shutil.rmtree(old, ignore_errors=True)


def _newest_run_time(run_dir: Path) -> str:
    return max((p.name for p in run_dir.iterdir()), default="")


def _build_docs(context, validation_keys: list, suite_names: list[str], gx_dir: Path) -> Path | None:
    """Render this run's pages and the index; Data Docs are a convenience, never fail the batch."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier)

    suite_keys = [ExpectationSuiteIdentifier(name=n) for n in suite_names]
    try:
        context.build_data_docs(site_names=[_DOCS_SITE],
                                resource_identifiers=[*suite_keys, *validation_keys])
    except Exception:  # noqa: BLE001 - docs must not decide whether a batch loads
        log.warning("building Data Docs under %s failed", gx_dir, exc_info=True)
        return None
    index = gx_dir / "docs" / "index.html"
    return index if index.exists() else None


def _run_suites(context, suites: list, frames: dict[str, pd.DataFrame],
                run_id) -> tuple[list[dict], list[FailedCheck]]:
    """Validate each table's frame against its suite (suite name = table name): the result rows,
    and the failed error checks with their failing rows."""
    import great_expectations as gx

    source = context.data_sources.add_pandas("wirehouse")
    rows: list[dict] = []
    failed: list[FailedCheck] = []
    for suite in suites:
        suite = context.suites.add(suite)
        batch = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("batch")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=suite))
        validation = definition.run(batch_parameters={"dataframe": frames[suite.name]},
                                    run_id=run_id)
        rows += _result_rows(suite, validation)
        failed += _failed_checks(suite, validation, batch, frames[suite.name])
    return rows, failed


def validate_batch(articles: pd.DataFrame, sentences: pd.DataFrame, mentions: pd.DataFrame, *,
                   quotes: pd.DataFrame, labels: Collection[str], gx_dir: Path,
                   run_name: str) -> ValidationOutcome:
    """Validate one batch's frames against the suites and store the results (the run's Data Docs
    are built once, by build_data_docs, when its last batch is validated)."""
    from filelock import FileLock
    from great_expectations.core.run_identifier import RunIdentifier

    from expectations.suites import all_suites

    gx_dir = Path(gx_dir).resolve()  # GX stores need absolute paths
    gx_dir.mkdir(parents=True, exist_ok=True)
    frames = build_validation_frames(articles, sentences, mentions, quotes)
    suites = all_suites(labels)
    run_id = RunIdentifier(run_name=run_name, run_time=dt.datetime.now(dt.timezone.utc))
    # Concurrent runs share gx_dir: serialise writes to the results store and the docs site.
    with FileLock(gx_dir / ".lock"):
        rows, failed = _run_suites(_context(gx_dir), suites, frames, run_id)
    results = pd.DataFrame(rows, columns=RESULT_COLUMNS).astype(
        {"success": "bool", "unexpected_count": "int64"})
    files = files_to_quarantine(failed, frames["articles"])
    return ValidationOutcome(results=results, failed_files=files or {},
                             failed_whole_batch=files is None)


def validate_record(batch: Batch, *, labels: Collection[str], gx_dir: Path) -> ValidationOutcome:
    """Validate a parsed and extracted batch (its tables as the suites' frames; run = its run)."""
    return validate_batch(batch.articles.to_pandas(), batch.rows["sentences"].to_pandas(),
                          batch.rows["mentions"].to_pandas(), quotes=batch.rows["quotes"].to_pandas(),
                          labels=labels, gx_dir=gx_dir, run_name=batch.run_id)


def build_data_docs(gx_dir: Path, run_name: str, labels: Collection[str]) -> Path | None:
    """Drop all but the last KEEP_RUNS runs' results, then render the pages of run `run_name`'s
    batches and the index: once per run, since rendering costs more than validating a batch."""
    from filelock import FileLock

    from expectations.docs_assets import localize_docs, mark_passed_with_warnings
    from expectations.suites import all_suites

    gx_dir = Path(gx_dir).resolve()
    with FileLock(gx_dir / ".lock"):
        _prune(gx_dir, KEEP_RUNS)
        context = _context(gx_dir)
        suites = [context.suites.add(s) for s in all_suites(labels)]
        keys = [k for k in context.validation_results_store.list_keys() if k.run_id.run_name == run_name]
        for key in keys:
            _pass_with_warnings(context.validation_results_store, key)
        docs = _build_docs(context, keys, [s.name for s in suites], gx_dir)
        if docs is not None:
            localize_docs(docs.parent)
            mark_passed_with_warnings(docs.parent)
        return docs


def _pass_with_warnings(store, key) -> None:
    """Store a result whose only failures are warn expectations as a success: the batch loaded,
    so Data Docs must not show it as "Failed" (each failed warning still shows on its page)."""
    from expectations.suites import WARN, severity_of

    result = store.get(key)
    failed = [r for r in result.results if not r.success]
    if not result.success and failed and all(severity_of(r.expectation_config) == WARN for r in failed):
        result.success = True
        store.set(key, result)
