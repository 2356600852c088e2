"""react-admin's ra-data-simple-rest list contract: sort, range and filter query parameters.

Parsed and checked once here for every service: bad JSON, nesting, objects or nested lists as
filter values, text that is not valid Unicode or holds NUL, and numbers out of a column's
range answer 400 with the error body, never a 500 from a driver.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from fastapi import Query, Response

from .errors import AppError

MAX_PAGE = 1000


@dataclass
class ListQuery:
    sort_field: str = "id"
    sort_order: str = "ASC"
    offset: int = 0
    limit: int = 25
    filter: dict[str, Any] = field(default_factory=dict)

    def content_range(self, resource: str, total: int, returned: int) -> str:
        if returned == 0:
            return f"{resource} */{total}"
        return f"{resource} {self.offset}-{self.offset + returned - 1}/{total}"


Scalar = str | int | float | bool | None
MAX_INT = 2**63 - 1  # SQLite's and PostgreSQL's bigint


def _refuse(name: str, message: str) -> AppError:
    return AppError(message, 400, {name: message})


def _parse_json(name: str, raw: str | None, expected: type) -> Any:
    if raw is None or raw == "":
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise AppError(f"The '{name}' parameter is not valid JSON.", 400, {name: str(exc)}) from exc
    except RecursionError:
        raise _refuse(name, f"The '{name}' parameter is nested too deeply.") from None
    if not isinstance(value, expected):
        raise AppError(f"The '{name}' parameter must be a JSON {expected.__name__}.", 400)
    return value


def _checked_text(name: str, text: str) -> str:
    # JSON may carry lone surrogates ("\ud800") and NUL: neither can be stored, matched or
    # echoed back in an error message, so they stop here rather than in a driver.
    if "\x00" in text:
        raise _refuse(name, f"The '{name}' parameter holds a NUL character.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _refuse(name, f"The '{name}' parameter holds text that is not valid Unicode.") from None
    return text


def _checked_filter(value: dict[str, Any]) -> dict[str, Scalar | list[Scalar]]:
    """Every filter takes a value or a flat list of values: what the lists' queries can match."""
    for key, item in value.items():
        _checked_text("filter", key)
        shown = key if len(key) <= 40 else key[:40] + "…"
        for element in item if isinstance(item, list) else [item]:
            if isinstance(element, dict | list):
                raise _refuse(
                    shown, f"The '{shown}' filter takes a value or a list of values, not nested JSON."
                )
            if isinstance(element, str):
                _checked_text(shown, element)
            elif isinstance(element, float) and not math.isfinite(element):
                raise _refuse(shown, f"The '{shown}' filter takes finite numbers.")
    return value


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _whole_number(element: Any) -> int | None:
    if isinstance(element, bool):
        return None
    if isinstance(element, int):
        return element
    if isinstance(element, float):
        return int(element) if element.is_integer() else None
    if isinstance(element, str):
        try:
            return int(element)
        except ValueError:
            return None
    return None


def ints(name: str, value: Any) -> list[int]:
    """A filter's value(s) as whole numbers that a database column can hold, or a 400."""
    elements = as_list(value)
    numbers = [n for n in map(_whole_number, elements) if n is not None and abs(n) <= MAX_INT]
    if len(numbers) != len(elements):
        raise _refuse(name, f"The '{name}' filter takes whole numbers.")
    return numbers


def texts(value: Any) -> list[str]:
    """A filter's value(s) as text, for text columns (a number matches its digits)."""
    return [str(element) for element in as_list(value)]


def truthy(value: Any) -> bool:
    return value in (True, 1, "true", "1", "yes")


async def list_query(
    sort: str | None = Query(None, description='["field","ASC"|"DESC"]'),
    range: str | None = Query(None, description="[start,end] inclusive"),
    filter: str | None = Query(None, description='{"field": value, "q": "text"}'),
) -> ListQuery:
    """The dependency. Async although it awaits nothing: FastAPI runs a plain function in a
    worker thread, and the hand-off cost more than parsing."""
    return parse_list_query(sort, range, filter)


def parse_list_query(sort: str | None, range: str | None, filter: str | None) -> ListQuery:
    query = ListQuery()
    sort_value = _parse_json("sort", sort, list)
    if sort_value is not None:
        if len(sort_value) != 2 or not isinstance(sort_value[0], str) or sort_value[1] not in ("ASC", "DESC"):
            raise AppError('The \'sort\' parameter must look like ["field","ASC"] or ["field","DESC"].', 400)
        query.sort_field, query.sort_order = _checked_text("sort", sort_value[0]), sort_value[1]
    range_value = _parse_json("range", range, list)
    if range_value is not None:
        if len(range_value) != 2 or not all(isinstance(n, int) and n >= 0 for n in range_value):
            raise AppError("The 'range' parameter must be [start, end] with whole numbers >= 0.", 400)
        start, end = range_value
        if end < start:
            raise AppError("The 'range' parameter must have end >= start.", 400)
        query.offset, query.limit = start, min(end - start + 1, MAX_PAGE)
    query.filter = _checked_filter(_parse_json("filter", filter, dict) or {})
    return query


def set_content_range(response: Response, query: ListQuery, resource: str, total: int, returned: int) -> None:
    response.headers["Content-Range"] = query.content_range(resource, total, returned)
