"""The year of a dateline that prints only a day and a month ("WASHINGTON, March 12 - ").

Pure: text, file name and modification time in, a date out. The year comes from the file's own
evidence, in this order:

1. a full date printed anywhere in the file with the same day and month (the story's date,
   printed in full elsewhere); else the year most full dates of the file print (the latest on a tie);
2. a date printed in the file's name (`2024-03-12`, `20240312`, `2024_03_12`);
3. the file's modification time.

With 2 and 3 the file was written on or after the story's day: a dateline day later in the year
than that date (by more than a day, for time zones) belongs to the year before.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
MONTH_NAME = r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# "March 12, 1987", "12 March 1987", "1987-03-12".
FULL_DATE = re.compile(
    rf"\b{MONTH_NAME}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?P<day2>\d{{1,2}})\s+(?P<month2>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+(?P<year2>(?:19|20)\d\d)\b"
    r"|\b(?P<year3>(?:19|20)\d\d)-(?P<month3>\d\d)-(?P<day3>\d\d)\b",
    re.I,
)
NAME_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-_.]?(?P<month>[01]\d)[-_.]?(?P<day>[0-3]\d)(?!\d)")
SLACK = timedelta(days=1)


def printed_dates(text: str) -> list[date]:
    """Return the valid full dates printed in the text, in order."""
    found = []
    for match in FULL_DATE.finditer(text):
        if match["year3"]:
            year, month, day = int(match["year3"]), int(match["month3"]), int(match["day3"])
        else:
            name = (match["month"] or match["month2"])[:3].lower()
            year, month, day = int(match["year"] or match["year2"]), MONTHS.index(name) + 1, int(match["day"] or match["day2"])
        found.append(_valid(year, month, day))
    return [when for when in found if when is not None]


def name_date(file_name: str | None) -> date | None:
    """Return a date printed in the file's name, or None."""
    match = NAME_DATE.search(file_name or "")
    return _valid(int(match["year"]), int(match["month"]), int(match["day"])) if match else None


def dateline_year(month: int, day: int, printed: list[date], file_name: str | None,
                  modified: datetime | None) -> int | None:
    """Return the year of a (month, day) dateline from the file's evidence (see the module doc)."""
    same_day = [when.year for when in printed if (when.month, when.day) == (month, day)]
    if same_day:
        return same_day[0]
    if printed:
        counts = Counter(when.year for when in printed)
        return max(counts, key=lambda year: (counts[year], year))
    written = name_date(file_name) or (modified.date() if modified else None)
    if written is None:
        return None
    story = _valid(written.year, month, day)
    return written.year - 1 if story is not None and story > written + SLACK else written.year


@dataclass
class FileDates:
    """A file's evidence for the year of its datelines; its printed dates are read once, when first needed."""

    text: str
    file_name: str | None = None
    modified: datetime | None = None

    @cached_property
    def printed(self) -> list[date]:
        return printed_dates(self.text)

    def dateline_date(self, month: int, day: int) -> datetime | None:
        """Return the dateline's (month, day) as a midnight datetime in the year the evidence gives, or None."""
        year = dateline_year(month, day, self.printed, self.file_name, self.modified)
        when = _valid(year, month, day) if year else None
        return datetime(when.year, when.month, when.day) if when else None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
