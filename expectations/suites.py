"""Great Expectations suites as code: one function per table, every expectation marked error or warn.

The suites run on the validation frames built by `expectations.validate.build_validation_frames`,
which add the cross-table columns GX cannot compute itself (sentence_count, article_in_batch,
body_length, body_slice). Severity uses GX's own `severity` field: error -> "critical", warn -> "warning".
`meta["problem"]` is the phrase a failure is reported with.
"""

from __future__ import annotations

from collections.abc import Collection

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

ERROR, WARN = "error", "warn"
_TO_GX = {ERROR: "critical", WARN: "warning"}
_FROM_GX = {"critical": ERROR, "warning": WARN, "info": WARN}

SHA256_REGEX = r"^[0-9a-f]{64}$"
LANGUAGE_REGEX = r"^[a-z]{2,3}$"  # ISO 639 code, as language detection reports it
# Share of a batch's quotes that should have a speaker; 54% of the seed articles' quotes do.
MIN_SPEAKER_SHARE = 0.25


def severity_of(expectation_config) -> str:
    """Wirehouse severity ("error" or "warn") of an expectation or its configuration."""
    value = getattr(expectation_config, "severity", None)
    return _FROM_GX.get(getattr(value, "value", value) or "critical", ERROR)


def _expect(cls, severity: str, problem: str, **kwargs) -> gxe.Expectation:
    """One expectation with its severity and the phrase its failure is reported with."""
    return cls(severity=_TO_GX[severity], meta={"problem": problem}, **kwargs)


def _in_batch() -> gxe.Expectation:
    # A derived flag rather than value_set=<all batch ids>: that set would be copied into every
    # stored result and Data Docs page (~100 kB per run at 1000 articles).
    return _expect(gxe.ExpectColumnValuesToBeInSet, ERROR, "article_id not in this batch's articles",
                   column="article_in_batch", value_set=[True])


def _offsets_within_body() -> list[gxe.Expectation]:
    """Offsets shared by sentences, mentions and quotes: 0 <= start_char < end_char <= len(body)."""
    return [
        _expect(gxe.ExpectColumnValuesToBeBetween, ERROR, "start_char is negative",
                column="start_char", min_value=0),
        _expect(gxe.ExpectColumnPairValuesAToBeGreaterThanB, ERROR,
                "end_char is not after start_char", column_A="end_char", column_B="start_char",
                or_equal=False, ignore_row_if="either_value_is_missing"),
        # Rows of unknown articles have no body_length; the article_id check reports those.
        _expect(gxe.ExpectColumnPairValuesAToBeGreaterThanB, ERROR,
                "end_char is past the end of the body", column_A="body_length",
                column_B="end_char", or_equal=True, ignore_row_if="either_value_is_missing"),
    ]


def _text_is_body_slice() -> gxe.Expectation:
    # body_slice is null when the offsets are invalid; the offset checks report those rows.
    return _expect(gxe.ExpectColumnPairValuesToBeEqual, ERROR, "text differs from body slice",
                   column_A="text", column_B="body_slice", ignore_row_if="either_value_is_missing")


def articles_suite() -> gx.ExpectationSuite:
    """Expectations on one batch of articles (with sentence_count per article)."""
    return gx.ExpectationSuite(name="articles", expectations=[
        _expect(gxe.ExpectColumnValuesToNotBeNull, ERROR, "article_id is missing",
                column="article_id"),
        _expect(gxe.ExpectColumnValuesToBeUnique, ERROR, "article_id is duplicated",
                column="article_id"),
        _expect(gxe.ExpectColumnValuesToNotBeNull, ERROR, "file_sha256 is missing",
                column="file_sha256"),
        _expect(gxe.ExpectColumnValuesToMatchRegex, ERROR, "file_sha256 is not 64 hex digits",
                column="file_sha256", regex=SHA256_REGEX),
        _expect(gxe.ExpectColumnValuesToNotBeNull, ERROR, "body is missing", column="body"),
        _expect(gxe.ExpectColumnValuesToBeBetween, ERROR, "article has no sentences",
                column="sentence_count", min_value=1),
        _expect(gxe.ExpectColumnValuesToNotBeNull, WARN, "headline is missing",
                column="headline"),
        _expect(gxe.ExpectColumnValuesToMatchRegex, WARN, "language is not an ISO 639 code",
                column="language", regex=LANGUAGE_REGEX),
        _expect(gxe.ExpectColumnValuesToBeBetween, WARN, "word_count outside 1..200000",
                column="word_count", min_value=1, max_value=200_000),
        _expect(gxe.ExpectColumnValuesToBeInSet, ERROR, "date_source is not printed, inferred or null",
                column="date_source", value_set=["printed", "inferred"]),
    ])


def sentences_suite() -> gx.ExpectationSuite:
    """Expectations on one batch of sentences (with body_length of their article)."""
    return gx.ExpectationSuite(name="sentences", expectations=[
        _expect(gxe.ExpectColumnValuesToNotBeNull, ERROR, "article_id is missing",
                column="article_id"),
        _in_batch(),
        _expect(gxe.ExpectCompoundColumnsToBeUnique, ERROR,
                "(article_id, sentence_no) is duplicated", column_list=["article_id", "sentence_no"]),
        *_offsets_within_body(),
    ])


def mentions_suite(labels: Collection[str]) -> gx.ExpectationSuite:
    """Expectations on one batch of mentions (with body_length and body_slice of their article)."""
    return gx.ExpectationSuite(name="mentions", expectations=[
        *(_expect(gxe.ExpectColumnValuesToNotBeNull, ERROR, f"{column} is missing", column=column)
          for column in ("article_id", "text", "label")),
        _in_batch(),
        _expect(gxe.ExpectCompoundColumnsToBeUnique, ERROR,
                "(article_id, start_char, end_char, label) is duplicated",
                column_list=["article_id", "start_char", "end_char", "label"]),
        *_offsets_within_body(),
        _text_is_body_slice(),
        _expect(gxe.ExpectColumnValuesToBeInSet, ERROR, "label is not a known label",
                column="label", value_set=sorted(labels)),
        _expect(gxe.ExpectColumnValuesToNotBeNull, WARN, "sentence_no is missing",
                column="sentence_no"),
    ])


def quotes_suite() -> gx.ExpectationSuite:
    """Expectations on one batch of quotes (with body_length and body_slice of their article)."""
    return gx.ExpectationSuite(name="quotes", expectations=[
        *(_expect(gxe.ExpectColumnValuesToNotBeNull, ERROR, f"{column} is missing", column=column)
          for column in ("article_id", "quote_no", "start_char", "end_char", "text")),
        _in_batch(),
        _expect(gxe.ExpectCompoundColumnsToBeUnique, ERROR, "(article_id, quote_no) is duplicated",
                column_list=["article_id", "quote_no"]),
        _expect(gxe.ExpectColumnValuesToBeBetween, ERROR, "quote_no is negative",
                column="quote_no", min_value=0),
        *_offsets_within_body(),
        _text_is_body_slice(),
        # A speaker without a key cannot be linked to its entity.
        _expect(gxe.ExpectColumnValuesToNotBeNull, WARN, "speaker has no speaker_key",
                column="speaker_key", row_condition=Column("speaker").is_not_null()),
        _expect(gxe.ExpectColumnValuesToNotBeNull, WARN,
                f"speaker is missing (a warning when under {MIN_SPEAKER_SHARE:.0%} of quotes have one)",
                column="speaker", mostly=MIN_SPEAKER_SHARE),
    ])


def all_suites(labels: Collection[str]) -> list[gx.ExpectationSuite]:
    """The suite of every validated table, each named for its table."""
    return [articles_suite(), sentences_suite(), mentions_suite(labels), quotes_suite()]
