"""Plumbing shared by every Suivi service, no domain: settings, event envelope, auth, database, NATS, web."""
