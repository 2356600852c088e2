"""SUIVI_ENV=production refuses to start while any secret is missing or still the placeholder,
and says which one (issue 20): the signing key, the admin password, the database passwords."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from suivi_kit.settings import Settings

SUIVI = Path(sys.executable).parent / "suivi"
GOOD = {
    "SUIVI_ENV": "production",
    "SUIVI_NATS_URL": "nats://127.0.0.1:4222",
    "SUIVI_SECRET_KEY": "a-real-signing-key-7f3a9c",
    "SUIVI_ADMIN_PASSWORD": "a-real-admin-password-41c2",
    "SUIVI_DATABASE_URL": "postgresql+asyncpg://suivi:a-real-db-password-9d0e@postgres:5432/suivi",
}
URL = "postgresql+asyncpg://suivi{}@postgres:5432/suivi"

# (what is changed, the name the refusal must give)
REFUSED = {
    "secret key missing": ({"SUIVI_SECRET_KEY": None}, "SUIVI_SECRET_KEY"),
    "secret key placeholder": ({"SUIVI_SECRET_KEY": "change-me"}, "SUIVI_SECRET_KEY"),
    "secret key empty": ({"SUIVI_SECRET_KEY": ""}, "SUIVI_SECRET_KEY is not set"),
    "admin password missing": ({"SUIVI_ADMIN_PASSWORD": None}, "SUIVI_ADMIN_PASSWORD is not set"),
    "admin password placeholder": (
        {"SUIVI_ADMIN_PASSWORD": "change-me"},
        "SUIVI_ADMIN_PASSWORD is the placeholder",
    ),
    "database password missing": (
        {"SUIVI_DATABASE_URL": URL.format("")},
        "the password in SUIVI_DATABASE_URL is not set",
    ),
    "database password placeholder": (
        {"SUIVI_DATABASE_URL": URL.format(":change-me")},
        "the password in SUIVI_DATABASE_URL is the placeholder",
    ),
    "a service's database password placeholder": (
        {"SUIVI_NOTIFY_DATABASE_URL": URL.format(":change-me")},
        "the password in SUIVI_NOTIFY_DATABASE_URL is the placeholder",
    ),
}


def environment(changes: dict[str, str | None]) -> dict[str, str]:
    merged = {**GOOD, **changes}
    return {name: value for name, value in merged.items() if value is not None}


@pytest.mark.parametrize("case", REFUSED)
def test_settings_refuse_each_secret_by_name(case, monkeypatch):
    changes, expected = REFUSED[case]
    for name in {*GOOD, *changes}:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment(changes).items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match="refuses to start") as refusal:
        Settings(_env_file=None)
    [reason] = str(refusal.value).split("refuses to start: ")[1].split("; ")  # the others are fine
    assert expected in reason


@pytest.mark.parametrize("case", REFUSED)
def test_suivi_serve_refuses_to_start_naming_the_secret(case, tmp_path):
    changes, expected = REFUSED[case]
    result = subprocess.run(
        [str(SUIVI), "serve", "commitments", "--port", "1"],
        env={"PATH": "/usr/bin:/bin", "SUIVI_DATA_DIR": str(tmp_path), **environment(changes)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    for secret in ("a-real-signing-key", "a-real-admin-password", "a-real-db-password"):
        assert secret not in result.stderr + result.stdout, "a refusal must not print the secrets"


@pytest.mark.parametrize(
    "database_url",
    [
        None,  # SQLite files in the data directory
        "sqlite+aiosqlite:////var/lib/suivi/suivi.db",
        "postgresql+asyncpg://suivi@/suivi?host=/var/run/postgresql",  # a socket: peer authentication
        GOOD["SUIVI_DATABASE_URL"],
    ],
)
def test_production_starts_with_real_secrets(database_url, monkeypatch):
    for name, value in environment({"SUIVI_DATABASE_URL": database_url}).items():
        monkeypatch.setenv(name, value)
    if database_url is None:
        monkeypatch.delenv("SUIVI_DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.env == "production" and settings.database_url == database_url


def test_development_keeps_its_defaults(monkeypatch):
    for name in GOOD:
        monkeypatch.delenv(name, raising=False)
    assert Settings(_env_file=None).admin_password is None
