"""Every query of the commitments service, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    exists,
    false,
    func,
    or_,
    select,
    text,
    true,
    update,
)
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts.vocabularies import STATUSES_DONE
from suivi_kit.errors import AppError
from suivi_kit.events import utcnow
from suivi_kit.listing import ListQuery

from . import revision_cache
from .models import AuditEntry, Commitment, CommitmentTag, Evidence, Source, StatusChange, User

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text_: str) -> str:
    """Lowercase without diacritics: what full-text search indexes and matches, in any language."""
    decomposed = unicodedata.normalize("NFKD", text_.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _fts5_query(q: str) -> str | None:
    words = _WORD.findall(fold(q))[:20]
    return " ".join(f'"{word}"*' for word in words) if words else None


def _full_text(session: AsyncSession, q: str) -> ColumnElement[bool]:
    words = _WORD.findall(fold(q))[:20]
    if not words:
        return true()
    if session.bind.dialect.name == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        return text("commitments.search @@ to_tsquery('simple', :fts)").bindparams(fts=query)
    query = _fts5_query(q)
    matches = text("SELECT rowid FROM commitments_fts WHERE commitments_fts MATCH :fts").bindparams(
        bindparam("fts", query)
    )
    return Commitment.id.in_(matches)


def _tagged(facet: str, values: list[Any], correlated: bool = False) -> ColumnElement[bool]:
    # To count, an uncorrelated IN: SQLite reads the tag index (ix_commitment_tags_lookup) once
    # instead of probing it for every candidate row (COUNT(*) of a common status and topic was 3x
    # slower on 100,000 commitments). To read one page in index order, a correlated EXISTS: it
    # probes only the rows walked until the page is full, instead of first building the list of
    # every commitment with the topic (0.3 ms instead of 7 ms there).
    value_in = CommitmentTag.value.in_([str(v) for v in values])
    if correlated:
        return exists().where(
            CommitmentTag.commitment_id == Commitment.id, CommitmentTag.facet == facet, value_in
        )
    tagged = select(CommitmentTag.commitment_id).where(CommitmentTag.facet == facet, value_in)
    return Commitment.id.in_(tagged)


def _overdue_condition(overdue: bool) -> ColumnElement[bool]:
    late = and_(Commitment.deadline_date < date.today(), Commitment.status.not_in(STATUSES_DONE))
    return late if overdue else ~late | Commitment.deadline_date.is_(None)


def _truthy(value: Any) -> bool:
    return value in (True, 1, "true", "1", "yes")


COMMITMENT_SORTS = {"id", "title", "status", "kind", "deadline", "created_at", "updated_at", "version"}


def commitment_conditions(
    session: AsyncSession, filters: dict[str, Any], admin: bool, correlated: bool = False
) -> list:
    conditions: list = []
    if not (admin and _truthy(filters.get("deleted"))):
        conditions.append(Commitment.deleted_at.is_(None))
    for key, value in filters.items():
        if value is None or value == "" or value == []:
            continue
        if key == "id":
            conditions.append(Commitment.id.in_(_ints("id", value)))
        elif key == "q":
            conditions.append(_full_text(session, str(value)))
        elif key in ("status", "kind"):
            conditions.append(getattr(Commitment, key).in_([str(v) for v in _as_list(value)]))
        elif key in ("topics", "topic"):
            conditions.append(_tagged("topic", _as_list(value), correlated))
        elif key in ("actors", "actor"):
            conditions.append(_tagged("actor", _as_list(value), correlated))
        elif key == "document_id":
            ids = _ints("document_id", value)
            conditions.append(
                exists().where(Source.commitment_id == Commitment.id, Source.document_id.in_(ids))
            )
        elif key == "extraction_id":
            conditions.append(
                exists().where(Source.commitment_id == Commitment.id, Source.extraction_id == str(value))
            )
        elif key == "overdue":
            conditions.append(_overdue_condition(_truthy(value)))
        elif key == "deleted":
            continue
        else:
            raise AppError(f"Unknown filter '{key}' for commitments.", 400, {key: "unknown filter"})
    return conditions


def _ints(name: str, value: Any) -> list[int]:
    try:
        return [int(v) for v in _as_list(value)]
    except (TypeError, ValueError) as exc:
        raise AppError(f"The '{name}' filter takes whole numbers.", 400, {name: "not a number"}) from exc


def _ordered(statement: Select, model, query: ListQuery, allowed: set[str]) -> Select:
    if query.sort_field not in allowed:
        raise AppError(
            f"Cannot sort by '{query.sort_field}'; sortable fields: {', '.join(sorted(allowed))}.", 400
        )
    column = getattr(model, query.sort_field)
    primary = column.desc() if query.sort_order == "DESC" else column.asc()
    tiebreak = model.id.desc() if query.sort_order == "DESC" else model.id.asc()
    return statement.order_by(primary, tiebreak)


# What a reader is shown of a commitment, as plain rows: building ORM objects cost more than
# the query itself on a page of 25 (bench/api.py).
_PUBLIC_COLUMNS = [c for c in Commitment.__table__.c if c.name not in ("search_text", "fingerprint")]


DEEP_PAGE = 250  # rows skipped from which a page is read ids first


async def list_commitments(
    session: AsyncSession, query: ListQuery, admin: bool = False
) -> tuple[Sequence[Row], int]:
    total = await _count_commitments(session, query.filter, admin)
    conditions = commitment_conditions(session, query.filter, admin, correlated=True)
    if query.offset < DEEP_PAGE:
        ordered = _ordered(select(*_PUBLIC_COLUMNS).where(*conditions), Commitment, query, COMMITMENT_SORTS)
        statement = ordered.offset(query.offset).limit(query.limit)
    else:
        # Far pages: first the ids, from the narrow indexes, then only those rows. PostgreSQL
        # otherwise read every wide row of the status to sort them (pages 11-100 of a status and
        # a topic: 13-157 ms -> 14-36 ms on 100,000 commitments).
        ids = _ordered(select(Commitment.id).where(*conditions), Commitment, query, COMMITMENT_SORTS)
        page = select(*_PUBLIC_COLUMNS).where(Commitment.id.in_(ids.offset(query.offset).limit(query.limit)))
        statement = _ordered(page, Commitment, query, COMMITMENT_SORTS)
    rows = (await session.execute(statement)).all()
    return rows, total


async def _count_commitments(session: AsyncSession, filters: dict[str, Any], admin: bool) -> int:
    """How many commitments match: counted once per filter and revision of the data."""
    revision, cache = await revision_cache.current(session)
    key = ("count", json.dumps(filters, sort_keys=True, default=str), admin, date.today())  # overdue: daily
    total = cache.get(revision, key)
    if total is None:
        total = await _search_only_count(session, filters, admin)
        if total is None:
            conditions = commitment_conditions(session, filters, admin)
            count = select(func.count()).select_from(Commitment).where(*conditions)
            total = (await session.execute(count)).scalar_one()
        cache.put(revision, key, total)
    return total


async def _search_only_count(session: AsyncSession, filters: dict[str, Any], admin: bool) -> int | None:
    """On SQLite, the count of a search box query (`q` and nothing else) from the FTS5 index alone.

    The general COUNT(*) checks every match against `commitments` (deleted_at), which for a common
    word (a third of 100,000 commitments) took ~50 ms of CPU; the FTS5 index holds exactly one
    row per commitment (triggers), so counting its matches minus the few deleted rows is the
    same number in ~5 ms. None: not applicable, use the general count.
    """
    if session.bind.dialect.name != "sqlite":
        return None
    active = {key for key, value in filters.items() if value not in (None, "", [])}
    if active != {"q"} or (admin and _truthy(filters.get("deleted"))):
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
            .where(*conditions, Commitment.id > last_id)
            .order_by(Commitment.id)
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
        statement = select(*Source.__table__.c).where(Source.commitment_id.in_(ids)).order_by(Source.id)
        for source in await session.execute(statement):
            found[source.commitment_id].append(source)
    return found


async def get_commitment(session: AsyncSession, commitment_id: int) -> Commitment | None:
    return await session.get(Commitment, commitment_id)


async def source_by_extraction(session: AsyncSession, extraction_id: str) -> Source | None:
    statement = select(Source).where(Source.extraction_id == extraction_id)
    return (await session.execute(statement)).scalars().first()


async def by_fingerprint(session: AsyncSession, value: str) -> Commitment | None:
    statement = (
        select(Commitment)
        .where(Commitment.fingerprint == value, Commitment.deleted_at.is_(None))
        .order_by(Commitment.id)
    )
    return (await session.execute(statement)).scalars().first()


async def consolidation_candidates(
    session: AsyncSession, kind: str, topics: list[str], limit: int = 2000
) -> Sequence[Commitment]:
    """Commitments that might be the same one: same kind and at least one shared topic."""
    if not topics:
        return []
    statement = (
        select(Commitment)
        .where(Commitment.deleted_at.is_(None), Commitment.kind == kind, _tagged("topic", topics))
        .order_by(Commitment.id.desc())
        .limit(limit)
    )
    return (await session.execute(statement)).scalars().all()


async def replace_tags(session: AsyncSession, commitment: Commitment) -> None:
    await session.execute(
        CommitmentTag.__table__.delete().where(CommitmentTag.commitment_id == commitment.id)
    )
    for facet, values in (("topic", commitment.topics), ("actor", commitment.actors)):
        for value in dict.fromkeys(values):
            session.add(CommitmentTag(commitment_id=commitment.id, facet=facet, value=value))


async def has_history(session: AsyncSession, commitment_id: int) -> bool:
    changes = select(StatusChange.id).where(StatusChange.commitment_id == commitment_id).limit(1)
    evidence = select(Evidence.id).where(Evidence.commitment_id == commitment_id).limit(1)
    return bool((await session.execute(changes)).first() or (await session.execute(evidence)).first())


# -- status changes, evidence, users, audit: simple lists on one table each --------------------------

SIMPLE_SORTS = {
    StatusChange: {"id", "changed_at", "to_status", "from_status", "commitment_id"},
    Evidence: {"id", "added_at", "published_at", "title", "commitment_id"},
    User: {"id", "username", "role", "created_at", "active"},
    AuditEntry: {"id", "at", "actor", "action", "resource"},
}
SIMPLE_FILTERS = {
    StatusChange: {"id", "commitment_id", "to_status", "from_status", "changed_by"},
    Evidence: {"id", "commitment_id", "added_by", "archive_status"},
    User: {"id", "role", "active", "username"},
    AuditEntry: {"id", "actor", "action", "resource", "resource_id"},
}


async def list_simple(session: AsyncSession, model, query: ListQuery, resource: str):
    conditions = []
    for key, value in query.filter.items():
        if value is None or value == "":
            continue
        if key == "q" and model is User:
            conditions.append(User.username.contains(str(value)))
            continue
        if key not in SIMPLE_FILTERS[model]:
            raise AppError(f"Unknown filter '{key}' for {resource}.", 400, {key: "unknown filter"})
        column = getattr(model, key)
        values = _as_list(value)
        if key.endswith("id") or key == "id":
            values = _ints(key, values)
        conditions.append(column.in_(values) if values else false())
    total = (await session.execute(select(func.count()).select_from(model).where(*conditions))).scalar_one()
    statement = _ordered(select(model).where(*conditions), model, query, SIMPLE_SORTS[model])
    rows = (await session.execute(statement.offset(query.offset).limit(query.limit))).scalars().all()
    return rows, total


async def evidence_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Evidence]:
    if not ids:
        return {}
    rows = (await session.execute(select(Evidence).where(Evidence.id.in_(ids)))).scalars().all()
    return {row.id: row for row in rows}


async def user_by_name(session: AsyncSession, username: str) -> User | None:
    return (await session.execute(select(User).where(User.username == username))).scalars().first()


async def count_users(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()


ARCHIVE_LEASE = timedelta(minutes=5)


async def claim_archives(session: AsyncSession, limit: int = 10) -> list[Evidence]:
    """Evidence waiting to be archived, each claimed by one replica (or again when its claimer died)."""
    now = utcnow()
    waiting = or_(
        Evidence.archive_status == "pending",
        and_(Evidence.archive_status == "archiving", Evidence.archived_at < now - ARCHIVE_LEASE),
    )
    candidates = (
        (await session.execute(select(Evidence.id).where(waiting).order_by(Evidence.id).limit(limit)))
        .scalars()
        .all()
    )
    claimed = []
    for evidence_id in candidates:
        result = await session.execute(
            update(Evidence)
            .where(Evidence.id == evidence_id, waiting)
            .values(archive_status="archiving", archived_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            claimed.append(await session.get(Evidence, evidence_id))
    return claimed


# -- dashboard figures ----------------------------------------------------------------------------


async def stats(session: AsyncSession) -> dict[str, Any]:
    live = Commitment.deleted_at.is_(None)
    total = (await session.execute(select(func.count()).select_from(Commitment).where(live))).scalar_one()

    async def grouped(column, *where) -> dict[str, int]:
        statement = select(column, func.count()).where(*where).group_by(column)
        return {str(key): count for key, count in (await session.execute(statement)).all()}

    by_status = await grouped(Commitment.status, live)
    by_kind = await grouped(Commitment.kind, live)
    tag_join = select(CommitmentTag.facet, CommitmentTag.value, func.count()).join(
        Commitment, Commitment.id == CommitmentTag.commitment_id
    )
    by_topic: dict[str, int] = {}
    by_actor: dict[str, int] = {}
    for facet, value, count in (
        await session.execute(tag_join.where(live).group_by(CommitmentTag.facet, CommitmentTag.value))
    ).all():
        (by_topic if facet == "topic" else by_actor)[value] = count
    documents = (
        await session.execute(
            select(
                Source.document_id,
                func.max(Source.document_title),
                func.count(Source.commitment_id.distinct()),
            )
            .join(Commitment, Commitment.id == Source.commitment_id)
            .where(live, Source.document_id.is_not(None))
            .group_by(Source.document_id)
            .order_by(Source.document_id)
        )
    ).all()
    overdue = (
        await session.execute(
            select(func.count()).select_from(Commitment).where(live, _overdue_condition(True))
        )
    ).scalar_one()
    if session.bind.dialect.name == "postgresql":
        month = func.to_char(StatusChange.changed_at, "YYYY-MM")
    else:
        month = func.strftime("%Y-%m", StatusChange.changed_at)
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


async def recent_status_changes(session: AsyncSession, limit: int = 10) -> Sequence[StatusChange]:
    statement = select(StatusChange).order_by(StatusChange.id.desc()).limit(limit)
    return (await session.execute(statement)).scalars().all()


def search_text(commitment: Commitment, sources: Sequence[Source | Row]) -> str:
    parts = [commitment.title, commitment.text]
    for source in sources:
        parts.extend(filter(None, (source.text, source.document_title, source.locator)))
    return fold(" ".join(dict.fromkeys(parts)))
