"""Date arithmetic the rules need: whole months, a day of the year, halfway points."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_YEAR_DAY_JSON = re.compile(r"([+-]\d+)-(\d{2})-(\d{2})")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier); the 31st becomes the month's last day."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def halfway(start: dt.date, end: dt.date) -> dt.date:
    """The middle day of a period (the earlier one when it has an even number of days)."""
    return start + dt.timedelta(days=(end - start).days // 2)


@dataclass(frozen=True)
class YearDay:
    """A day of the year relative to the evaluation year: ``YearDay(3, 15, 1)`` is
    15 March of the year after the evaluation year."""

    month: int
    day: int
    year_offset: int = 0

    def in_year(self, year: int) -> dt.date:
        return dt.date(year + self.year_offset, self.month, self.day)

    def to_json(self) -> str:
        return f"{self.year_offset:+d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def from_json(cls, value: str) -> "YearDay":
        # A pattern, not fixed slices: slicing read "+10-03-15" as month "-0".
        match = _YEAR_DAY_JSON.fullmatch(value)
        if match is None:
            raise ValueError(f"not a year day: {value!r}")
        offset, month, day = match.groups()
        return cls(int(month), int(day), int(offset))

    def __post_init__(self) -> None:
        # Validates the month and day (29 February is refused: not every year has it).
        dt.date(2001, self.month, self.day)
