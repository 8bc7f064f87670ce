"""What a head sees of open issues: the list by text and the daily digest."""

import prompts
from prompts.catalogue import SMS
from telephony.segments import segments

HEAD = "+8613900000201"  # 赵德明, 金银4组白坟堡
OTHER_HEAD = "+8613900000202"  # 孙玉兰, 金银4组喻家坪
GENERAL_HEAD = "+8613900000101"
NEIGHBOURS = [f"+86139000100{n:02d}" for n in (2, 3, 4, 5, 6, 7)]


def test_the_list_puts_overdue_first_then_newest(demo, text, clock):
    text("+8613900010003", "1 路灯坏了")
    clock.advance(minutes=20)
    text("+8613900010006", "2 帮我去镇上买点降压药")
    clock.advance(minutes=20)
    text("+8613900010004", "1 院坝积水")
    text("+8613900010009", "1 水管冻裂了")  # another courtyard

    assert text(HEAD, "查") == [
        "待办3件：2超时 帮我去镇上买点降…；3 院坝积水；1 路灯坏了"
    ]
    assert text(GENERAL_HEAD, "查") == [
        "待办4件：2超时 帮我去镇上买点降…；4 水管冻裂了；3 院坝积水；1 路灯坏了"
    ]


def test_the_list_leaves_out_what_is_closed(demo, text):
    text("+8613900010003", "1 路灯坏了")
    text(HEAD, "办 1 修好了")

    assert text(HEAD, "查") == ["没有待办的事情。"]


def test_a_long_list_fits_two_sms(demo, text, clock):
    for number in range(12):
        clock.advance(minutes=1)
        text(NEIGHBOURS[number % 6], f"1 第{number + 1}件事情要大家商量一下")

    [reply] = text(HEAD, "查")

    assert reply == (
        "待办12件：12 第12件事情要大…；11 第11件事情要大…；10 第10件事情要大…；"
        "9 第9件事情要大家…；8 第8件事情要大家…；7 第7件事情要大家…；"
        "6 第6件事情要大家…；5 第5件事情要大家…；4 第4件事情要大家…；"
        "3 第3件事情要大家…；…"
    )
    assert segments(reply) == 2


def test_the_digest_comes_once_at_the_hour(demo, text, deliver, clock):
    text("+8613900010003", "1 路灯坏了")
    text("+8613900010004", "1 院坝积水")
    text(HEAD, "办 2 已疏通")
    deliver()
    text("+8613900010004", "2")
    deliver()

    clock.advance(hours=10, minutes=29)  # 19:59 in Chongqing
    assert deliver() == []

    clock.advance(minutes=1)
    assert deliver() == [
        (
            HEAD,
            "【小院通】今日汇总：待办2件，其中超时0件；新评价1件，不满意1件。"
            "回复 查 看详情",
        )
    ]
    clock.advance(hours=3)
    assert deliver() == []


def test_no_digest_on_a_day_with_nothing_open_or_rated(demo, text, deliver, clock):
    text("+8613900010003", "1 路灯坏了")
    text(HEAD, "办 1 修好了")
    text("+8613900010003", "1")
    deliver()

    clock.advance(hours=10, minutes=30)
    assert deliver() == [
        (
            HEAD,
            "【小院通】今日汇总：待办0件，其中超时0件；新评价1件，不满意0件。"
            "回复 查 看详情",
        )
    ]

    clock.advance(days=1)
    assert deliver() == []


def test_the_digest_hour_is_local_time(demo, text, deliver, clock):
    demo.config["DIGEST_HOUR"] = 8
    text("+8613900010003", "1 路灯坏了")
    deliver()

    clock.advance(hours=22, minutes=29)  # 07:59 the next day in Chongqing
    assert deliver() == []

    clock.advance(minutes=1)
    assert [to for to, _ in deliver()] == [HEAD]


def test_every_new_text_fits_one_sms():
    long = {
        "number": 12345,
        "what": "求助",
        "name": "欧阳长江长江",
        "head": "欧阳德明",
        "phone": "13900010003",
        "courtyard": "金银4组白坟堡院落",
        "body": "村口的路灯已经坏了三天了，晚上老人出门看不见路，请尽快找人来修一下"
        * 2,
        "stream": "小事",
        "rung": "总院落长",
        "waited": "45分钟",
        "points": 100,
        "count": 99,
        "items": "",
        "open": 99,
        "overdue": 99,
        "rated": 99,
        "unhappy": 99,
        "total": 999,
        "reported": "社区和街道办",
        "role": "总院落长",
        "family": "15800020015",
    }
    start = list(SMS).index("form_acknowledge")
    for key in [*list(SMS)[start:], "head_new_report", "head_new_help"]:
        assert segments(prompts.sms(key, **long)) == 1, key
