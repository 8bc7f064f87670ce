"""Explicit, ordered schema migrations. Append new steps; never edit an applied one."""


def _0001_roster(db):
    db["communities"].create(
        {
            "id": int,
            "name": str,
            "general_head_name": str,
            "general_head_phone": str,
            "updated_at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"name"},
    )
    db["communities"].create_index(["name"], unique=True, if_not_exists=True)
    db["courtyards"].create(
        {
            "id": int,
            "name": str,
            "community_id": int,
            "households_declared": int,
            "head_name": str,
            "head_phone": str,
            "remarks": str,
            "updated_at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"name"},
        foreign_keys=[("community_id", "communities", "id")],
    )
    db["courtyards"].create_index(["name"], unique=True, if_not_exists=True)
    db["courtyards"].create_index(["head_phone"], if_not_exists=True)
    db["households"].create(
        {
            "id": int,
            "courtyard_id": int,
            "name": str,
            "phone": str,
            "phone_written": str,
            "phone_kind": str,
            "age": int,
            "lives_alone": int,
            "prefers": str,
            "volunteer": int,
            "family_phone": str,
            "remarks": str,
            "updated_at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"courtyard_id", "name"},
        defaults={"lives_alone": 0, "volunteer": 0, "prefers": "text"},
        foreign_keys=[("courtyard_id", "courtyards", "id")],
    )
    db["households"].create_index(
        ["courtyard_id", "name"], unique=True, if_not_exists=True
    )
    db["households"].create_index(["phone"], if_not_exists=True)
    db["households"].create_index(["family_phone"], if_not_exists=True)


def _0002_messages_and_ledger(db):
    # Every inbound text, whatever it holds; the provider's id makes retries harmless.
    db["messages"].create(
        {
            "id": int,
            "provider_sid": str,
            "from_phone": str,
            "from_written": str,
            "to_phone": str,
            "body": str,
            "folded": str,
            "household_id": int,
            "courtyard_id": int,
            "handled_as": str,
            "issue_id": int,
            "reply": str,
            "params": str,
            "received_at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"provider_sid", "received_at"},
    )
    db["messages"].create_index(["provider_sid"], unique=True, if_not_exists=True)
    db["messages"].create_index(["from_phone", "received_at"], if_not_exists=True)
    db["messages"].create_index(["courtyard_id", "received_at"], if_not_exists=True)
    db["messages"].create_index(["handled_as", "received_at"], if_not_exists=True)

    # Issues and help requests share one numbering, so a head's "收 12" is unambiguous.
    db["issues"].create(
        {
            "id": int,
            "kind": str,
            "courtyard_id": int,
            "household_id": int,
            "reporter_phone": str,
            "on_behalf_of": int,
            "channel": str,
            "body": str,
            "help_kind": str,
            "status": str,
            "stream": str,
            "escalation_level": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"kind", "status", "created_at"},
        defaults={"status": "new", "escalation_level": 0},
        foreign_keys=[
            ("courtyard_id", "courtyards", "id"),
            ("household_id", "households", "id"),
        ],
    )
    db["issues"].create_index(
        ["courtyard_id", "status", "created_at"], if_not_exists=True
    )
    db["issues"].create_index(["reporter_phone", "created_at"], if_not_exists=True)
    db["issues"].create_index(["status", "created_at"], if_not_exists=True)

    db["issue_events"].create(
        {
            "id": int,
            "issue_id": int,
            "action": str,
            "actor_phone": str,
            "note": str,
            "at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"issue_id", "action", "at"},
        foreign_keys=[("issue_id", "issues", "id")],
    )
    db["issue_events"].create_index(["issue_id", "at"], if_not_exists=True)

    # One question a phone owes us an answer to, such as "what do you want to report?".
    db["pending_questions"].create(
        {
            "phone": str,
            "question": str,
            "issue_id": int,
            "asked_at": str,
            "expires_at": str,
        },
        pk="phone",
        if_not_exists=True,
    )

    db["opt_outs"].create(
        {"phone": str, "opted_out_at": str}, pk="phone", if_not_exists=True
    )

    db["notices"].create(
        {
            "id": int,
            "courtyard_id": int,
            "community_id": int,
            "body": str,
            "recording_url": str,
            "created_by": str,
            "created_at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"created_at"},
    )
    db["notices"].create_index(["courtyard_id", "created_at"], if_not_exists=True)

    db["points"].create(
        {
            "id": int,
            "household_id": int,
            "points": int,
            "reason": str,
            "awarded_by": str,
            "issue_id": int,
            "at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"household_id", "points", "at"},
        foreign_keys=[("household_id", "households", "id")],
    )
    db["points"].create_index(["household_id"], if_not_exists=True)


def _0003_outbox(db):
    # Every outbound text or call is a row first; the worker sends it later.
    db["outbox"].create(
        {
            "id": int,
            "channel": str,
            "to_phone": str,
            "body": str,
            "kind": str,
            "priority": int,
            "issue_id": int,
            "dedupe_key": str,
            "status": str,
            "attempts": int,
            "next_attempt_at": str,
            "claimed_at": str,
            "provider_sid": str,
            "error_code": str,
            "error_message": str,
            "created_at": str,
            "sent_at": str,
            "updated_at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"channel", "to_phone", "body", "status", "created_at"},
        defaults={"status": "queued", "attempts": 0, "priority": 5},
    )
    db["outbox"].create_index(
        ["status", "priority", "next_attempt_at"], if_not_exists=True
    )
    db["outbox"].create_index(["dedupe_key"], unique=True, if_not_exists=True)
    db["outbox"].create_index(["provider_sid"], if_not_exists=True)
    db["outbox"].create_index(["issue_id"], if_not_exists=True)


def _add_columns(db, table, columns):
    """Add the columns a table lacks; a rerun adds nothing."""
    existing = db[table].columns_dict
    for name, kind in columns.items():
        if name not in existing:
            db[table].add_column(name, kind)


def _0004_triage(db):
    # The instructor each courtyard answers to, from the instructors file.
    _add_columns(db, "courtyards", {"instructor_name": str, "instructor_phone": str})
    db["courtyards"].create_index(["instructor_phone"], if_not_exists=True)
    db["communities"].create_index(["general_head_phone"], if_not_exists=True)

    # Who the work was handed to, when the loop reached each step, and the rating.
    _add_columns(
        db,
        "issues",
        {
            "assigned_phone": str,
            "acknowledged_at": str,
            "resolved_at": str,
            "rating": str,
        },
    )
    db["issues"].create_index(["kind", "status", "created_at"], if_not_exists=True)
    db["issue_events"].create_index(["action", "at"], if_not_exists=True)


def _0005_voice(db):
    # A head confirms by PIN before recording a notice; only a hash is kept.
    if "head_pin_hash" not in db["courtyards"].columns_dict:
        db["courtyards"].add_column("head_pin_hash", str)

    # Every call, and every webhook of it keyed on CallSid and step, so a retried
    # request gets the same answer and repeats no side effect.
    db["calls"].create(
        {
            "id": int,
            "call_sid": str,
            "from_phone": str,
            "from_written": str,
            "household_id": int,
            "courtyard_id": int,
            "status": str,
            "head_verified_at": str,
            "started_at": str,
            "updated_at": str,
            "ended_at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"call_sid", "started_at"},
    )
    db["calls"].create_index(["call_sid"], unique=True, if_not_exists=True)
    db["calls"].create_index(["from_phone", "started_at"], if_not_exists=True)
    db["call_steps"].create(
        {
            "id": int,
            "call_sid": str,
            "step": str,
            "path": str,
            "digits": str,
            "params": str,
            "twiml": str,
            "received_at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"call_sid", "step", "received_at"},
    )
    db["call_steps"].create_index(["call_sid", "step"], unique=True, if_not_exists=True)

    # A recording is kept as the provider announced it, then fetched by the worker.
    db["recordings"].create(
        {
            "id": int,
            "recording_sid": str,
            "call_sid": str,
            "purpose": str,
            "from_phone": str,
            "household_id": int,
            "courtyard_id": int,
            "issue_id": int,
            "notice_id": int,
            "url": str,
            "duration": int,
            "status": str,
            "attempts": int,
            "next_attempt_at": str,
            "local_path": str,
            "error_code": str,
            "created_at": str,
            "updated_at": str,
            "fetched_at": str,
        },
        pk="id",
        if_not_exists=True,
        not_null={"recording_sid", "status", "created_at"},
        defaults={"attempts": 0},
    )
    db["recordings"].create_index(["recording_sid"], unique=True, if_not_exists=True)
    db["recordings"].create_index(["status", "next_attempt_at"], if_not_exists=True)
    db["recordings"].create_index(["issue_id"], if_not_exists=True)
    db["recordings"].create_index(["call_sid"], if_not_exists=True)


def _0006_mutual_aid(db):
    # Who took a help request, and when it was done and confirmed.
    _add_columns(
        db,
        "issues",
        {
            "helper_household_id": int,
            "accepted_at": str,
            "done_at": str,
            "confirmed_at": str,
        },
    )
    # Outbound calls carry what they play; urgent ones may ring in quiet hours.
    _add_columns(db, "outbox", {"twiml": str, "urgent": int})


def _0007_delivery_status(db):
    # Every status callback as it came, applied to its outbox row when the row is
    # known; one that arrives before the send is recorded waits here.
    db["status_callbacks"].create(
        {
            "id": int,
            "provider_sid": str,
            "status": str,
            "error_code": str,
            "params": str,
            "received_at": str,
            "applied_at": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["status_callbacks"].create_index(
        ["provider_sid", "status"], unique=True, if_not_exists=True
    )
    _add_columns(db, "outbox", {"provider_status": str})


def _0008_checkin(db):
    # The daily check-in for residents who live alone and agreed to it.
    _add_columns(db, "households", {"checkin_enrolled": int})
    db["checkins"].create(
        {
            "id": int,
            "household_id": int,
            "day": str,
            "status": str,
            "attempts": int,
            "next_attempt_at": str,
            "alert_stage": int,
            "next_alert_at": str,
            "answered_at": str,
            "created_at": str,
        },
        pk="id",
        not_null={"household_id", "day", "status"},
        defaults={"attempts": 0, "alert_stage": 0},
        foreign_keys=[("household_id", "households", "id")],
        if_not_exists=True,
    )
    db["checkins"].create_index(
        ["household_id", "day"], unique=True, if_not_exists=True
    )
    db["checkins"].create_index(["status", "next_attempt_at"], if_not_exists=True)


def _0009_notices(db):
    # Each recipient of a notice is an outbox row tied to it.
    _add_columns(db, "outbox", {"notice_id": int})
    db["outbox"].create_index(["notice_id", "status"], if_not_exists=True)
    db["outbox"].create_index(["to_phone", "channel", "sent_at"], if_not_exists=True)


def _0010_several_questions(db):
    # A phone may owe several answers at once: one row per phone and question.
    if db["pending_questions"].pks == ["phone"]:
        db["pending_questions"].transform(pk=("phone", "question"))


def _0011_outbox_claim_order(db):
    # The worker takes the most urgent due row by priority, then id. An index in that
    # order lets it stop at the first due row instead of sorting every queued row on
    # each claim, which made draining a large notice slow down as it went.
    db["outbox"].create_index(
        ["status", "priority", "id", "next_attempt_at"], if_not_exists=True
    )
    db.execute("DROP INDEX IF EXISTS idx_outbox_status_priority_next_attempt_at")


def _0012_voice_guards(db):
    # A check-in answered with "come and see me" opens a help request, once.
    _add_columns(db, "checkins", {"issue_id": int})
    # Wrong head PINs, so too many in a day lock notice recording for the courtyard.
    db["head_pin_failures"].create(
        {"id": int, "courtyard_id": int, "phone": str, "call_sid": str, "at": str},
        pk="id",
        not_null={"courtyard_id", "at"},
        if_not_exists=True,
    )
    db["head_pin_failures"].create_index(["courtyard_id", "at"], if_not_exists=True)


MIGRATIONS = [
    _0001_roster,
    _0002_messages_and_ledger,
    _0003_outbox,
    _0004_triage,
    _0005_voice,
    _0006_mutual_aid,
    _0007_delivery_status,
    _0008_checkin,
    _0009_notices,
    _0010_several_questions,
    _0011_outbox_claim_order,
    _0012_voice_guards,
]


def migrate(db):
    """Apply every migration not yet recorded; return how many ran.

    Each step only creates what does not exist yet, so two processes starting at the
    same moment (the web server and the worker) can both run it safely.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
    )
    done = {row["name"] for row in db.query("SELECT name FROM migrations")}
    applied = 0
    for step in MIGRATIONS:
        name = step.__name__.lstrip("_")
        if name in done:
            continue
        step(db)
        db.execute(
            "INSERT OR IGNORE INTO migrations VALUES (?, datetime('now'))", [name]
        )
        applied += 1
    return applied
