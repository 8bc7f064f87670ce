"""The simulator's call session, driven as a person would at the terminal."""


def test_sim_call_walks_the_menu_and_shows_what_phones_received(demo, runner, db):
    keys = "\n".join(["7", "1", "12", "1", "s"]) + "\n"

    result = runner.invoke(args=["sim", "call", "139 0001 0003"], input=keys)

    assert result.exit_code == 0, result.output
    heard = [line.strip() for line in result.output.splitlines()]
    assert heard[:3] == [
        "139 0001 0003 calls the service.",
        "🔊 您好，这里是小院通，金银4组白坟堡。",
        "🔊 报事情，请按1。找人帮忙，请按2。听通知，请按3。查积分，请按4。"
        "找院落长，请按0。再听一遍，请按星号。",
    ]
    assert "🔊 没有这个选项。" in heard
    assert "▶ (plays back the recording)" in heard
    assert "🔊 已经记下了，编号一，已经告诉院落长赵德明。" in heard
    assert heard[-4:] == [
        "🔊 谢谢您打来，再见。",
        "(the service hangs up)",
        "(the call has ended)",
        "→ 13900000201 [sent] 【小院通】事情1 郭长江13900010003报："
        "语音报事，录音12秒，请听录音或回电。回复 收1 受理",
    ]
    recording = db["recordings"].get(1)
    assert (recording["status"], recording["duration"]) == ("fetched", 12)
    assert db["calls"].get(1)["status"] == "completed"


ALONE = "13900010015"  # 徐翠花, lives alone, prefers voice, 金银4组喻家坪


def _placed_checkin_call(runner, deliver):
    enrolled = runner.invoke(args=["checkin", "enrol", ALONE])
    assert enrolled.exit_code == 0, enrolled.output
    assert deliver() == [("+86" + ALONE, "平安呼。徐翠花您好，今天一切都好，请按1。")]


def test_sim_answer_picks_up_the_checkin_call_and_presses_one(
    demo, runner, deliver, db
):
    _placed_checkin_call(runner, deliver)

    result = runner.invoke(args=["sim", "answer", ALONE], input="1\n")

    assert result.exit_code == 0, result.output
    assert [line.strip() for line in result.output.splitlines()] == [
        "13900010015 picks up a call from the service [sent].",
        "🔊 平安呼。徐翠花您好，今天一切都好，请按1。",
        "⌨ press a key (s = stay silent): 1",
        "🔊 收到，祝您今天平安。再见。",
        "(the service hangs up)",
        "(the call has ended)",
        "(no other phone received anything)",
    ]
    assert db["checkins"].get(1)["status"] == "ok"
    assert db["outbox"].get(1)["status"] == "delivered"


def test_sim_answer_asks_again_and_key_two_sends_someone(demo, runner, deliver, db):
    _placed_checkin_call(runner, deliver)

    result = runner.invoke(args=["sim", "answer", ALONE], input="9\n2\n")

    assert result.exit_code == 0, result.output
    heard = [line.strip() for line in result.output.splitlines()]
    assert heard[2:6] == [
        "⌨ press a key (s = stay silent): 9",
        "🔊 没有听清楚。一切都好，请按1。需要人来看看您，请按2。",
        "⌨ press a key (s = stay silent): 2",
        "🔊 好的，已经告诉院落长和邻居，马上会有人来看您。急病请打一二零。再见。",
    ]
    assert (
        "→ 13900000202 [sent] 【小院通】求助1 徐翠花13900010015："
        "平安呼电话里按了2，需要人来看看，请马上联系。回复 收1 受理"
    ) in heard
    assert db["checkins"].get(1)["status"] == "help"


def test_sim_answer_in_silence_ends_politely(demo, runner, deliver, db):
    _placed_checkin_call(runner, deliver)

    result = runner.invoke(args=["sim", "answer", ALONE], input="s\n")

    assert [line.strip() for line in result.output.splitlines()][2:6] == [
        "⌨ press a key (s = stay silent): s",
        "🔊 没有听到按键。我们稍后再打给您。",
        "(the call has ended)",
        "(no other phone received anything)",
    ]
    assert db["checkins"].get(1)["status"] == "pending"


def test_sim_answer_without_a_call_says_what_to_do(demo, runner):
    result = runner.invoke(args=["sim", "answer", ALONE])

    assert result.exit_code == 1
    assert "Error: No call to 13900010015 in the outbox." in result.output
