"""react-admin's ra-data-simple-rest list contract: sort, range and filter query parameters."""

from __future__ import annotations

import json
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


def _parse_json(name: str, raw: str | None, expected: type) -> Any:
    if raw is None or raw == "":
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise AppError(f"The '{name}' parameter is not valid JSON.", 400, {name: str(exc)}) from exc
    if not isinstance(value, expected):
        raise AppError(f"The '{name}' parameter must be a JSON {expected.__name__}.", 400)
    return value


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
        query.sort_field, query.sort_order = sort_value
    range_value = _parse_json("range", range, list)
    if range_value is not None:
        if len(range_value) != 2 or not all(isinstance(n, int) and n >= 0 for n in range_value):
            raise AppError("The 'range' parameter must be [start, end] with whole numbers >= 0.", 400)
        start, end = range_value
        if end < start:
            raise AppError("The 'range' parameter must have end >= start.", 400)
        query.offset, query.limit = start, min(end - start + 1, MAX_PAGE)
    query.filter = _parse_json("filter", filter, dict) or {}
    return query


def set_content_range(response: Response, query: ListQuery, resource: str, total: int, returned: int) -> None:
    response.headers["Content-Range"] = query.content_range(resource, total, returned)
