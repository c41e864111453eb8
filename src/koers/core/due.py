"""A due date as people read it: how many days are left, whether it has passed, and the
same in words ("3 days overdue", "due today", "in 5 days"), in the active language.
One place for the evaluation's steps and the task list alike."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def days_left(due: dt.date | None, today: dt.date) -> int:
    """Days from ``today`` to ``due`` (negative once passed); 0 without a due date."""
    return (due - today).days if due else 0


def overdue(due: dt.date | None, today: dt.date) -> bool:
    return due is not None and days_left(due, today) < 0


def in_words(due: dt.date | None, today: dt.date) -> str:
    """The due date in words: overdue, today, or in how many days; "" without one."""
    if due is None:
        return ""
    days = days_left(due, today)
    if days < 0:
        return ngettext("%(count)d day overdue", "%(count)d days overdue", -days) % {
            "count": -days}
    if days == 0:
        return _("due today")
    return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}


class DueBy:
    """For a record with a ``due`` date and the ``today`` it is read on: its days left,
    whether it is overdue, and the same in words."""

    due: dt.date | None
    today: dt.date

    @property
    def days(self) -> int:
        return days_left(self.due, self.today)

    @property
    def overdue(self) -> bool:
        return overdue(self.due, self.today)

    @property
    def when(self) -> str:
        """The due date in words: overdue, today, or in how many days."""
        return in_words(self.due, self.today)
