"""Webhook secrets are sealed at rest under a key derived from SUIVI_SECRET_KEY: the database
never holds one in clear, secrets of an older version are sealed at start, and a key rotation
re-seals them."""

from __future__ import annotations

import sqlite3

import pytest
import standardwebhooks
from notify_support import create_subscription, send_events, status_changed
from sqlalchemy import text
from suivi_kit.auth import issue_token
from suivi_notify.subscriptions.sealing import SecretUnreadable

OLD_KEY = "the-key-before-rotation-0123456789abcdefghij"
NEW_KEY = "the-key-after-rotation-0123456789abcdefghijk"


def stored_bytes(settings) -> bytes:
    """Everything SQLite wrote for notify: the database file and its write-ahead log."""
    database = settings.data_dir / "notify.db"
    return b"".join(path.read_bytes() for path in database.parent.glob("notify.db*") if path.is_file())


def stored_secrets(settings) -> list[tuple[str, str | None]]:
    with sqlite3.connect(settings.data_dir / "notify.db") as connection:
        return connection.execute("SELECT secret, previous_secret FROM subscriptions ORDER BY id").fetchall()


def as_admin(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token('admin', 'admin', secret=key)}"}


async def verified_delivery(js, subscriber, path: str, secret: str) -> None:
    event = status_changed(7, "achieved")
    await send_events(js, [event])
    [request] = [r for r in await subscriber.wait_for(1, path) if r.webhook_id == event.id]
    headers = {k: v for k, v in request.headers.items() if k.startswith("webhook-")}
    standardwebhooks.Webhook(secret).verify(request.body, headers)  # raises when the signature is wrong


async def test_the_database_never_holds_a_webhook_secret_in_clear(js, notify, settings_for, subscriber):
    async with notify() as (_app, client):
        created = await create_subscription(client, subscriber.url("/sealed"))
        rotated = (await client.post(f"/api/subscriptions/{created['id']}/rotate_secret")).json()
        await verified_delivery(js, subscriber, "/sealed", rotated["secret"])
    stored = stored_bytes(settings_for())
    for secret in (created["secret"], rotated["secret"]):
        assert secret.encode() not in stored and secret.removeprefix("whsec_").encode() not in stored
    [(secret, previous)] = stored_secrets(settings_for())
    assert not secret.startswith("whsec_") and not previous.startswith("whsec_")


async def test_secrets_an_older_version_stored_in_clear_are_sealed_at_start(
    js, notify, settings_for, subscriber, database_url
):
    overrides = {"database_url": database_url} if database_url else {}
    async with notify(**overrides) as (app, client):
        created = await create_subscription(client, subscriber.url("/legacy"))
        clear = "whsec_" + "QUJD" * 11
        async with app.state.db.write() as uow:  # as version 0001 stored secrets
            await uow.session.execute(
                text("UPDATE subscriptions SET secret = :clear WHERE id = :id"),
                {"clear": clear, "id": created["id"]},
            )
    async with notify(**overrides) as (app, _client):
        async with app.state.db.read() as session:
            stored = (await session.execute(text("SELECT secret FROM subscriptions"))).scalar_one()
        assert not stored.startswith("whsec_")
        if not database_url:  # SQLite: not even in the file's free space or its write-ahead log
            assert clear.encode() not in stored_bytes(settings_for())
        await verified_delivery(js, subscriber, "/legacy", clear)


async def test_a_key_rotation_reseals_the_secrets_and_a_wrong_key_stops_the_start(
    js, notify, settings_for, subscriber
):
    async with notify(secret_key=OLD_KEY) as (_app, client):
        client.headers.update(as_admin(OLD_KEY))  # this app's tokens are signed with OLD_KEY
        created = await create_subscription(client, subscriber.url("/rotated"))
    sealed_before = stored_secrets(settings_for())
    async with notify(secret_key=NEW_KEY, previous_secret_keys=(OLD_KEY,)) as (_app, _client):
        assert stored_secrets(settings_for()) != sealed_before
    async with notify(secret_key=NEW_KEY) as (_app, _client):  # the old key is no longer needed
        await verified_delivery(js, subscriber, "/rotated", created["secret"])
    with pytest.raises(
        SecretUnreadable, match=rf"subscriptions \[{created['id']}\].*SUIVI_PREVIOUS_SECRET_KEYS"
    ):
        async with notify(secret_key="a-key-that-sealed-nothing-0123456789abcdef"):
            pass
