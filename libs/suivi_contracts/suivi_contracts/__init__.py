"""What the services agree on about each other: event types, payloads, closed vocabularies.

Nothing here imports any other Suivi package: a service reads another's events through
these models and nothing else.
"""
