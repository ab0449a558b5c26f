"""Prefect artifacts attached to each run: summary, top entities, validation, Data Docs location.

Article-derived text is untrusted: every cell is escaped for markdown and HTML before Prefect
renders it in the UI.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from presentation.safe_text import one_line
from warehouse.report import top_entities
from warehouse.store import Lake

TOP_ENTITIES = 10
# Markup anywhere in a line; hyphens, dots and brackets only make markup where a line starts
# (`- item`, `1. item`) or after a `[`, which is escaped, so inside a name they stay as printed.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~>])")
LINE_START_MARKUP = re.compile(r"^(\d*)([-+.!(){}])")


def inert(text: object) -> str:
    """``text`` rendered harmless in markdown and HTML: control characters dropped, markup escaped.
    Quotes stay as they are: the UI's markdown renderer shows `&#x27;` literally, and a quote in
    text makes no markup (only ``& < >`` do)."""
    cleaned = one_line(text)
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(cleaned, quote=False))
    return LINE_START_MARKUP.sub(r"\1\\\2", escaped)


def code_span(text: object) -> str:
    """``text`` as a markdown code span: shown literally, so it needs no escapes (which would show)."""
    return "`" + one_line(text).replace("`", "'") + "`"


def summary_rows(summary) -> list[dict]:
    """The run-summary table: one row per measure (our own names and numbers, no article text)."""
    return [{"measure": measure, "value": value} for measure, value in summary.overview()]


def validation_outcome(results: list[dict]) -> str:
    """The run's validation in one sentence: passed, passed with warnings (a failed warn expectation
    does not stop a batch loading), or failed."""
    if not results:
        return "Nothing was validated: no new articles."
    failed = [r for r in results if not r["success"]]
    errors = sum(1 for r in failed if r["severity"] == "error")
    if errors:
        return f"**Failed**: {errors} error(s), {len(failed) - errors} warning(s); batches with errors were quarantined."
    if failed:
        return f"**Passed with warnings**: {len(failed)} warning(s), no errors; warnings do not stop a batch loading."
    return "**Passed**: every expectation passed."


def validation_markdown(summary, docs_path: Path | None) -> str:
    failed = [r for r in summary.validation if not r["success"]]
    lines = [f"- **{inert(r['severity'])}** {inert(r['suite'])}.{inert(r['expectation'])}"
             f" ({inert(r.get('column') or '')}): {inert(r.get('details') or '')}" for r in failed]
    problems = [f"- {inert(path)}: {inert(reason)}" for path, reason in
                summary.quarantined + summary.rejected + summary.skipped]
    passed = len(summary.validation) - len(failed)
    docs = f"Data Docs: {code_span(docs_path)}" if docs_path else "Data Docs: not built this run"
    return "\n".join([
        "## Validation", docs, "", validation_outcome(summary.validation), "",
        f"{passed} of {len(summary.validation)} expectation results passed.", "",
        *lines,
        *(["", "### Files not loaded this run", *problems] if problems else []),
    ])


def top_entity_rows(summary, lake: Lake) -> list[dict]:
    """The run's most mentioned entities, counted as `wirehouse report` counts them (from the
    published warehouse, so call this after publish); none, without opening the warehouse, when
    the run loaded no articles."""
    if not summary.counts()["articles"]:
        return []
    found = top_entities(lake, TOP_ENTITIES, run_id=summary.run_id)
    return [{"entity": inert(name), "label": inert(label), "mentions": mentions, "articles": articles}
            for _, name, label, mentions, articles in found.rows]


def publish_artifacts(summary, lake: Lake) -> None:
    """Attach the run's artifacts once it is published in ``lake`` (so the profile has every stage,
    publish included); keys are stable so the UI groups them across runs."""
    create_table_artifact(key="run-summary", table=summary_rows(summary), description=summary.headline())
    create_table_artifact(
        key="run-profile",
        table=[{"stage": stage, "seconds": seconds, "share": share, "throughput": note}
               for stage, seconds, share, note in summary.profile()],
        description="Where this run's time went, per stage",
    )
    create_table_artifact(
        key="top-entities",
        table=top_entity_rows(summary, lake),
        description="Most mentioned entities in the articles this run loaded (as `wirehouse report` counts them)",
    )
    create_markdown_artifact(key="validation-summary", markdown=validation_markdown(summary, summary.docs_path),
                             description="Great Expectations results of this run")
