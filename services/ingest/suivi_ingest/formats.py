"""Which files the service accepts, decided from the name and the first bytes.

This is the cheap gate at upload (415 for what can never be read); the real reading,
with its own checks, happens in the isolated extraction process.
"""

from __future__ import annotations

import os
import re

from suivi_kit.errors import AppError

from .extraction.readers import utf16_without_bom

ALLOWED_EXTENSIONS = {
    ".txt": "text",
    ".md": "text",
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
}
_BY_CONTENT_TYPE = {
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
}
ALLOWED_TEXT = ", ".join(sorted(ALLOWED_EXTENSIONS))


class UnsupportedType(AppError):
    status_code = 415


def safe_filename(name: str | None, fallback: str = "document") -> str:
    """The base name only, without path parts or control characters, at most 200 characters."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = re.sub(r"[\x00-\x1f\x7f]", "", base)
    return (base or fallback)[-200:]


def classify(data: bytes, filename: str, content_type: str | None = None) -> tuple[str, str]:
    """Return (filename, format) for an acceptable file, its name given an extension if it had none.

    Raises UnsupportedType naming the cause: a type we do not read, or content that
    contradicts the name (a binary file renamed .pdf, a .doc renamed .docx...).
    """
    ext = os.path.splitext(filename)[1].lower()
    ctype = (content_type or "").split(";")[0].strip().lower()
    head = data[:2048]
    if ext and ext not in ALLOWED_EXTENSIONS:
        raise UnsupportedType(
            f"Files of type '{ext}' are not supported; upload one of {ALLOWED_TEXT}.",
            errors={"file": f"unsupported type {ext}"},
        )
    if not ext:
        ext = _sniff(head) or _BY_CONTENT_TYPE.get(ctype, "")
        if not ext:
            raise UnsupportedType(
                f"The type of {filename!r} could not be recognised; upload one of {ALLOWED_TEXT}.",
                errors={"file": "unrecognised type"},
            )
        filename = f"{filename}{ext}"
    fmt = ALLOWED_EXTENSIONS[ext]
    if fmt == "pdf" and b"%PDF-" not in data[:1024]:
        raise UnsupportedType(
            f"The file {filename!r} is named as a PDF but is not one (no PDF header).",
            errors={"file": "not a PDF"},
        )
    if fmt == "docx" and not head.startswith(b"PK\x03\x04"):
        raise UnsupportedType(
            f"The file {filename!r} is named as a Word document (.docx) but is not one; "
            "old .doc files must be saved as .docx or PDF first.",
            errors={"file": "not a DOCX"},
        )
    if fmt in ("text", "html") and _looks_binary(head):
        raise UnsupportedType(
            f"The file {filename!r} is named as text but holds binary data.",
            errors={"file": "binary content"},
        )
    return filename, fmt


def _sniff(head: bytes) -> str | None:
    if b"%PDF-" in head[:1024]:
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return ".docx"
    lowered = head.lstrip()[:300].lower()
    if lowered.startswith(b"<!doctype html") or b"<html" in lowered:
        return ".html"
    if head and not _looks_binary(head):
        return ".txt"
    return None


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(head):  # NULs, but text
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(head) // 50)
