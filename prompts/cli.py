"""`flask prompts build`: render the voice catalogue to audio before any call."""

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from prompts.audio import SpeechServiceUnavailable, build

prompts_group = AppGroup("prompts", help="Prompt audio for the voice menu.")


@prompts_group.command("build")
def build_command():
    """Render every voice prompt not yet cached to Mandarin audio with gTTS."""
    config = current_app.config
    try:
        rendered, cached = build(
            config, progress=lambda items: tqdm(items, desc="prompts", unit="prompt")
        )
    except SpeechServiceUnavailable as exc:
        raise click.ClickException(
            f"cannot reach the speech service ({exc}); prompt audio left unchanged."
        ) from exc
    click.echo(
        f"Prompt audio in {config['PROMPT_AUDIO_DIR']}: "
        f"{rendered} rendered, {cached} already cached."
    )


def init_app(app):
    app.cli.add_command(prompts_group)
