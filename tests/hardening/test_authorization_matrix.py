"""Every registered command, as every role (and a stranger, a deactivated user and a rep of
another team): what the command table refuses is refused and writes nothing; no reply or
export shows a record its reader may not see. Generated from the command table."""

from __future__ import annotations

import pytest

from bot.app import App
from domain.model.users import Role
from handlers import dispatch  # noqa: F401  (registers every command)
from handlers.commands import COMMANDS
from handlers.i18n import Translator
from tests.hardening.world import SAMPLES, VIEWERS, build, fast_charts, shown, watching
from tests.support import FakeClock, say

EN = Translator("en")
ROLE_REFUSAL = EN("access.role", role="\0", allowed="\0").split("\0")[0]  # "Your role ("


def test_every_registered_command_has_sample_arguments() -> None:
    missing = sorted(name for name in COMMANDS if not SAMPLES.get(name))
    assert not missing, f"give these commands samples=(...) in their @command: {missing}"


@pytest.mark.parametrize("who", sorted(VIEWERS))
def test_the_command_table_is_enforced_for(who: str, app: App, clock: FakeClock,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fast_charts(monkeypatch)
    build(app, clock)
    viewer = VIEWERS[who]
    stranger = Translator(app.settings.locale)  # no account: the company's language
    problems: list[str] = []
    with watching(app.engine) as writes:
        for name, command in COMMANDS.items():
            allowed = viewer.role is not None and (
                viewer.role == Role.ADMIN or viewer.role in command.roles)
            passed_the_role_check = False
            for args in SAMPLES[name]:
                line = f"/{name} {args}".strip()
                reply = say(app, viewer.name, line)
                committed = writes.take()
                text = shown(reply)
                if viewer.role is not None:  # a command left half-asked must not eat the next
                    say(app, viewer.name, "/cancel")
                writes.take()
                passed_the_role_check |= not reply.text.startswith(ROLE_REFUSAL)
                if not reply.text:
                    problems.append(f"{line}: no answer")
                if reply.text == EN("error.internal"):
                    problems.append(f"{line}: internal error")
                # A stranger is asked to register; a person who left is told so.
                refusal = EN("error.deactivated") if who == "deactivated user" \
                    else stranger("error.not_registered")
                if viewer.role is None and reply.text != refusal:
                    problems.append(f"{line}: a {who} got {reply.text[:80]!r}")
                if not allowed and reply.ok:
                    problems.append(f"{line}: the table refuses {who}, but it ran")
                if not reply.ok and committed:
                    problems.append(f"{line}: refused but wrote {committed[:2]}")
                for secret in viewer.hidden:
                    if secret in text:
                        problems.append(f"{line}: showed {secret} records to {who}")
            if allowed and not passed_the_role_check:
                problems.append(f"/{name}: the table allows {who}, but every sample was "
                                "refused for the role")
    assert not problems, "\n".join(problems)
