"""The shapes every inbound-text handler shares."""

from dataclasses import dataclass

from courtyard import keywords


@dataclass
class Inbound:
    """One text being handled, with what is known about its sender."""

    db: object
    phone: str | None
    text: str
    command: keywords.Command
    household: dict | None
    pending: dict | None = None

    def asked(self, question):
        """The row of this question if we await its answer from this phone."""
        return (self.pending or {}).get(question)


@dataclass
class Handled:
    """How a text was taken: a label for the ledger, the reply, the issue it touched."""

    handled_as: str
    reply: str | None = None
    issue_id: int | None = None
