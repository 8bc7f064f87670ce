"""Spoken numbers and the prompt audio cache."""

import os
from urllib.parse import unquote

import pytest

from prompts import audio
from prompts.voice import number_words
from tests.fake_http import FakeTransport, speech_reply
from tests.voice_calls import Call


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "零"),
        (7, "七"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1005, "一千零五"),
        (1050, "一千零五十"),
        (10000, "一万"),
        (100010, "十万零一十"),
        (123456, "十二万三千四百五十六"),
        (-3, "负三"),
    ],
)
def test_number_words(number, words):
    assert number_words(number) == words


@pytest.fixture
def speech(demo, monkeypatch, tmp_path):
    demo.config["PROMPT_AUDIO_DIR"] = str(tmp_path / "audio")
    return FakeTransport(monkeypatch)


def _script(speech, count):
    for number in range(count):
        speech.reply(200, speech_reply(f"mp3-{number}".encode()))


def test_build_renders_each_prompt_once_and_calls_play_it(speech, demo, runner, client):
    with demo.app_context():
        from db import get_db

        wanted = audio.sentences(get_db())
    assert "您好，这里是小院通，金银4组白坟堡。" in wanted
    assert "正在给院落长赵德明打电话，请稍等。" in wanted
    _script(speech, len(wanted))

    result = runner.invoke(args=["prompts", "build"])

    assert result.exit_code == 0, result.output
    assert f"{len(wanted)} rendered, 0 already cached." in result.output
    assert '\\"zh\\"' in unquote(speech.requests[0].body)
    folder = demo.config["PROMPT_AUDIO_DIR"]
    name = audio.file_name("您好，这里是小院通，金银4组白坟堡。", demo.config)
    with open(os.path.join(folder, name), "rb") as mp3:
        assert mp3.read().startswith(b"mp3-")

    again = runner.invoke(args=["prompts", "build"])
    assert f"0 rendered, {len(wanted)} already cached." in again.output

    guo = Call(client, "+8613900010003")
    assert guo.start().startswith(
        '<?xml version="1.0" encoding="UTF-8"?><Response>'
        f"<Play>/voice/audio/{name}</Play>"
    )
    served = client.get(f"/voice/audio/{name}")
    assert served.status_code == 200
    assert served.data.startswith(b"mp3-")


def test_build_offline_says_so_and_leaves_the_cache(speech, demo, runner):
    speech.reply(200, speech_reply(b"mp3-first"))
    speech.offline()

    result = runner.invoke(args=["prompts", "build"])

    assert result.exit_code == 1
    error = result.output.splitlines()[-1]
    assert error == (
        "Error: cannot reach the speech service (Failed to connect. Probable cause: "
        "Unknown); prompt audio left unchanged."
    )
    assert os.listdir(demo.config["PROMPT_AUDIO_DIR"]) == []
