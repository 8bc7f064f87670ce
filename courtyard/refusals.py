"""A command that cannot be carried out, said to the sender in one text."""

import prompts


class Refusal(Exception):
    """Why a command was refused: key names the catalogue text, fields fill it in."""

    key = ""

    def __init__(self, **fields):
        super().__init__(self.key)
        self.fields = fields

    def text(self):
        return prompts.sms(self.key, **self.fields)
