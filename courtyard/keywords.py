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

# Matched as prefixes of the folded text, longest first, so "帮助" is help and
# "1路灯坏了" is a report.
PREFIXES = {
    REPORT: ["1", "报事情", "报事", "报告", "反映", "报", "BS"],
    HELP: ["2", "求助", "帮助", "帮忙", "帮", "救命", "QZ", "SOS"],
    NOTICES: ["3", "通知", "公告", "TZ"],
    POINTS: ["4", "积分", "JF"],
    MENU: ["0", "?", "菜单", "说明", "CD", "HELP"],
}

# Matched only as the whole text, so "T恤" or "停电了" never unsubscribes anyone.
WHOLE = {
    OPT_OUT: ["退订", "TD", "T", "STOP", "UNSUBSCRIBE", "取消订阅"],
    OPT_IN: ["订阅", "DY", "START", "恢复订阅", "UNSTOP"],
}

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
    following = folded[len(keyword) : len(keyword) + 1]
    if keyword.isdigit() or keyword.isascii():
        return not following or not (following.isascii() and following.isalnum())
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
    for word, kind in _ordered_prefixes():
        if _keyword_ends(bare, word):
            rest = _strip_separators(bare[len(word) :])
            consumed = bare[: len(bare) - len(rest)]
            return Command(kind, _original_rest(text, consumed, rest), folded)
    return Command(None, "", folded)


def _original_rest(text, consumed, rest):
    """The description as the resident wrote it, after the keyword and separators."""
    if not rest:
        return ""
    original = (text or "").strip()
    target = consumed.strip(_SEPARATORS + " ")
    for end in range(1, min(len(original), len(target) + 24) + 1):
        if fold(original[:end]).strip(_SEPARATORS + " ") == target:
            return original[end:].lstrip(_SEPARATORS + _CLOSING + " \u3000").strip()
    return rest
