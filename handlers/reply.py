"""What a handler answers: text and buttons, independent of the chat platform."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    """A button that does what typing `command` would do."""

    label: str
    command: str


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply: a chart (image/png) or an export (text/csv)."""

    name: str
    data: bytes
    mime: str

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


@dataclass(frozen=True)
class Reply:
    """Text and rows of buttons; `ok` is False when the command was refused.

    `private`: meant for the asker only, so a door sends it by direct message when the
    question came from a group. `asks`: a dialog question; the next plain message answers it.
    `files`: charts and exports sent after the text.
    """

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    ok: bool = True
    private: bool = False
    asks: bool = False
    files: list[Attachment] = field(default_factory=list)

    @property
    def silent(self) -> bool:
        return not self.text and not self.buttons and not self.files
