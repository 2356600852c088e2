"""Typed access to what SQLModel and SQLAlchemy give untyped: a model's table, a statement's row count,
the dialect of a session, the id of a stored row."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Table, inspect
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model (SQLModel sets `__table__` but does not declare it)."""
    table = inspect(model).local_table
    assert isinstance(table, Table), f"{model.__name__} is not a table model"
    return table


def rows_affected(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE matched: its result is a cursor result, typed as a plain one."""
    assert isinstance(result, CursorResult), "only an INSERT, UPDATE or DELETE has a row count"
    return result.rowcount


def dialect_name(session: AsyncSession) -> str:
    """'postgresql' or 'sqlite': the database the session talks to."""
    return session.get_bind().dialect.name


class Stored(Protocol):
    id: int | None


def row_id(row: Stored) -> int:
    """The id of a row read from the database or flushed to it (a table model's id is None only before)."""
    assert row.id is not None, f"{type(row).__name__} has no id: it was never flushed"
    return row.id
