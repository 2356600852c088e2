"""One error family and the handlers that render API.md's error body: {detail, message, errors?}."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class AppError(Exception):
    status_code = 400

    def __init__(self, message: str, status_code: int | None = None, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors
        if status_code is not None:
            self.status_code = status_code


class NotFound(AppError):
    status_code = 404


class Conflict(AppError):
    status_code = 409


class Invalid(AppError):
    status_code = 422


class Forbidden(AppError):
    status_code = 403


class Unauthorized(AppError):
    status_code = 401


def error_body(message: str, detail: Any = None, errors: dict[str, str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail if detail is not None else message, "message": message}
    if errors:
        body["errors"] = errors
    return body


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "request"


async def _app_error(_: Request, exc: AppError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return JSONResponse(error_body(exc.message, errors=exc.errors), exc.status_code, headers=headers)


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors: dict[str, str] = {}
    for error in exc.errors():
        errors.setdefault(_field_name(tuple(error.get("loc", ()))), error.get("msg", "invalid"))
    first = next(iter(errors.items()))
    message = f"Invalid request: {first[0]}: {first[1]}"
    detail = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
    return JSONResponse(error_body(message, detail, errors), 422)


async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    message = exc.detail if isinstance(exc.detail, str) else "Request failed."
    return JSONResponse(
        error_body(message, exc.detail), exc.status_code, headers=getattr(exc, "headers", None)
    )


async def _overflow(_: Request, exc: OverflowError) -> JSONResponse:
    # SQLite stores 64-bit integers: a larger id or number in a request can match nothing.
    return JSONResponse(error_body("A number in the request is out of range."), 422)


# Starlette types a handler as taking any exception; each of these is registered for its own class.
_HANDLERS: dict[type[Exception], Callable[..., Awaitable[JSONResponse]]] = {
    AppError: _app_error,
    RequestValidationError: _validation_error,
    StarletteHTTPException: _http_error,
    OverflowError: _overflow,
}


def install_error_handlers(app: FastAPI) -> None:
    for exception_class, handler in _HANDLERS.items():
        app.add_exception_handler(exception_class, handler)
