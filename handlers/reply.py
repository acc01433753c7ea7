"""What a handler answers: text and buttons, independent of the chat platform."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    """A button that does what typing `command` would do."""

    label: str
    command: str


@dataclass(frozen=True)
class Reply:
    """Text and rows of buttons; `ok` is False when the command was refused.

    `private`: meant for the asker only, so a door sends it by direct message when the
    question came from a group. `asks`: a dialog question; the next plain message answers it.
    """

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    ok: bool = True
    private: bool = False
    asks: bool = False

    @property
    def silent(self) -> bool:
        return not self.text and not self.buttons
