"""How many SMS a text costs: GSM-7 160/153, UCS-2 (any Chinese) 70/67."""

_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


def is_gsm(text):
    return all(ch in _GSM_BASIC or ch in _GSM_EXTENDED for ch in text)


def units(text):
    """Length as the network counts it: septets for GSM-7, UTF-16 units for UCS-2."""
    if is_gsm(text):
        return sum(2 if ch in _GSM_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def single_limit(text):
    return 160 if is_gsm(text) else 70


def part_limit(text):
    return 153 if is_gsm(text) else 67


def segments(text):
    """The number of SMS parts the text is sent as."""
    size = units(text)
    if size <= single_limit(text):
        return 1
    limit = part_limit(text)
    return -(-size // limit)
