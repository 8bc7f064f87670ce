"""Neighbours taking help requests, families asking for a parent."""

import threading

import pytest
from conftest import signed_post, sms_params

REQUESTER = "+8613900010012"  # 马晓燕, 金银4组喻家坪, not a volunteer
HEAD = "+8613900000202"  # 孙玉兰, head of 金银4组喻家坪
VOLUNTEERS = {  # the volunteers of 金银4组喻家坪 other than the head
    "+8613900010009": "赵德福",
    "+8613900010010": "陈正清",
    "+8613900010011": "郭家富",
    "+8613900010013": "孙长江",
}
FAMILY = "+8615800020015"  # registered for 徐翠花, 金银4组喻家坪
OTHER_HEAD = "+8613900000201"  # head of 金银4组白坟堡


def test_first_to_accept_takes_it_and_the_helper_earns_points(demo, text, deliver, db):
    assert text(REQUESTER, "2 帮我搬一下米") == [
        "已收到求助，编号1，已通知院落长和志愿者。急病请拨120。"
    ]
    sent = deliver()
    assert [to for to, _ in sent] == [HEAD, *VOLUNTEERS]
    assert sent[1][1] == (
        "【小院通】邻居求助1 金银4组喻家坪马晓燕13900010012：帮我搬一下米。"
        "能去请回复 接1"
    )

    # Two volunteers accept at the same moment: exactly one wins.
    first, second = "+8613900010009", "+8613900010010"
    answers = {}

    def accept(phone):
        client = demo.test_client()
        response = signed_post(client, "/sms", sms_params(phone, "接 1"))
        answers[phone] = response.get_data(as_text=True)

    threads = [threading.Thread(target=accept, args=(p,)) for p in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winner = next(p for p in (first, second) if "由您去帮" in answers[p])
    loser = second if winner == first else first
    winner_name = VOLUNTEERS[winner]
    assert (
        "<Message>谢谢您！求助1由您去帮：马晓燕13900010012。帮完请回复 完1"
        in (answers[winner])
    )
    assert (
        f"<Message>求助1已由{winner_name}接手了，谢谢您。</Message>" in answers[loser]
    )

    sent = deliver()
    winner_national = winner.removeprefix("+86")
    assert sent == [
        (REQUESTER, f"{winner_name}（{winner_national}）马上来帮您，求助1。"),
        (HEAD, f"【小院通】求助1已由{winner_name}{winner_national}接手。"),
    ] + [
        (phone, f"求助1已由{winner_name}接手，谢谢您。")
        for phone in VOLUNTEERS
        if phone != winner
    ]

    assert text(winner, "完1。") == ["已记下求助1帮完了，对方确认后给您加5分。"]
    assert deliver() == [
        (REQUESTER, f"{winner_name}说求助1已帮完。帮到了请回复1，还没好请回复2。")
    ]
    assert text(REQUESTER, "1") == [f"谢谢确认，求助1已完成。感谢{winner_name}！"]
    assert deliver() == [(winner, "求助1对方已确认，给您加5分，谢谢！")]

    assert db.execute("SELECT household_id, points, reason FROM points").fetchall() == [
        (9 if winner == first else 10, 5, "帮助邻居")
    ]
    assert db.execute("SELECT status FROM issues").fetchone() == ("resolved",)
    assert text(winner, "4")[0].startswith("您的积分5分。")


def test_not_done_goes_back_to_the_helper(demo, text, deliver):
    helper = "+8613900010011"
    text(REQUESTER, "2 帮我搬一下米")
    text(helper, "接1")
    text(helper, "完1")
    deliver()
    assert text(REQUESTER, "还没有人来") == ["已告诉郭家富求助1还没好，会再来看看。"]
    assert deliver() == [
        (helper, "求助1对方说还没好，请再去看看，帮完回复 完1"),
        (HEAD, "【小院通】事情1补充 马晓燕：还没有人来"),
    ]
    assert text(helper, "完1") == ["已记下求助1帮完了，对方确认后给您加5分。"]


def test_an_answer_with_more_words_answers_and_keeps_the_words(demo, text, deliver):
    helper = "+8613900010011"
    text(REQUESTER, "2 帮我搬一下米")
    text(helper, "接1")
    text(helper, "完1")
    deliver()
    assert text(REQUESTER, "2 又摔了一跤") == ["已告诉郭家富求助1还没好，会再来看看。"]
    assert deliver() == [
        (helper, "求助1对方说还没好，请再去看看，帮完回复 完1"),
        (HEAD, "【小院通】事情1补充 马晓燕：又摔了一跤"),
    ]


def test_an_unclear_answer_is_handled_as_any_text_and_the_question_stays(
    demo, text, deliver
):
    helper = "+8613900010011"
    text(REQUESTER, "2 帮我搬一下米")
    text(helper, "接1")
    text(helper, "完1")
    deliver()
    assert text(REQUESTER, "嗯嗯") == ["已补充到事情1，院落长会看到。"]
    assert text(REQUESTER, "没问题") == ["谢谢确认，求助1已完成。感谢郭家富！"]


def test_a_second_done_asks_the_requester_again(demo, text, deliver):
    helper = "+8613900010011"
    text(REQUESTER, "2 帮我搬一下米")
    text(helper, "接1")
    text(helper, "完1")
    text(REQUESTER, "2")
    deliver()
    text(helper, "完1")
    assert deliver() == [
        (REQUESTER, "郭家富说求助1已帮完。帮到了请回复1，还没好请回复2。")
    ]


def test_the_requester_cannot_take_their_own_request(demo, text, db):
    text(REQUESTER, "2 帮我挑水")
    assert text(REQUESTER, "接1") == ["这是您自己的求助，不能自己接。"]
    assert db.execute("SELECT helper_household_id FROM issues").fetchone() == (None,)


@pytest.mark.parametrize(
    "body, reply",
    [
        ("接", "接求助请回复：接 编号，比如 接7"),
        ("接 abc", "接求助请回复：接 编号，比如 接7"),
        ("完", "帮完请回复：完 编号，比如 完7"),
        ("接 99", "没有找到您院落的求助99，请核对编号。"),
        ("完 1", "求助1不是您接的，不能标记帮完。"),
    ],
)
def test_malformed_volunteer_commands(demo, text, body, reply):
    text(REQUESTER, "2 帮我搬一下米")
    assert text("+8613900010013", body) == [reply]


def test_another_courtyards_request_is_not_revealed(demo, text, db):
    text(REQUESTER, "2 帮我搬一下米")
    assert text(OTHER_HEAD, "接1") == ["没有找到您院落的求助1，请核对编号。"]
    assert db.execute("SELECT helper_household_id FROM issues").fetchone() == (None,)


def test_fetching_a_child_is_a_request_not_a_volunteer_command(demo, text, deliver):
    assert text(REQUESTER, "接孩子放学没人去") == [
        "已收到，转给院落长看。报事发1加内容，求助发2加内容，菜单发0。"
    ]


def test_family_member_asks_for_the_parent(demo, text, deliver, db):
    assert text(FAMILY, "2 我妈电话打不通，请人去看看") == [
        "已收到求助，编号1，已通知院落长和志愿者。急病请拨120。"
    ]
    assert db.execute(
        "SELECT courtyard_id, household_id, reporter_phone, on_behalf_of FROM issues"
    ).fetchone() == (2, 15, FAMILY, 15)
    sent = deliver()
    assert sent[0] == (
        HEAD,
        "【小院通】求助1 徐翠花家属15800020015：我妈电话打不通，请人去看看。回复 收1 受理",
    )
    helper = "+8613900010013"
    text(helper, "接1")
    assert deliver()[0] == (FAMILY, "孙长江（13900010013）马上来帮您，求助1。")
    text(helper, "完1")
    assert deliver() == [
        (FAMILY, "孙长江说求助1已帮完。帮到了请回复1，还没好请回复2。")
    ]
    assert text(FAMILY, "好的谢谢") == ["谢谢确认，求助1已完成。感谢孙长江！"]


def test_unregistered_number_cannot_ask_for_someone(demo, text, db, deliver):
    assert text("+8615800029999", "2 请人去看看我妈徐翠花") == [
        "您好，这个号码还没登记，不能报事或代人求助，工作人员会看到这条短信。"
        "急事请拨110或120。"
    ]
    assert db["issues"].count == 0
    assert deliver() == []


def test_the_helper_gets_the_parents_phone_and_the_familys(demo, text):
    text(FAMILY, "2 我妈腿疼请人去看看")
    assert text("+8613900010009", "接 1") == [
        "谢谢您！求助1由您去帮：徐翠花13900010015，家属15800020015。帮完请回复 完1"
    ]
