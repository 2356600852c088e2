"""Every query of the commitments service, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    TextClause,
    and_,
    bindparam,
    exists,
    func,
    select,
    text,
    true,
    update,
)
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts.vocabularies import STATUSES_DONE
from suivi_kit.errors import AppError
from suivi_kit.listing import ListQuery, as_list, ints, texts, truthy
from suivi_kit.queries import dialect_name, row_id, rows_affected, table_of

from ..listing import ordered
from ..status_changes.models import Evidence, StatusChange
from . import revision_cache
from .models import Commitment, CommitmentTag, Source

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text_: str) -> str:
    """Lowercase without diacritics: what full-text search indexes and matches, in any language."""
    decomposed = unicodedata.normalize("NFKD", text_.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fts5_query(q: str) -> str | None:
    words = _WORD.findall(fold(q))[:20]
    return " ".join(f'"{word}"*' for word in words) if words else None


def _full_text(session: AsyncSession, q: str) -> ColumnElement[bool] | TextClause:
    words = _WORD.findall(fold(q))[:20]
    if not words:
        return true()
    if dialect_name(session) == "postgresql":
        prefixes = " & ".join(f"{word}:*" for word in words)
        return text("commitments.search @@ to_tsquery('simple', :fts)").bindparams(fts=prefixes)
    query = _fts5_query(q)
    matches = text("SELECT rowid FROM commitments_fts WHERE commitments_fts MATCH :fts").bindparams(
        bindparam("fts", query)
    )
    return col(Commitment.id).in_(matches)


def tagged(facet: str, values: list[Any], correlated: bool = False) -> ColumnElement[bool]:
    # To count, an uncorrelated IN: SQLite reads the tag index (ix_commitment_tags_lookup) once
    # instead of probing it for every candidate row (COUNT(*) of a common status and topic was 3x
    # slower on 100,000 commitments). To read one page in index order, a correlated EXISTS: it
    # probes only the rows walked until the page is full, instead of first building the list of
    # every commitment with the topic (0.3 ms instead of 7 ms there).
    value_in = col(CommitmentTag.value).in_([str(v) for v in values])
    if correlated:
        return exists().where(
            col(CommitmentTag.commitment_id) == col(Commitment.id),
            col(CommitmentTag.facet) == facet,
            value_in,
        )
    tagged = select(col(CommitmentTag.commitment_id)).where(col(CommitmentTag.facet) == facet, value_in)
    return col(Commitment.id).in_(tagged)


def _overdue_condition(overdue: bool) -> ColumnElement[bool]:
    """suivi_contracts.rules.is_overdue as SQL: deadline_date is rules.due_on(deadline)."""
    late = and_(col(Commitment.deadline_date) < date.today(), col(Commitment.status).not_in(STATUSES_DONE))
    return late if overdue else ~late | col(Commitment.deadline_date).is_(None)


COMMITMENT_SORTS = {"id", "title", "status", "kind", "deadline", "created_at", "updated_at", "version"}


def commitment_conditions(
    session: AsyncSession, filters: dict[str, Any], admin: bool, correlated: bool = False
) -> list:
    conditions: list = []
    if not (admin and truthy(filters.get("deleted"))):
        conditions.append(col(Commitment.deleted_at).is_(None))
    for key, value in filters.items():
        if value is None or value == "" or value == []:
            continue
        if key == "id":
            conditions.append(col(Commitment.id).in_(ints("id", value)))
        elif key == "q":
            conditions.append(_full_text(session, str(value)))
        elif key in ("status", "kind"):
            conditions.append(getattr(Commitment, key).in_(texts(value)))
        elif key in ("topics", "topic"):
            conditions.append(tagged("topic", as_list(value), correlated))
        elif key in ("actors", "actor"):
            conditions.append(tagged("actor", as_list(value), correlated))
        elif key == "document_id":
            ids = ints("document_id", value)
            conditions.append(
                exists().where(
                    col(Source.commitment_id) == col(Commitment.id), col(Source.document_id).in_(ids)
                )
            )
        elif key == "extraction_id":
            conditions.append(
                exists().where(
                    col(Source.commitment_id) == col(Commitment.id), col(Source.extraction_id) == str(value)
                )
            )
        elif key == "overdue":
            conditions.append(_overdue_condition(truthy(value)))
        elif key == "deleted":
            continue
        else:
            raise AppError(f"Unknown filter '{key}' for commitments.", 400, {key: "unknown filter"})
    return conditions


# What a reader is shown of a commitment, as plain rows: building ORM objects cost more than
# the query itself on a page of 25 (bench/api.py).
_PUBLIC_COLUMNS = [c for c in table_of(Commitment).c if c.name not in ("search_text", "fingerprint")]


DEEP_PAGE = 250  # rows skipped from which a page is read ids first


async def list_commitments(
    session: AsyncSession, query: ListQuery, admin: bool = False
) -> tuple[Sequence[Row], int]:
    total = await _count_commitments(session, query.filter, admin)
    conditions = commitment_conditions(session, query.filter, admin, correlated=True)
    if query.offset < DEEP_PAGE:
        statement = ordered(select(*_PUBLIC_COLUMNS).where(*conditions), Commitment, query, COMMITMENT_SORTS)
        statement = statement.offset(query.offset).limit(query.limit)
    else:
        # Far pages: first the ids, from the narrow indexes, then only those rows. PostgreSQL
        # otherwise read every wide row of the status to sort them (pages 11-100 of a status and
        # a topic: 13-157 ms -> 14-36 ms on 100,000 commitments).
        ids = ordered(select(col(Commitment.id)).where(*conditions), Commitment, query, COMMITMENT_SORTS)
        page = select(*_PUBLIC_COLUMNS).where(
            col(Commitment.id).in_(ids.offset(query.offset).limit(query.limit))
        )
        statement = ordered(page, Commitment, query, COMMITMENT_SORTS)
    rows = (await session.execute(statement)).all()
    return rows, total


async def _count_commitments(session: AsyncSession, filters: dict[str, Any], admin: bool) -> int:
    """How many commitments match: counted once per filter and revision of the data."""
    key = ("count", json.dumps(filters, sort_keys=True, default=str), admin, date.today())  # overdue: daily
    return await revision_cache.cached(session, key, lambda: _count(session, filters, admin))


async def _count(session: AsyncSession, filters: dict[str, Any], admin: bool) -> int:
    total = await _search_only_count(session, filters, admin)
    if total is None:
        conditions = commitment_conditions(session, filters, admin)
        count = select(func.count()).select_from(Commitment).where(*conditions)
        total = (await session.execute(count)).scalar_one()
    return total


async def _search_only_count(session: AsyncSession, filters: dict[str, Any], admin: bool) -> int | None:
    """On SQLite, the count of a search box query (`q` and nothing else) from the FTS5 index alone.

    The general COUNT(*) checks every match against `commitments` (deleted_at), which for a common
    word (a third of 100,000 commitments) took ~50 ms of CPU; the FTS5 index holds exactly one
    row per commitment (triggers), so counting its matches minus the few deleted rows is the
    same number in ~5 ms. None: not applicable, use the general count.
    """
    if dialect_name(session) != "sqlite":
        return None
    active = {key for key, value in filters.items() if value not in (None, "", [])}
    if active != {"q"} or (admin and truthy(filters.get("deleted"))):
        return None
    fts = _fts5_query(str(filters["q"]))
    if fts is None:
        return None
    statement = text(
        "SELECT count(*) FROM commitments_fts WHERE commitments_fts MATCH :fts "
        "AND rowid NOT IN (SELECT id FROM commitments WHERE deleted_at IS NOT NULL)"
    ).bindparams(fts=fts)
    return (await session.execute(statement)).scalar_one()


async def iter_commitments(session: AsyncSession, filters: dict[str, Any], admin: bool, batch: int = 500):
    """All matching commitments in id order, a batch at a time (keyset paging, for exports)."""
    conditions = commitment_conditions(session, filters, admin)
    last_id = 0
    while True:
        statement = (
            select(*_PUBLIC_COLUMNS)
            .where(*conditions, col(Commitment.id) > last_id)
            .order_by(col(Commitment.id))
            .limit(batch)
        )
        rows = (await session.execute(statement)).all()
        if not rows:
            return
        yield rows
        last_id = rows[-1].id


async def sources_by_commitment(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[Row]]:
    """The sources of these commitments, as read-only rows."""
    found: dict[int, list[Row]] = {i: [] for i in ids}
    if ids:
        statement = (
            select(*table_of(Source).c).where(col(Source.commitment_id).in_(ids)).order_by(col(Source.id))
        )
        for source in await session.execute(statement):
            found[source.commitment_id].append(source)
    return found


async def get_commitment(session: AsyncSession, commitment_id: int) -> Commitment | None:
    return await session.get(Commitment, commitment_id)


async def update_at_version(session: AsyncSession, commitment_id: int, version: int, values: dict) -> bool:
    """Write these values only if the commitment is still at this version (optimistic locking)."""
    result = await session.execute(
        update(Commitment)
        .where(col(Commitment.id) == commitment_id, col(Commitment.version) == version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return rows_affected(result) == 1


async def replace_tags(session: AsyncSession, commitment: Commitment) -> None:
    await session.execute(
        table_of(CommitmentTag).delete().where(col(CommitmentTag.commitment_id) == commitment.id)
    )
    for facet, values in (("topic", commitment.topics), ("actor", commitment.actors)):
        for value in dict.fromkeys(values):
            session.add(CommitmentTag(commitment_id=row_id(commitment), facet=facet, value=value))


async def has_history(session: AsyncSession, commitment_id: int) -> bool:
    changes = select(col(StatusChange.id)).where(col(StatusChange.commitment_id) == commitment_id).limit(1)
    evidence = select(col(Evidence.id)).where(col(Evidence.commitment_id) == commitment_id).limit(1)
    return bool((await session.execute(changes)).first() or (await session.execute(evidence)).first())


# -- dashboard figures ----------------------------------------------------------------------------


async def stats(session: AsyncSession) -> dict[str, Any]:
    live = col(Commitment.deleted_at).is_(None)
    total = (await session.execute(select(func.count()).select_from(Commitment).where(live))).scalar_one()

    async def grouped(column, *where) -> dict[str, int]:
        statement = select(column, func.count()).where(*where).group_by(column)
        return {str(key): count for key, count in (await session.execute(statement)).all()}

    by_status = await grouped(col(Commitment.status), live)
    by_kind = await grouped(col(Commitment.kind), live)
    tag_join = select(col(CommitmentTag.facet), col(CommitmentTag.value), func.count()).join(
        Commitment, col(Commitment.id) == col(CommitmentTag.commitment_id)
    )
    by_topic: dict[str, int] = {}
    by_actor: dict[str, int] = {}
    for facet, value, count in (
        await session.execute(
            tag_join.where(live).group_by(col(CommitmentTag.facet), col(CommitmentTag.value))
        )
    ).all():
        (by_topic if facet == "topic" else by_actor)[value] = count
    documents = (
        await session.execute(
            select(
                col(Source.document_id),
                func.max(col(Source.document_title)),
                func.count(col(Source.commitment_id).distinct()),
            )
            .join(Commitment, col(Commitment.id) == col(Source.commitment_id))
            .where(live, col(Source.document_id).is_not(None))
            .group_by(col(Source.document_id))
            .order_by(col(Source.document_id))
        )
    ).all()
    overdue = (
        await session.execute(
            select(func.count()).select_from(Commitment).where(live, _overdue_condition(True))
        )
    ).scalar_one()
    if dialect_name(session) == "postgresql":
        month = func.to_char(col(StatusChange.changed_at), "YYYY-MM")
    else:
        month = func.strftime("%Y-%m", col(StatusChange.changed_at))
    months = (
        await session.execute(select(month, func.count()).group_by(month).order_by(month.desc()).limit(24))
    ).all()
    return {
        "total": total,
        "by_status": by_status,
        "by_topic": by_topic,
        "by_actor": by_actor,
        "by_kind": by_kind,
        "by_document": [{"document_id": d, "title": t, "count": c} for d, t, c in documents],
        "overdue": overdue,
        "changes_by_month": [{"month": m, "count": c} for m, c in reversed(months)],
    }


def search_text(commitment: Commitment, sources: Sequence[Source | Row]) -> str:
    parts = [commitment.title, commitment.text]
    for source in sources:
        parts.extend(filter(None, (source.text, source.document_title, source.locator)))
    return fold(" ".join(dict.fromkeys(parts)))
