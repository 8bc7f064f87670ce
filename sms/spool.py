"""A text that arrives while the ledger cannot be written is kept in a spool file and
entered later by the worker, so nothing a villager sends is lost."""

import json
import logging
import os

from flask import current_app

from courtyard.phones import mask, sender
from sms.inbound import receive

log = logging.getLogger(__name__)


def keep(form):
    """Append the provider's form to the spool; safe from several processes."""
    path = current_app.config["INBOUND_SPOOL"]
    line = json.dumps(form, ensure_ascii=False) + "\n"
    with open(path, "a", encoding="utf-8") as spool:
        spool.write(line)
        spool.flush()
        os.fsync(spool.fileno())


def replay(db):
    """Enter every spooled text; its reply goes out as a text. Returns how many."""
    path = current_app.config["INBOUND_SPOOL"]
    working = path + ".replaying"
    if not os.path.exists(working):
        if not os.path.exists(path):
            return 0
        os.replace(path, working)

    entered = 0
    with open(working, encoding="utf-8") as spool:
        for line in spool:
            form = json.loads(line)
            # Stored and answered in one transaction: entering the spool again after
            # an interruption finds the text kept and its reply already queued.
            receive(db, form, reply_by_text=True)
            entered += 1
            log.info(
                "spooled sms from %s entered",
                mask(sender(form.get("From") or "") or ""),
            )
    os.remove(working)
    return entered
