"""Rules every service applies the same way."""

from __future__ import annotations

import calendar
import re
from datetime import date

from .vocabularies import STATUSES_DONE

_DEADLINE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def due_on(deadline: str | None) -> date | None:
    """The last day a deadline allows: "2026" -> 2026-12-31, "2026-06" -> 2026-06-30, a date
    itself; None for no deadline or one that names no real day (2026-02-30)."""
    if not deadline:
        return None
    match = _DEADLINE.match(deadline.strip())
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else 12
    try:
        if match.group(3):
            return date(year, month, int(match.group(3)))
        return date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def is_overdue(due: date | None, status: str | None, today: date) -> bool:
    """Overdue: the last day allowed has passed and the commitment is not done — neither
    achieved nor abandoned (STATUSES_DONE; a query filters on the same set)."""
    return due is not None and due < today and status not in STATUSES_DONE
