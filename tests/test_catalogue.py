"""Every text in the catalogue fits one SMS, whatever its fields hold."""

import string

import pytest

import prompts
from prompts.catalogue import SMS
from telephony.segments import segments

# The longest values each field can plausibly carry; free text is far too long.
LONG = {
    "number": 123456,
    "name": "欧阳长江长江家属",
    "head": "欧阳德明",
    "helper": "欧阳德明",
    "phone": "02372701234",
    "helper_phone": "13900010003",
    "courtyard": "金银4组白坟堡院落",
    "body": "村口的路灯已经坏了三天了，晚上老人出门看不见路，请尽快找人来修一下" * 5,
    "notices": "3月1日 明早九点开会；" * 10,
    "points": 100,
    "courtyard_points": 12345,
    "courtyards": 120,
    "rank": 120,
    "what": "求助",
    "stream": "小事",
    "rung": "总院落长",
    "waited": "45分钟",
    "told": "已告诉邻居和家属，",
    "reported": "社区和街道办",
    "by_text": 29,
    "parts": 3,
    "texts": 87,
    "by_call": 29,
    "suppressed": 29,
    "date": "12月31日",
    "role": "总院落长",
    "family": "15800020015",
}


def fields_of(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(SMS))
def test_text_fits_one_sms(key):
    fields = {name: LONG.get(name, 999) for name in fields_of(SMS[key])}
    assert segments(prompts.sms(key, **fields)) == 1
