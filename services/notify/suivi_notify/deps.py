"""Request dependencies: notify's settings and the delivery worker's wake-up call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path, Request

from .config import NotifySettings


def _settings(request: Request) -> NotifySettings:
    return request.app.state.settings


def _wake(request: Request) -> Callable[[], None]:
    worker = getattr(request.app.state, "delivery_worker", None)
    return worker.wake if worker is not None else (lambda: None)


Config = Annotated[NotifySettings, Depends(_settings)]
WakeWorker = Annotated[Callable[[], None], Depends(_wake)]

# Ids beyond 64 bits are refused with 422 before they reach the database (SQLite would overflow).
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
