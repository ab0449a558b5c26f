"""Prefect artifacts attached to each run: summary, top entities, validation, Data Docs location.

Article-derived text is untrusted: every cell is escaped for markdown and HTML before Prefect
renders it in the UI.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def inert(text: object) -> str:
    """``text`` rendered harmless in markdown and HTML: control characters dropped, markup escaped."""
    cleaned = CONTROL.sub("", str(text)).replace("\n", " ")
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(cleaned, quote=True))


def summary_markdown(summary) -> str:
    rows = [f"| {inert(name)} | {value} |" for name, value in summary.counts().items()]
    stages = [f"| {inert(stage)} | {seconds:.2f} |" for stage, seconds in summary.stage_seconds.items()]
    problems = [f"- {inert(path)}: {inert(reason)}" for path, reason in summary.quarantined + summary.rejected]
    passed = sum(1 for r in summary.validation if r["success"])
    return "\n".join([
        f"## Wirehouse run {inert(summary.run_id)}",
        inert(summary.headline()), "",
        "| count | value |", "|---|---|", *rows, "",
        "| stage | seconds |", "|---|---|", *stages, "",
        f"Validation: {passed} of {len(summary.validation)} expectation results passed.", "",
        *(["### Files not loaded", *problems] if problems else []),
    ])


def validation_markdown(summary, docs_path: Path | None) -> str:
    failed = [r for r in summary.validation if not r["success"]]
    lines = [f"- **{inert(r['severity'])}** {inert(r['suite'])}.{inert(r['expectation'])}"
             f" ({inert(r.get('column') or '')}): {inert(r.get('details') or '')}" for r in failed]
    docs = f"Data Docs: `{inert(docs_path)}`" if docs_path else "Data Docs: not built this run"
    return "\n".join(["## Validation", docs, "", *(lines or ["All expectations passed."])])


def publish_artifacts(summary) -> None:
    """Attach the run's artifacts; keys are stable so the UI groups them across runs."""
    create_markdown_artifact(key="run-summary", markdown=summary_markdown(summary),
                             description="Files, articles, mentions, validation and stage timings")
    create_table_artifact(
        key="top-entities",
        table=[{"entity": inert(t), "label": inert(l), "mentions": n} for t, l, n in summary.top_entities],
        description="Most mentioned entities of this run",
    )
    create_markdown_artifact(key="validation-summary", markdown=validation_markdown(summary, summary.docs_path),
                             description="Great Expectations results of this run")
