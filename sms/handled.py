"""The shapes every inbound-text handler shares."""

from dataclasses import dataclass

from courtyard import keywords


@dataclass
class Inbound:
    """One text being handled, with what is known about its sender."""

    db: object
    message_id: int
    phone: str | None
    text: str
    command: keywords.Command
    household: dict | None
    pending: dict | None = None

    def asked(self, question):
        """The question we are awaiting an answer to from this phone, if it is this
        one; None otherwise."""
        if self.pending and self.pending["question"] == question:
            return self.pending
        return None


@dataclass
class Handled:
    """How a text was taken: a label for the ledger, the reply, the issue it touched."""

    handled_as: str
    reply: str | None = None
    issue_id: int | None = None
