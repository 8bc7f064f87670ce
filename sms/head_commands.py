"""Heads triage by SMS: reading a short command, and answering it in one text.

The base forms are printed on the heads' card: 收 12, 大 12 / 小 12 / 私 12,
派 12 <phone>, 记 12 <note>, 办 12 <note>, 升 12, 重开 12, 查, 分 <phone> <points>
<reason>. People also type synonyms, full-width digits, no space, a full stop.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import prompts
from courtyard import keywords, roles, triage, worklist
from courtyard.phones import InvalidPhone, normalise

ACKNOWLEDGE = "acknowledge"
BIG = "big"
SMALL = "small"
PRIVATE = "private"
ASSIGN = "assign"
NOTE = "note"
RESOLVE = "resolve"
ESCALATE = "escalate"
REOPEN = "reopen"
LIST = "list"
AWARD = "award"

VERBS = {
    ACKNOWLEDGE: ["收", "收到", "受理"],
    BIG: ["大", "大事"],
    SMALL: ["小", "小事"],
    PRIVATE: ["私", "私事"],
    ASSIGN: ["派", "指派"],
    NOTE: ["记", "备注"],
    RESOLVE: ["办", "办结", "办好"],
    ESCALATE: ["升", "升级", "上报"],
    REOPEN: ["重开", "重办"],
    LIST: ["查", "查看", "待办"],
    AWARD: ["分", "加分"],
}
_ON_AN_ISSUE = set(VERBS) - {LIST, AWARD}

# Chinese numerals right after a verb are a number written in words: "收十二".
_NUMERALS = "零〇一二两三四五六七八九十百"
_TRAILING = "。.！!~～,，、;；…"
_SEPARATORS = re.compile(r"[,，:：、;；]+")

_NUMBER = r"(?P<number>\d+)(?!\d)号?"
_FORMS = {
    "number": re.compile(_NUMBER),
    "text": re.compile(_NUMBER + r"\s*(?P<text>\S.*)"),
    "phone": re.compile(_NUMBER + r"\s+(?P<phone>[+\d][\d\s\-]*)"),
    "award": re.compile(
        r"(?P<phone>\+?[\d\-]{11,16})\s+(?P<points>\d{1,3})分?\s*(?P<text>\S.*)"
    ),
}
_FORM_OF = {
    ACKNOWLEDGE: "number",
    BIG: "number",
    SMALL: "number",
    PRIVATE: "number",
    ESCALATE: "number",
    REOPEN: "number",
    NOTE: "text",
    RESOLVE: "text",
    ASSIGN: "phone",
    AWARD: "award",
}

MAX_POINTS = 100


class BadForm(Exception):
    """A head command that is not written the way the card shows."""

    def __init__(self, verb):
        super().__init__(verb)
        self.verb = verb


@dataclass(frozen=True)
class HeadCommand:
    verb: str
    number: int | None = None
    text: str = ""
    phone: str | None = None
    points: int | None = None


@lru_cache(maxsize=1)
def _ordered_verbs():
    pairs = [(word, verb) for verb, words in VERBS.items() for word in words]
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


def parse(text):
    """Read a text as a HeadCommand; None if it is none, BadForm if it is miswritten."""
    folded = keywords.fold(text).rstrip(_TRAILING).strip()
    for word, verb in _ordered_verbs():
        if not folded.startswith(word):
            continue
        rest = folded[len(word) :]
        if not _meant_as_command(verb, rest):
            return None
        return _read(verb, _SEPARATORS.sub(" ", rest).strip())
    return None


def _meant_as_command(verb, rest):
    """A verb followed straight by Chinese is a sentence, such as 大家 or 小孩."""
    if not rest:
        return True
    first = rest[0]
    if first.isascii() or not first.isalpha():
        return True
    return verb in _ON_AN_ISSUE and first in _NUMERALS


def _read(verb, rest):
    if verb == LIST:
        if rest:
            raise BadForm(verb)
        return HeadCommand(verb)

    match = _FORMS[_FORM_OF[verb]].fullmatch(rest)
    if match is None:
        raise BadForm(verb)
    found = match.groupdict()
    phone = _phone(found["phone"], verb) if "phone" in found else None
    points = int(found["points"]) if "points" in found else None
    if points is not None and not 1 <= points <= MAX_POINTS:
        raise BadForm(verb)
    number = int(found["number"]) if "number" in found else None
    return HeadCommand(verb, number, found.get("text", ""), phone, points)


def _phone(written, verb):
    try:
        return normalise(written)[0]
    except InvalidPhone as exc:
        raise BadForm(verb) from exc


def execute(db, actor, command):
    """Carry out a command; return the confirmation text for the head."""
    verb = command.verb
    if verb == LIST:
        return worklist.list_text(db, actor.courtyards)
    if verb == AWARD:
        return triage.award_points(
            db, actor, command.phone, command.points, command.text
        )
    if verb in (BIG, SMALL, PRIVATE):
        return triage.sort(db, actor, command.number, verb)
    if verb == ASSIGN:
        return triage.assign(db, actor, command.number, command.phone)
    if verb in (NOTE, RESOLVE):
        action = triage.note if verb == NOTE else triage.resolve
        return action(db, actor, command.number, command.text)
    action = {
        ACKNOWLEDGE: triage.acknowledge,
        ESCALATE: triage.escalate,
        REOPEN: triage.reopen,
    }[verb]
    return action(db, actor, command.number)


def answer(db, phone, text):
    """(label, reply) for a text from a head or staff phone; None if not a command."""
    try:
        command = parse(text)
    except BadForm as exc:
        command = exc
    if command is None:
        return None
    courtyards = roles.scope(db, phone)
    if not courtyards:
        return None
    if isinstance(command, BadForm):
        return "head_bad_form", prompts.sms(f"form_{command.verb}")

    actor = triage.Actor(phone, frozenset(courtyards))
    try:
        return f"head_{command.verb}", execute(db, actor, command)
    except triage.TriageError as exc:
        return "head_refused", exc.text()
