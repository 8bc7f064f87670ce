"""What a resident's text asks for: folding messy input, then matching keywords.

The same number means the same thing by text and by voice: 1 report, 2 help,
3 notices, 4 points, 0 menu.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

REPORT = "report"
HELP = "help"
NOTICES = "notices"
POINTS = "points"
MENU = "menu"
OPT_OUT = "opt_out"
OPT_IN = "opt_in"

# Keywords that carry a description, matched as prefixes of the folded text, longest
# first, so "帮助" is help and "1路灯坏了" is a report. A single Chinese character
# must be followed by a separator ("报 路灯坏了"), so "报纸没送到" is not a report.
PREFIXES = {
    REPORT: ["1", "报事情", "报事", "报告", "反映", "报", "BS"],
    HELP: ["2", "求助", "帮助", "帮忙", "帮", "QZ"],
}

# A cry for help anywhere in a text is a help request at once, in its own words.
URGENT = ["救命", "SOS", "快来人", "来人啊"]

# Matched only as the whole text (trailing punctuation aside), so "3号院子水管爆了"
# is not a request for notices and "T恤" never unsubscribes anyone.
WHOLE = {
    NOTICES: ["3", "通知", "公告", "TZ", "听通知"],
    POINTS: ["4", "积分", "JF", "查积分", "我的积分"],
    MENU: ["0", "?", "菜单", "说明", "CD", "HELP"],
    OPT_OUT: ["退订", "TD", "T", "STOP", "UNSUBSCRIBE", "取消订阅"],
    OPT_IN: ["订阅", "DY", "START", "恢复订阅", "UNSTOP"],
}

# After a bare digit these make the digit part of the description: "2楼漏水了" is
# about the second floor, so the whole text is kept as the description.
_MEASURE_WORDS = set("楼号层点米个组队岁年月日天斤元块栋户次分")

_OPENING = "【[〔〖「『<《(（"
_CLOSING = "】]〕〗」』>》)）"
_SEPARATORS = " :：,，.。、;；!！~～-—_/\\|"
_TRAILING = "。.！!？?~～,，、;；…"


@dataclass(frozen=True)
class Command:
    """A resident's text read as a keyword and whatever follows it."""

    kind: str | None
    rest: str
    folded: str


@lru_cache(maxsize=1)
def _converter():
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def fold(text):
    """Normalise a text for matching: NFKC, simplified, single spaces, trimmed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _converter().convert(text)
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    for ch in _OPENING + _CLOSING:
        text = text.replace(ch, " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text.upper()


def _strip_separators(text):
    return text.lstrip(_SEPARATORS).strip()


def _keyword_ends(folded, keyword):
    """A keyword is matched only where it ends: "12" is not "1" followed by "2"."""
    if not folded.startswith(keyword):
        return False
    following = folded[len(keyword) : len(keyword) + 2]
    if not following:
        return True
    if keyword.isdigit() and re.match(r"[.．]\d", following):
        return False
    if keyword.isascii():
        return not (following[0].isascii() and following[0].isalnum())
    if len(keyword) == 1:
        return following[0] in _SEPARATORS
    return True


@lru_cache(maxsize=1)
def _ordered_prefixes():
    pairs = [(word, kind) for kind, words in PREFIXES.items() for word in words]
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


def parse(text):
    """Read a text as a Command; kind is None when no keyword fits."""
    folded = fold(text)
    bare = folded.rstrip(_TRAILING).strip() or folded
    for kind, words in WHOLE.items():
        if bare in words:
            return Command(kind, "", folded)
    if any(word in bare for word in URGENT):
        return Command(HELP, (text or "").strip(), folded)
    for word, kind in _ordered_prefixes():
        if _keyword_ends(bare, word):
            rest = _strip_separators(bare[len(word) :])
            if word.isdigit() and rest[:1] in _MEASURE_WORDS and rest == bare[1:]:
                return Command(kind, (text or "").strip(), folded)
            consumed = bare[: len(bare) - len(rest)]
            return Command(kind, original_rest(text, consumed, rest), folded)
    return Command(None, "", folded)


def original_rest(text, consumed, rest):
    """The description as the resident wrote it, after the keyword and separators."""
    if not rest:
        return ""
    original = (text or "").strip()
    target = consumed.strip(_SEPARATORS + " ")
    for end in range(1, min(len(original), len(target) + 24) + 1):
        if fold(original[:end]).strip(_SEPARATORS + " ") == target:
            return original[end:].lstrip(_SEPARATORS + _CLOSING + " \u3000").strip()
    return rest
