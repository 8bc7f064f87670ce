"""The phone simulator, used as a person would from the command line."""

from conftest import TOKEN


def test_sim_sms_prints_the_reply_and_what_phones_received(demo, runner):
    result = runner.invoke(args=["sim", "sms", "139 0001 0003", "1 村口路灯坏了"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "139 0001 0003 ← 已收到，事情编号1，已告诉院落长赵德明。有补充可直接回复。\n"
        "  → 13900000201 [sent] 【小院通】事情1 郭长江13900010003报：村口路灯坏了。回复 收1 受理\n"
    )


def test_sim_signs_what_it_posts(demo, runner, db):
    assert demo.config["TWILIO_AUTH_TOKEN"] == TOKEN
    result = runner.invoke(args=["sim", "sms", "10086", "余额不足"])
    assert result.output == (
        "10086 ← (no reply)\n  (no other phone received anything)\n"
    )
    assert db.execute("SELECT from_written FROM messages").fetchone() == ("10086",)
