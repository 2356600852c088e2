"""react-admin lists over this service's tables: filter values, sorting, plain one-table pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.errors import AppError
from suivi_kit.listing import ListQuery, as_list, ints, texts, truthy


def ordered(statement: Select, model, query: ListQuery, allowed: set[str]) -> Select:
    if query.sort_field not in allowed:
        raise AppError(
            f"Cannot sort by '{query.sort_field}'; sortable fields: {', '.join(sorted(allowed))}.", 400
        )
    column = getattr(model, query.sort_field)
    primary = column.desc() if query.sort_order == "DESC" else column.asc()
    tiebreak = model.id.desc() if query.sort_order == "DESC" else model.id.asc()
    return statement.order_by(primary, tiebreak)


def _typed(column, key: str, value: Any) -> list[Any]:
    """Filter values of the column's type: a driver never sees "abc" for a number."""
    python_type = column.type.python_type
    if python_type is int:
        return ints(key, value)
    if python_type is bool:
        return [truthy(element) for element in as_list(value)]
    return texts(value)


async def page(
    session: AsyncSession,
    model,
    query: ListQuery,
    resource: str,
    *,
    filters: set[str],
    sorts: set[str],
    search: Callable[[str], ColumnElement[bool]] | None = None,
    scope: Sequence[ColumnElement[bool]] = (),
) -> tuple[Sequence[Any], int]:
    """One page of a table whose filters are plain column matches (`search` answers `q`),
    within `scope` (what the reader may see)."""
    conditions = list(scope)
    for key, value in query.filter.items():
        if value is None or value == "":
            continue
        if key == "q" and search is not None:
            conditions.append(search(str(value)))
            continue
        if key not in filters:
            raise AppError(f"Unknown filter '{key}' for {resource}.", 400, {key: "unknown filter"})
        column = getattr(model, key)
        conditions.append(column.in_(_typed(column, key, value)) if as_list(value) else false())
    total = (await session.execute(select(func.count()).select_from(model).where(*conditions))).scalar_one()
    statement = ordered(select(model).where(*conditions), model, query, sorts)
    rows = (await session.execute(statement.offset(query.offset).limit(query.limit))).scalars().all()
    return rows, total
