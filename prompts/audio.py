"""Prompt audio: the catalogue rendered with gTTS ahead of time, cached by hash.

A file is named by a hash of its text and the voice that said it, so a sentence that
has not changed is never rendered twice, and a call only ever looks a file up.
"""

import hashlib
import json
import os
import shutil
import string
import tempfile
from pathlib import Path

from gtts import gTTS

from db import get_db
from prompts.catalogue import VOICE
from prompts.voice import text

INDEX = "index.json"


class SpeechServiceUnavailable(Exception):
    """The speech service could not be reached or refused to render."""


def voice_id(config):
    return f"gtts:{config['PROMPT_GTTS_LANG']}:{config['PROMPT_GTTS_TLD']}"


def file_name(sentence, config):
    digest = hashlib.sha256(f"{voice_id(config)}\n{sentence}".encode()).hexdigest()
    return f"{digest[:24]}.mp3"


def cached(sentence, config):
    """The audio file's name if this sentence has been rendered, else None."""
    name = file_name(sentence, config)
    if os.path.exists(os.path.join(config["PROMPT_AUDIO_DIR"], name)):
        return name
    return None


def _fields(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def sentences(db):
    """Every sentence a caller may hear that can be rendered ahead of time.

    Sentences whose fields are names known from the roster (a courtyard, a head,
    a kind of help) are rendered once per name; numbers are left to <Say>.
    """
    names = {
        "courtyard": [row["name"] for row in db.query("SELECT name FROM courtyards")],
        "head": [
            row["name"]
            for row in db.query(
                "SELECT head_name AS name FROM courtyards WHERE head_name <> '' "
                "UNION SELECT general_head_name FROM communities "
                "WHERE general_head_name <> ''"
            )
        ],
        "kind": [VOICE[key] for key in VOICE if key.startswith("help_kind_")],
    }
    found = []
    for key, template in VOICE.items():
        if key.startswith(("body_", "staff_", "help_kind_")):
            continue
        fields = _fields(template)
        if not fields:
            found.append(template)
        elif len(fields) == 1 and (field := fields.pop()) in names:
            found.extend(text(key, **{field: value}) for value in names[field])
    return list(dict.fromkeys(found))


def render(sentence, config, path):
    """Render one sentence to an mp3 file at path through gTTS."""
    speech = gTTS(
        sentence, lang=config["PROMPT_GTTS_LANG"], tld=config["PROMPT_GTTS_TLD"]
    )
    try:
        speech.save(path)
    except Exception as exc:  # gTTSError, or requests' errors when offline
        raise SpeechServiceUnavailable(str(exc).splitlines()[0]) from exc


def build(config, progress=None):
    """Render every sentence not cached yet; return (rendered, cached).

    Everything is rendered into a staging folder first and moved into place only
    when all succeeded, so a failure leaves the cache exactly as it was.
    """
    target = Path(config["PROMPT_AUDIO_DIR"])
    target.mkdir(parents=True, exist_ok=True)
    wanted = {file_name(sentence, config): sentence for sentence in sentences(get_db())}
    missing = {name: s for name, s in wanted.items() if not (target / name).exists()}

    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target))
    try:
        items = progress(missing.items()) if progress else missing.items()
        for name, sentence in items:
            render(sentence, config, staging / name)
        for name in missing:
            os.replace(staging / name, target / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    _write_index(target, wanted)
    return len(missing), len(wanted) - len(missing)


def _write_index(target, wanted):
    """Which sentence each file says, merged with what was there, written atomically."""
    path = target / INDEX
    index = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    index.update(wanted)
    handle, temporary = tempfile.mkstemp(dir=target, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(index, out, ensure_ascii=False, indent=1, sort_keys=True)
    os.replace(temporary, path)


def spoken_text(config, name):
    """The sentence a rendered file says, for the simulator; None if unknown."""
    path = Path(config["PROMPT_AUDIO_DIR"]) / INDEX
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get(name)
