"""Neighbours' replies about help requests: 接 N to take one, 完 N when done, and the
requester's 1 or 2 to confirm."""

import re

import prompts
from courtyard import keywords, mutual_aid, questions
from sms.handled import Handled

ACCEPT_WORDS = ("接单", "我去", "接", "JD")
DONE_WORDS = ("完成", "帮完", "完", "WC")
_SEPARATORS = " :：,，.。、"

# An answer is read by how it starts: "好的谢谢" is yes, "还没有人来" is no.
YES_WORDS = (
    "没问题",
    "不用了",
    "没事了",
    "是",
    "好",
    "帮到",
    "确认",
    "满意",
    "谢谢",
    "可以",
    "YES",
)
NO_WORDS = ("否", "没", "还没", "不", "NO")


def _numbered(folded, words):
    """(number or None, True) when the text is one of the words with a number or
    something in the number's place; (None, False) when it is not such a command.

    "接孩子放学" is a resident asking for help, not a volunteer command, so the word
    must stand alone or be followed by a number or Latin letters.
    """
    text = folded.rstrip("。.!！")
    for word in words:
        if not text.startswith(word):
            continue
        rest = text[len(word) :].lstrip(_SEPARATORS)
        if not rest:
            return None, True
        match = re.fullmatch(r"(\d{1,9})", rest)
        if match:
            return int(match[1]), True
        if re.fullmatch(r"[A-Z0-9 #]+", rest):
            return None, True
        return None, False
    return None, False


def volunteer_command(inbound):
    if inbound.household is None or inbound.household.get("is_family"):
        return None
    folded = inbound.command.folded
    for words, action, form in (
        (ACCEPT_WORDS, mutual_aid.accept, "aid_form_accept"),
        (DONE_WORDS, mutual_aid.done, "aid_form_done"),
    ):
        number, is_command = _numbered(folded, words)
        if not is_command:
            continue
        if number is None:
            return Handled("aid_malformed", prompts.sms(form))
        try:
            reply = action(inbound.db, number, inbound.household, inbound.phone)
        except mutual_aid.MutualAidError as refusal:
            return Handled("aid_refused", refusal.text())
        return Handled(f"aid_{action.__name__}", reply, number)
    return None


def confirm_answer(inbound):
    """The requester's answer to "did the neighbour help?" is an answer, not a key."""
    pending = inbound.asked(mutual_aid.QUESTION_CONFIRM)
    if pending is None:
        return None
    if inbound.command.kind in (keywords.OPT_OUT, keywords.OPT_IN):
        return None
    answer, note = questions.read_answer(inbound.command.folded, YES_WORDS, NO_WORDS)
    if answer is None:
        # Anything else is handled as it would be without the question, which
        # stays open: a head's command, a new request, a word for the head.
        return None
    db, issue_id = inbound.db, pending["issue_id"]
    questions.answered(db, inbound.phone, mutual_aid.QUESTION_CONFIRM)
    reply = mutual_aid.confirm(db, issue_id, inbound.phone, satisfied=answer)
    if note:
        mutual_aid.add_note(db, issue_id, inbound.household, note, inbound.phone)
    return Handled("aid_confirm", reply, issue_id)
