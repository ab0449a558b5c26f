"""The year of a dateline that prints only a day and a month ("WASHINGTON, March 12 - ").

Pure: text, file name and modification time in, a date out. The year comes from the file's own
evidence, in this order:

1. a full date printed on a line of its own (DATE_LINE: a digest's or page's date line, such as
   `Tuesday, March 10, 1987`): the file's date. Full dates inside sentences are not used, not
   even one on the dateline's day and month: they are about other events. On the first 2,000
   Reuters-21578 stories, the 39 with a same-day full date in a sentence were of the story's year
   for 10 ("the week ended March 3, 1986" in a 1987 story);
2. a date printed in the file's name (`2024-03-12`, `20240312`, `2024_03_12`);
3. the file's modification time.

The file was written on or after the story's day: a dateline day later in the year than that
date (by more than a day, for time zones) belongs to the year before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

import dateparser

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
MONTH_NUMBERS = {name: number for number, name in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
# A line that is nothing but an explicit date: "10 January, 2018", "Published: June 8, 2017 7:16:54 pm".
DATE_LINE = re.compile(
    rf"^(?:(?:Published|Updated|Posted|First published)(?: on)?:?\s*)?"
    rf"(?:\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}})?,?\s+(?:on\s+)?)?(?:[A-Z][a-z]+day,?\s+)?"
    rf"(?P<date>(?:\d{{1,2}}\s+{MONTH},?\s+\d{{4}}|{MONTH}\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:,?\s+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?\s*(?:[ap]\.?m\.?)?)?(?:\s+[A-Z]{{2,4}})?)$",
    re.I,
)
# Only absolute dates with day, month and year: never a date guessed from "yesterday" or a bare time.
DATE_SETTINGS = {
    "RETURN_AS_TIMEZONE_AWARE": False,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["absolute-time"],
}
# Every date DATE_LINE reads prints a year (or a yyyy-mm-dd date): four digits in a row.
FOUR_DIGITS = re.compile(r"\d{4}")
NAME_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-_.]?(?P<month>[01]\d)[-_.]?(?P<day>[0-3]\d)(?!\d)")
SLACK = timedelta(days=1)


def printed_date(text: str) -> datetime | None:
    """Return the explicit date (day, month and year) a string prints, as naive wall time, or None."""
    return dateparser.parse(text, languages=["en"], settings=DATE_SETTINGS)


def name_date(file_name: str | None) -> date | None:
    """Return a date printed in the file's name, or None."""
    match = NAME_DATE.search(file_name or "")
    return _valid(int(match["year"]), int(match["month"]), int(match["day"])) if match else None


def dateline_year(month: int, day: int, written: date | None) -> int | None:
    """Return the year of a (month, day) dateline in a file written on `written` (see the module doc)."""
    if written is None:
        return None
    story = _valid(written.year, month, day)
    return written.year - 1 if story is not None and story > written + SLACK else written.year


def file_date(text: str) -> date | None:
    """Return the date of the first line that is only a date (DATE_LINE), or None."""
    for line in lines_with_four_digits(text):
        match = DATE_LINE.match(line.strip())
        when = printed_date(match["date"]) if match else None
        if when is not None:
            return when.date()
    return None


def lines_with_four_digits(text: str) -> Iterator[str]:
    """Yield, in order, the lines (text.split("\n")) that print four digits in a row: the only
    ones DATE_LINE can match, found by one search of the text instead of a match per line."""
    position = 0
    while (found := FOUR_DIGITS.search(text, position)) is not None:
        end = text.find("\n", found.end())
        end = len(text) if end < 0 else end
        yield text[text.rfind("\n", 0, found.start()) + 1:end]
        position = end + 1


@dataclass
class FileDates:
    """A file's evidence for the year of its datelines, read once per file when first needed."""

    text: str
    file_name: str | None = None
    modified: datetime | None = None

    @cached_property
    def written(self) -> date | None:
        """Return the date the file was written on, as its evidence says (see the module doc), or None."""
        return file_date(self.text) or name_date(self.file_name) or (self.modified.date() if self.modified else None)

    def dateline_date(self, month: int, day: int) -> datetime | None:
        """Return the dateline's (month, day) as a midnight datetime in the year the evidence gives, or None."""
        year = dateline_year(month, day, self.written)
        when = _valid(year, month, day) if year else None
        return datetime(when.year, when.month, when.day) if when else None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
