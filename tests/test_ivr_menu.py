"""The voice menu walked through /voice with signed Twilio posts."""

import pytest

from tests.conftest import BASE
from tests.voice_calls import MENU, Call, gather, record, response, say

GUO = "+8613900010003"  # 郭长江, prefers voice, 金银4组白坟堡
ZHAO = "+8613900000201"  # 赵德明, head of 金银4组白坟堡
STRANGER = "+8613700009999"


@pytest.fixture
def call(demo, client):
    def start(phone=GUO):
        return Call(client, phone)

    return start


def test_known_caller_is_greeted_by_courtyard_and_hears_the_menu(call):
    guo = call()

    assert guo.start() == response(
        say("您好，这里是小院通，金银4组白坟堡。"),
        gather("/voice/menu?s=1", say(MENU)),
    )


def test_unknown_caller_still_gets_the_menu(call):
    stranger = call(STRANGER)

    assert stranger.start() == response(
        say("您好，这里是小院通。您的号码还没有登记，也可以留言，我们转告工作人员。"),
        gather("/voice/menu?s=1", say(MENU)),
    )


def test_unsigned_request_is_refused(demo, client):
    reply = client.post("/voice", data={"CallSid": "CA1", "From": GUO}, base_url=BASE)

    assert reply.status_code == 403


def test_a_retried_step_gets_the_same_answer_and_no_second_issue(call, db, deliver):
    guo = call()
    guo.start()
    guo.press("1")
    first = guo.speak(seconds=9, sid="RE" + "a" * 32)
    again = guo.post(
        "/voice/report?s=2",
        RecordingSid="RE" + "a" * 32,
        RecordingUrl="https://api.twilio.com/x/Recordings/RE" + "a" * 32,
        RecordingDuration="9",
        Digits="#",
    )

    assert again == first
    assert db.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 1
    assert deliver() == [
        (
            "+8613900000201",
            "【小院通】事情1 郭长江13900010003报：语音报事，录音9秒，请听录音或回电。回复 收1 受理",
        )
    ]


def test_star_repeats_the_menu_without_counting_a_miss(call):
    guo = call()
    guo.start()

    assert guo.press("*") == response(gather("/voice/menu?s=2", say(MENU)))


@pytest.mark.parametrize(
    ("digits", "explained"),
    [
        (None, "没有听到按键。"),
        ("", "没有听到按键。"),
        ("#", "没有这个选项。"),
        ("7", "没有这个选项。"),
        ("12", "没有这个选项。"),
    ],
)
def test_a_miss_is_explained_once_and_the_menu_repeated(call, digits, explained):
    guo = call()
    guo.start()

    twiml = guo.silence() if digits is None else guo.press(digits)

    assert twiml == response(say(explained), gather("/voice/menu?s=2&m=1", say(MENU)))


def test_three_silences_end_in_an_offer_to_leave_a_message(call, db, deliver):
    guo = call()
    guo.start()
    guo.silence()
    guo.silence()

    assert guo.silence() == response(
        say("没关系。请在嘀声后说说您的事，说完挂电话就行。我们会请人给您回电话。"),
        record("/voice/message?s=4&why=missed"),
    )
    assert guo.speak(seconds=15) == response(
        say("已经记下了，会有人给您回电话。谢谢您，再见。"), "<Hangup />"
    )
    assert deliver() == [
        (
            "+8613900000201",
            "【小院通】事情1 郭长江13900010003报：来电没选好菜单，留言15秒，请回电。回复 收1 受理",
        )
    ]


def test_a_silent_message_still_asks_the_head_to_call_back(call, deliver):
    guo = call()
    guo.start()
    for _ in range(3):
        guo.press("9")

    guo.say_nothing()

    assert "<Hangup />" in guo.twiml
    assert deliver() == [
        (
            "+8613900000201",
            "【小院通】事情1 郭长江13900010003报：来电没选好菜单，没有留言，请回电。回复 收1 受理",
        )
    ]


def test_report_by_voice_confirm_and_keep(call, db, deliver):
    guo = call()
    guo.start()

    assert guo.press("1") == response(
        say("请在嘀声后说您要报的事情，说完按井号键。"), record("/voice/report?s=2")
    )
    sid = "RE" + "b" * 32
    url = "https://api.twilio.com/2010-04-01/Accounts/AC" + "1" * 32
    assert guo.speak(seconds=21, sid=sid) == response(
        gather(
            "/voice/report/confirm?s=3&issue=1",
            say("这是您刚才说的："),
            f"<Play>{url}/Recordings/{sid}</Play>",
            say("保留，请按1。重新说，请按2。"),
        )
    )
    assert guo.press("1") == response(
        say("已经记下了，编号一，已经告诉院落长赵德明。"),
        gather("/voice/menu?s=4&done=1", say(MENU)),
    )
    assert guo.silence() == response(say("谢谢您打来，再见。"), "<Hangup />")

    issue = db["issues"].get(1)
    assert (issue["kind"], issue["channel"], issue["reporter_phone"]) == (
        "report",
        "voice",
        GUO,
    )
    kept = db["recordings"].get(1)
    assert (kept["recording_sid"], kept["issue_id"], kept["duration"]) == (sid, 1, 21)
    assert kept["url"] == f"{url}/Recordings/{sid}"
    assert deliver() == [
        (
            "+8613900000201",
            "【小院通】事情1 郭长江13900010003报：语音报事，录音21秒，请听录音或回电。回复 收1 受理",
        )
    ]


def test_report_recorded_again_replaces_the_audio_on_the_same_issue(call, db, deliver):
    guo = call()
    guo.start()
    guo.press("1")
    guo.speak(seconds=3)
    deliver()

    assert guo.press("2") == response(
        say("请在嘀声后说您要报的事情，说完按井号键。"),
        record("/voice/report?s=4&issue=1"),
    )
    guo.speak(seconds=30, sid="RE" + "c" * 32)

    assert "/voice/report/confirm?s=5&amp;issue=1" in guo.twiml
    assert db.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 1
    assert db["recordings"].get(2)["issue_id"] == 1
    assert deliver() == [
        ("+8613900000201", "【小院通】事情1补充 郭长江：重新录了一段语音，30秒")
    ]


def test_report_with_nothing_recorded_asks_again(call, db):
    guo = call()
    guo.start()
    guo.press("1")

    assert guo.say_nothing() == response(
        say("没有录到声音。"),
        say("请在嘀声后说您要报的事情，说完按井号键。"),
        record("/voice/report?s=3&m=1"),
    )
    assert db.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 0


def test_help_request_by_kind_without_description(call, db, deliver):
    guo = call()
    guo.start()

    assert guo.press("2") == response(
        gather(
            "/voice/help?s=2",
            say("看望老人，请按1。照看孩子，请按2。农活帮忙，请按3。其他的事，请按4。"),
        )
    )
    assert guo.press("3") == response(
        say("请在嘀声后说说情况，说完按井号键。不想说，直接按井号键。"),
        record("/voice/help/described?s=3&kind=farm"),
    )
    assert guo.say_nothing() == response(
        gather(
            "/voice/help/confirm?s=4&kind=farm&issue=1",
            say("您要找人帮忙：农活帮忙。确认，请按1。重新选，请按2。"),
        )
    )
    # The request is out before the caller confirms: hanging up now loses nothing.
    assert db["issues"].get(1)["help_kind"] == "farm"
    assert guo.press("1") == response(
        say("已经通知院落长和志愿者，编号一。急病请打一二零。"),
        gather("/voice/menu?s=5&done=1", say(MENU)),
    )

    issue = db["issues"].get(1)
    assert (issue["kind"], issue["help_kind"], issue["body"]) == (
        "help_request",
        "farm",
        "农活帮忙",
    )
    sent = deliver()
    assert sent[0] == (
        "+8613900000201",
        "【小院通】求助1 郭长江13900010003：农活帮忙。回复 收1 受理",
    )
    assert (
        "+8613900010002",
        "【小院通】邻居求助1 金银4组白坟堡郭长江13900010003：农活帮忙。能去请回复 接1",
    ) in sent


def test_help_with_a_description_links_the_recording(call, db):
    guo = call()
    guo.start()
    guo.press("2")
    guo.press("1")
    sid = "RE" + "d" * 32
    guo.speak(seconds=8, sid=sid)

    assert "/voice/help/confirm?s=4&amp;kind=elderly&amp;issue=1" in guo.twiml
    guo.press("1")

    assert db["issues"].get(1)["body"] == "看望老人，另有录音8秒"
    assert db["recordings"].get(1)["issue_id"] == 1


def test_help_choose_again(call):
    guo = call()
    guo.start()
    guo.press("2")
    guo.press("4")
    guo.say_nothing()

    assert guo.press("2") == response(
        gather(
            "/voice/help?s=5&issue=1",
            say("看望老人，请按1。照看孩子，请按2。农活帮忙，请按3。其他的事，请按4。"),
        )
    )


def test_no_notices(call):
    guo = call()
    guo.start()

    assert guo.press("3") == response(
        say("现在没有新通知。"), gather("/voice/menu?s=2&done=1", say(MENU))
    )


def test_notices_newest_first_next_and_repeat(call, db, clock):
    db["notices"].insert(
        {
            "courtyard_id": 1,
            "body": "明早九点院坝开会",
            "created_at": "2026-03-01T02:00:00+00:00",
        }
    )
    db["notices"].insert(
        {
            "courtyard_id": 1,
            "body": "周六打扫卫生",
            "created_at": "2026-03-02T01:00:00+00:00",
        }
    )
    guo = call()
    guo.start()

    newest = response(
        gather(
            "/voice/notices?s=2",
            say("三月二号的通知："),
            say("周六打扫卫生"),
            say("听下一条，请按1。再听一遍，请按星号。"),
        )
    )
    assert guo.press("3") == newest
    assert guo.press("*") == newest.replace("s=2", "s=3")
    assert guo.press("1") == response(
        gather(
            "/voice/notices?s=4&i=1",
            say("三月一号的通知："),
            say("明早九点院坝开会"),
            say("再听一遍，请按星号。"),
        )
    )
    assert guo.press("1") == response(
        say("通知听完了。"), gather("/voice/menu?s=5&done=1", say(MENU))
    )


def test_points_are_spoken_as_words(call, db):
    db["points"].insert(
        {"household_id": 3, "points": 12, "reason": "打扫卫生", "at": "2026-03-01"}
    )
    guo = call()
    guo.start()

    assert guo.press("4") == response(
        say("您的积分是十二分。本院落一共十二分，在八个院落里排第一。"),
        gather("/voice/menu?s=2&done=1", say(MENU)),
    )


def test_zero_dials_the_head_and_takes_a_message_when_nobody_answers(call, deliver):
    guo = call()
    guo.start()

    assert guo.press("0") == response(
        say("正在给院落长赵德明打电话，请稍等。"),
        '<Dial action="/voice/dialed?s=2" method="POST" timeLimit="1800" '
        'timeout="25"><Number>+8613900000201</Number></Dial>',
    )
    assert guo.dial_ends("no-answer") == response(
        say("院落长没有接电话。"),
        say("请在嘀声后留言，说完挂电话就行，院落长会给您回电话。"),
        record("/voice/message?s=3&why=head"),
    )
    guo.speak(seconds=7)

    assert deliver() == [
        (
            "+8613900000201",
            "【小院通】事情1 郭长江13900010003报：找院落长没接通，留言7秒，请回电。回复 收1 受理",
        )
    ]


def test_a_call_the_head_answered_ends_politely(call):
    guo = call()
    guo.start()
    guo.press("0")

    assert guo.dial_ends("completed") == response(
        say("谢谢您打来，再见。"), "<Hangup />"
    )


def test_unknown_caller_leaves_a_message_for_staff(demo, client, db, deliver):
    demo.config["STAFF_PHONE"] = "+8613900000099"
    stranger = Call(client, STRANGER)
    stranger.start()

    assert stranger.press("1") == response(
        say("请在嘀声后说说您的事，说完挂电话就行。我们转告工作人员给您回电话。"),
        record("/voice/message?s=2&why=unknown"),
    )
    stranger.speak(seconds=11)

    assert db.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 0
    assert db["recordings"].get(1)["purpose"] == "message"
    assert deliver() == [
        ("+8613900000099", "【小院通】未登记号码13700009999来电留言11秒，请回电")
    ]


def test_the_call_is_capped_politely(call, clock):
    guo = call()
    guo.start()
    clock.advance(minutes=11)

    assert guo.press("1") == response(
        say("通话时间到了。有事请再打过来，再见。"), "<Hangup />"
    )


def test_past_the_cap_a_report_under_way_is_finished(call, clock, db):
    guo = call()
    guo.start()
    guo.press("1")
    clock.advance(minutes=11)

    assert "/voice/report/confirm?s=3" in guo.speak(seconds=40)
    assert "已经记下了，编号一" in guo.press("1")
    assert guo.press("4") == response(
        say("通话时间到了。有事请再打过来，再见。"), "<Hangup />"
    )


def test_long_past_the_cap_a_recording_is_kept_and_the_call_ends(call, clock, db):
    guo = call()
    guo.start()
    guo.press("1")
    clock.advance(minutes=14)

    assert guo.speak(seconds=40) == response(
        say("通话时间到了。有事请再打过来，再见。"), "<Hangup />"
    )
    assert db["issues"].get(1)["body"] == "语音报事，录音40秒，请听录音或回电"


def test_call_status_callback_marks_the_end(call, client, db):
    guo = call()
    guo.start()
    from tests.conftest import signed_post

    reply = signed_post(client, "/voice/status", guo.params(CallStatus="completed"))

    assert reply.status_code == 204
    row = db["calls"].get(1)
    assert (row["status"], row["ended_at"]) == (
        "completed",
        "2026-03-02T01:30:00+00:00",
    )


UNKNOWN_BRANCHES = [
    (
        "2",
        [
            say("请在嘀声后说说您的事，说完挂电话就行。我们转告工作人员给您回电话。"),
            record("/voice/message?s=2&why=unknown"),
        ],
    ),
    (
        "0",
        [
            say("请在嘀声后说说您的事，说完挂电话就行。我们转告工作人员给您回电话。"),
            record("/voice/message?s=2&why=unknown"),
        ],
    ),
    ("3", [say("现在没有新通知。"), gather("/voice/menu?s=2&done=1", say(MENU))]),
    (
        "4",
        [
            say("您的号码还没有登记，查不到积分。"),
            gather("/voice/menu?s=2&done=1", say(MENU)),
        ],
    ),
]


@pytest.mark.parametrize(("digits", "answer"), UNKNOWN_BRANCHES)
def test_unknown_caller_branches(call, digits, answer):
    stranger = call(STRANGER)
    stranger.start()

    assert stranger.press(digits) == response(*answer)


def test_a_head_pressing_zero_reaches_the_general_head(call):
    zhao = call(ZHAO)
    zhao.start()

    assert zhao.press("0") == response(
        say("正在给总院落长李秀英打电话，请稍等。"),
        '<Dial action="/voice/dialed?s=2" method="POST" timeLimit="1800" '
        'timeout="25"><Number>+8613900000101</Number></Dial>',
    )


STEPS_WITH_KEYS = [
    "/voice/menu?s=1",
    "/voice/menu?s=1&done=1&m=2",
    "/voice/notices?s=1&i=-4",
    "/voice/notices?s=1&i=x",
    "/voice/help?s=1",
    "/voice/help/described?s=1&kind=nonsense",
    "/voice/help/confirm?s=1&kind=farm&rec=RE404",
    "/voice/help/confirm?s=1",
    "/voice/report?s=1&issue=abc",
    "/voice/report/confirm?s=1&issue=999",
    "/voice/dialed?s=1",
    "/voice/message?s=1",
    "/voice/head/pin?s=1",
    "/voice/head/notice?s=1",
    "/voice/head/confirm?s=1&rec=nothing",
    "/voice/menu",
]


@pytest.mark.parametrize("path", STEPS_WITH_KEYS)
@pytest.mark.parametrize("digits", [None, "", "#", "*", "9", "12", "abc", "1"])
@pytest.mark.parametrize("phone", [GUO, ZHAO, STRANGER, "anonymous"])
def test_no_step_errors_on_any_key(call, path, digits, phone):
    caller = call(phone)
    extra = {} if digits is None else {"Digits": digits}

    twiml = caller.post(path, **extra)

    assert twiml.startswith('<?xml version="1.0" encoding="UTF-8"?><Response>')
    assert twiml != '<?xml version="1.0" encoding="UTF-8"?><Response />'


def test_near_the_call_cap_a_talk_with_the_head_is_not_cut_short(call, clock):
    guo = call()
    guo.start()
    clock.advance(minutes=9, seconds=58)

    assert guo.press("0") == response(
        say("正在给院落长赵德明打电话，请稍等。"),
        '<Dial action="/voice/dialed?s=2" method="POST" timeLimit="1800" '
        'timeout="25"><Number>+8613900000201</Number></Dial>',
    )


def test_the_talk_limit_is_its_own_setting(demo, call):
    demo.config["VOICE_DIAL_TIME_LIMIT"] = 900
    guo = call()
    guo.start()

    assert 'timeLimit="900"' in guo.press("0")


@pytest.mark.parametrize(
    "written", ["13900000099", "139 0000 0099", "+86 139-0000-0099", "8613900000099"]
)
def test_staff_phone_is_normalised_however_it_is_written(
    demo, client, deliver, written
):
    demo.config["STAFF_PHONE"] = written
    stranger = Call(client, STRANGER)
    stranger.start()
    stranger.press("1")
    stranger.speak(seconds=11)

    assert deliver() == [
        ("+8613900000099", "【小院通】未登记号码13700009999来电留言11秒，请回电")
    ]


def test_a_staff_phone_that_is_no_phone_alerts_nobody_and_says_so(
    demo, client, deliver, db, caplog
):
    demo.config["STAFF_PHONE"] = "call the office"
    stranger = Call(client, STRANGER)
    stranger.start()
    stranger.press("1")

    assert stranger.speak(seconds=11) == response(
        say("已经记下了，会有人给您回电话。谢谢您，再见。"), "<Hangup />"
    )
    assert deliver() == []
    assert db["recordings"].get(1)["purpose"] == "message"
    assert "137****9999" in caplog.text and "STAFF_PHONE" in caplog.text


FAMILY = "+8615800020015"  # registered family of 徐翠花, 金银4组喻家坪


def test_a_family_member_calling_acts_for_the_parent(call, db, deliver):
    """By text a registered family member acted for the parent; by voice they were
    treated as an unknown number."""
    daughter = call(FAMILY)

    assert daughter.start() == response(
        say("您好，这里是小院通，金银4组喻家坪。"),
        gather("/voice/menu?s=1", say(MENU)),
    )
    assert daughter.press("1") == response(
        say("请在嘀声后说您要报的事情，说完按井号键。"), record("/voice/report?s=2")
    )
    daughter.speak(seconds=16)
    assert daughter.press("1") == response(
        say("已经记下了，编号一，已经告诉院落长孙玉兰。"),
        gather("/voice/menu?s=4&done=1", say(MENU)),
    )

    issue = db["issues"].get(1)
    assert (issue["household_id"], issue["courtyard_id"]) == (15, 2)
    assert (issue["reporter_phone"], issue["on_behalf_of"]) == (FAMILY, 15)
    assert deliver() == [
        (
            "+8613900000202",
            "【小院通】事情1 徐翠花家属15800020015报：语音报事，录音16秒，请听录音或回电。"
            "回复 收1 受理",
        )
    ]


def test_a_family_member_asks_for_help_for_the_parent(call, db):
    daughter = call(FAMILY)
    daughter.start()
    daughter.press("2")
    daughter.press("1")
    daughter.say_nothing()

    assert daughter.press("1") == response(
        say("已经通知院落长和志愿者，编号一。急病请打一二零。"),
        gather("/voice/menu?s=5&done=1", say(MENU)),
    )
    issue = db["issues"].get(1)
    assert (issue["kind"], issue["courtyard_id"], issue["reporter_phone"]) == (
        "help_request",
        2,
        FAMILY,
    )
