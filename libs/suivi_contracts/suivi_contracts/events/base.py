"""What every event payload is: a pydantic model that keeps fields it does not know."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class EventPayload(BaseModel):
    """The `data` of a CloudEvent.

    Payloads change by addition only: a consumer keeps fields newer than its copy of the
    contracts (extra="allow", so they are also passed on unchanged to webhooks), and a
    payload without one of its required fields is a poison message.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def about_commitment(self) -> int | None:
        """The id of the commitment this event is about, if any."""
        return None
