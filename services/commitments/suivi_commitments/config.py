"""Commitments' settings: the shared Settings plus what only the system of record reads."""

from __future__ import annotations

from suivi_kit.settings import Settings


class CommitmentsSettings(Settings):
    # Failed logins of one name from one address before a lockout, of any names from one
    # address, and how long the lockout lasts (seconds).
    login_max_failures: int = 5
    login_max_failures_per_address: int = 20
    login_lockout_seconds: int = 300
