"""Commitment extraction: a pure library, no I/O besides reading the bytes it is given.

from suivi_ingest.extraction import read_document, Extractor
doc = read_document(data, "file.pdf")
items = Extractor().extract(doc.text, "file.pdf", doc.language)
"""

from .language import detect_language
from .model import ExtractedCommitment, ReadDocument, UnreadableDocument, UnsupportedLanguage
from .pipeline import Extractor
from .readers import read_document

__all__ = [
    "ExtractedCommitment",
    "Extractor",
    "ReadDocument",
    "UnreadableDocument",
    "UnsupportedLanguage",
    "detect_language",
    "read_document",
]
