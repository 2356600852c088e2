"""Webhook secrets at rest: sealed with a key derived from SUIVI_SECRET_KEY.

Each `whsec_` secret is stored as a Fernet token (AES-128-CBC and HMAC-SHA256, from the
`cryptography` package rather than hand-assembled primitives) under a key that HKDF-SHA256
derives from SUIVI_SECRET_KEY for this one purpose: a copy of the database, or of a backup,
signs nothing without the key.

Key rotation: start notify with the new SUIVI_SECRET_KEY and the old one in
SUIVI_PREVIOUS_SECRET_KEYS; at start it re-seals every secret under the new key (secrets
stored in clear by an older version are sealed the same way). A secret that no key opens
stops the start with a message, rather than leaving subscriptions that can never sign.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CLEAR_PREFIX = "whsec_"  # how a secret stored in clear (before sealing existed) begins
_PURPOSE = b"suivi notify: webhook signing secrets at rest"


class SecretUnreadable(Exception):
    """No configured key opens a sealed secret."""


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


class SecretBox:
    def __init__(self, secret_key: str, previous_keys: Sequence[str] = ()):
        self._current = _fernet(secret_key)
        self._any = MultiFernet([self._current, *(_fernet(key) for key in previous_keys)])

    def seal(self, secret: str) -> str:
        return self._current.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._any.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise SecretUnreadable("no configured key opens this secret") from None

    def resealed(self, stored: str) -> str | None:
        """`stored` sealed under the current key, or None when it already is."""
        if stored.startswith(CLEAR_PREFIX):
            return self.seal(stored)
        try:
            self._current.decrypt(stored.encode())
            return None
        except InvalidToken:
            pass
        try:
            return self._any.rotate(stored.encode()).decode()
        except InvalidToken:
            raise SecretUnreadable("no configured key opens this secret") from None


@lru_cache(maxsize=8)
def secret_box(secret_key: str, previous_keys: tuple[str, ...] = ()) -> SecretBox:
    return SecretBox(secret_key, previous_keys)
