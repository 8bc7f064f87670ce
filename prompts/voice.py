"""Spoken prompts: catalogue sentences with numbers and dates said as words."""

from prompts.catalogue import VOICE

DIGITS = "零一二三四五六七八九"
_PLACES = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))


def _below_ten_thousand(number):
    words, gap = "", False
    for value, unit in _PLACES:
        digit, number = divmod(number, value)
        if digit:
            words += ("零" if gap else "") + DIGITS[digit] + unit
            gap = False
        elif words:
            gap = True
    return words


def number_words(number):
    """A whole number as it is said in Mandarin: 12 → 十二, 1005 → 一千零五."""
    number = int(number)
    if number < 0:
        return "负" + number_words(-number)
    if number == 0:
        return DIGITS[0]
    if number >= 100_000_000:
        return "".join(DIGITS[int(digit)] for digit in str(number))

    high, low = divmod(number, 10_000)
    words = number_words(high) + "万" if high else ""
    if low:
        if high and low < 1000:
            words += "零"
        words += _below_ten_thousand(low)
    if words.startswith("一十"):
        words = words[1:]
    return words


def text(key, **fields):
    """The sentence for key, whole numbers in its fields spelled out as words."""
    spoken = {
        name: number_words(value) if isinstance(value, int) else value
        for name, value in fields.items()
    }
    return VOICE[key].format(**spoken)


def date_text(moment):
    """'三月二号的通知：' for a local date."""
    return text("notice_date", month=moment.month, day=moment.day)
