"""Key 1, report by voice, and key 2, ask for help: both end in the ledger.

A voice report is entered the moment its recording arrives, so hanging up before
confirming loses nothing; recording again replaces the audio on the same issue.
"""

from functools import wraps

from twilio.twiml.voice_response import VoiceResponse

from courtyard import ledger
from db import one
from ivr import calls, recordings
from ivr.calls import bounded_int
from ivr.flow import UNKNOWN, back_to_menu, choose, missed, offer_message, repeat_with
from ivr.twiml import gather, record, speak
from prompts.catalogue import VOICE
from prompts.voice import text

REPORT = "/voice/report"
REPORT_CONFIRM = "/voice/report/confirm"
HELP = "/voice/help"
HELP_DESCRIBED = "/voice/help/described"
HELP_CONFIRM = "/voice/help/confirm"

# The kinds of help a caller picks by key, as stored in issues.help_kind.
HELP_KINDS = {"1": "elderly", "2": "children", "3": "farm", "4": "other"}


def residents_only(step):
    """A step that enters the ledger; a number on no roster leaves a message instead."""

    @wraps(step)
    def checked(turn):
        if turn.household is None:
            return offer_message(turn, VoiceResponse(), UNKNOWN)
        return step(turn)

    return checked


def kind_label(kind):
    return VOICE[f"help_kind_{kind}"]


def ask_record_report(turn, response, misses=0, issue=None):
    speak(response, text("report_record"))
    record(turn, response, REPORT, m=misses, issue=issue)
    return response


def own_issue(turn, issue_id):
    """The caller's own issue by id, or None."""
    return _reported_by(turn.db, turn.phone, issue_id)


def _reported_by(db, phone, issue_id):
    issue_id = bounded_int(issue_id, default=None)
    if issue_id is None or not phone:
        return None
    return one(
        db,
        "SELECT * FROM issues WHERE id = ? AND reporter_phone = ?",
        [issue_id, phone],
    )


@residents_only
def report_recorded(turn):
    """The Record action of a report: enter it, or replace its audio, then confirm."""
    response = VoiceResponse()
    issue = own_issue(turn, turn.args.get("issue"))
    if not recordings.announced(turn.form):
        ask = repeat_with(ask_record_report, issue=issue and issue["id"])
        return missed(turn, response, "miss_no_recording", ask)

    seconds = recordings.duration(turn.form)
    entered = recordings.find(turn.db, turn.form["RecordingSid"])
    if entered and entered["issue_id"]:
        # Its status callback came first and already entered it.
        issue_id = entered["issue_id"]
    elif issue is None:
        issue_id, _ = ledger.open_issue(
            turn.db,
            ledger.REPORT,
            turn.household,
            VOICE["body_report"].format(seconds=seconds),
            channel="voice",
            reporter_phone=turn.phone,
        )
    else:
        issue_id = issue["id"]
        ledger.add_followup(
            turn.db,
            issue,
            turn.household,
            VOICE["body_rerecorded"].format(seconds=seconds),
            turn.phone,
        )
    recordings.keep(turn.db, turn, recordings.REPORT, issue_id=issue_id)
    return ask_report_confirm(turn, response, issue=issue_id)


def report_left_behind(db, recording):
    """A report whose Record action never came: the caller hung up while speaking.

    Its status callback still enters it when the call's latest answer was waiting
    for a report from a known caller; the Record action, if it comes later, finds
    the issue and enters nothing twice. Returns the issue id or None.
    """
    if recording is None or recording["status"] == recordings.ABSENT:
        return None
    if recording["purpose"] or recording["issue_id"]:
        return None
    call = one(db, "SELECT * FROM calls WHERE call_sid = ?", [recording["call_sid"]])
    household = call and calls.caller_household(db, call["from_phone"])
    waiting = call and calls.waiting_record(db, call["call_sid"])
    if household is None or not waiting or waiting[0] != REPORT:
        return None

    phone = call["from_phone"]
    seconds = recording["duration"] or 0
    issue = _reported_by(db, phone, waiting[1].get("issue"))
    if issue is None:
        issue_id, _ = ledger.open_issue(
            db,
            ledger.REPORT,
            household,
            VOICE["body_report"].format(seconds=seconds),
            channel="voice",
            reporter_phone=phone,
        )
    else:
        issue_id = issue["id"]
        ledger.add_followup(
            db,
            issue,
            household,
            VOICE["body_rerecorded"].format(seconds=seconds),
            phone,
        )
    recordings.claim(
        db, recording["recording_sid"], recordings.REPORT, phone, household, issue_id
    )
    return issue_id


def ask_report_confirm(turn, response, misses=0, issue=None):
    node = gather(turn, response, REPORT_CONFIRM, m=misses, issue=issue)
    speak(node, text("report_heard"))
    heard = recordings.latest_for_issue(turn.db, issue)
    if heard:
        node.play(heard["url"])
    speak(node, text("report_confirm"))
    return response


@residents_only
def report_confirmed(turn):
    issue = own_issue(turn, turn.args.get("issue"))
    if issue is None:
        return back_to_menu(turn, VoiceResponse())

    def keep(turn, response):
        head = turn.household["head_name"] or ""
        return back_to_menu(
            turn, response, text("report_kept", number=issue["id"], head=head)
        )

    def again(turn, response):
        return ask_record_report(turn, response, issue=issue["id"])

    ask = repeat_with(ask_report_confirm, issue=issue["id"])
    return choose(turn, ask, {"1": keep, "2": again}, on_silence=keep)


def ask_help_kind(turn, response, misses=0, issue=None):
    node = gather(turn, response, HELP, m=misses, issue=issue)
    speak(node, text("help_kinds"))
    return response


@residents_only
def help_kind_chosen(turn):
    issue = turn.args.get("issue")
    choices = {
        key: repeat_with(_ask_description, kind=kind, issue=issue)
        for key, kind in HELP_KINDS.items()
    }
    return choose(turn, repeat_with(ask_help_kind, issue=issue), choices)


def _ask_description(turn, response, kind, issue=None):
    speak(response, text("help_describe"))
    record(turn, response, HELP_DESCRIBED, kind=kind, issue=issue)
    return response


@residents_only
def help_described(turn):
    """The help request goes out as soon as its kind is known and the caller has
    spoken (or pressed #): an old caller who hangs up now has still asked for help.
    Choosing again changes the same request."""
    kind = turn.args.get("kind")
    if kind not in HELP_KINDS.values():
        return ask_help_kind(turn, VoiceResponse())
    kept = recordings.keep(turn.db, turn, recordings.HELP)
    heard = kept and recordings.of_call(turn.db, turn.sid, kept["recording_sid"])
    issue = own_issue(turn, turn.args.get("issue"))
    if issue is None:
        issue_id = _open_help(turn, kind, heard)
    else:
        issue_id = _change_help(turn, issue, kind, heard)
    return ask_help_confirm(turn, VoiceResponse(), kind=kind, issue=issue_id)


def ask_help_confirm(turn, response, misses=0, kind=None, issue=None):
    node = gather(turn, response, HELP_CONFIRM, m=misses, kind=kind, issue=issue)
    speak(node, text("help_confirm", kind=kind_label(kind)))
    return response


@residents_only
def help_confirmed(turn):
    kind = turn.args.get("kind")
    issue = own_issue(turn, turn.args.get("issue"))
    if kind not in HELP_KINDS.values() or issue is None:
        return ask_help_kind(turn, VoiceResponse())

    def confirm(turn, response):
        key = _kept_key(turn.db, issue)
        return back_to_menu(turn, response, text(key, number=issue["id"]))

    def again(turn, response):
        return ask_help_kind(turn, response, issue=issue["id"])

    ask = repeat_with(ask_help_confirm, kind=kind, issue=issue["id"])
    return choose(turn, ask, {"1": confirm, "2": again}, on_silence=confirm)


def _kept_key(db, issue):
    """Say volunteers were told only when some were."""
    told = one(
        db,
        "SELECT COUNT(*) AS n FROM outbox WHERE issue_id = ? AND dedupe_key LIKE ?",
        [issue["id"], f"issue:{issue['id']}:volunteer:%"],
    )
    return "help_kept" if told and told["n"] else "help_kept_head"


def _change_help(turn, issue, kind, heard):
    """The caller chose again: the same request, now of another kind."""
    body = _help_body(kind, heard)
    turn.db.execute(
        "UPDATE issues SET help_kind = ?, body = ? WHERE id = ?",
        [kind, body, issue["id"]],
    )
    ledger.add_followup(turn.db, issue, turn.household, body, turn.phone)
    if heard:
        recordings.link(turn.db, heard["recording_sid"], issue_id=issue["id"])
    return issue["id"]


def _help_body(kind, heard):
    label = kind_label(kind)
    if heard:
        return VOICE["body_help_recorded"].format(kind=label, seconds=heard["duration"])
    return VOICE["body_help"].format(kind=label)


def _open_help(turn, kind, heard):
    body = _help_body(kind, heard)
    issue_id, _ = ledger.open_issue(
        turn.db,
        ledger.HELP_REQUEST,
        turn.household,
        body,
        channel="voice",
        reporter_phone=turn.phone,
        help_kind=kind,
    )
    if heard:
        recordings.link(turn.db, heard["recording_sid"], issue_id=issue_id)
    return issue_id
