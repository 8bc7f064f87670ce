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
