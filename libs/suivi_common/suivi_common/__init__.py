"""Plumbing shared by every Suivi service: settings, event envelope, auth, database, NATS, web."""
