"""A signed Slack request replayed within Slack's five minutes is answered once, whoever sent it
and whatever the answer was."""

from __future__ import annotations

from bot.app import App
from tests.doors.test_slack import REP, SlackHarness
from tests.support import say


def _answers(slack: SlackHarness) -> int:
    return len(slack.api.of("chat.postMessage")) + len(slack.api.of("chat.postEphemeral"))


def test_a_strangers_replayed_command_is_answered_once(slack: SlackHarness) -> None:
    slack.command("lead Sneaky Co", user="U9EVE", trigger="trig-eve")
    slack.command("lead Sneaky Co", user="U9EVE", trigger="trig-eve")
    assert _answers(slack) == 1


def test_a_replayed_link_with_a_wrong_code_is_answered_once(slack: SlackHarness) -> None:
    slack.command("link NOSUCHCODE", user="U9EVE", trigger="trig-link")
    slack.command("link NOSUCHCODE", user="U9EVE", trigger="trig-link")
    assert _answers(slack) == 1


def test_a_replayed_refused_command_is_answered_once(slack: SlackHarness) -> None:
    slack.command("approve Q-9", trigger="trig-refused")
    slack.command("approve Q-9", trigger="trig-refused")
    assert _answers(slack) == 1


def test_a_replayed_command_of_a_deactivated_user_is_answered_once(slack: SlackHarness,
                                                                   app: App) -> None:
    with app.uow() as uow:
        user = uow.users.by_username("rep")
        assert user is not None
        user.active = False
        uow.commit()
    slack.command("lead Gone Co", user=REP, trigger="trig-gone")
    slack.command("lead Gone Co", user=REP, trigger="trig-gone")
    assert _answers(slack) == 1


def test_a_replayed_quote_form_request_opens_the_form_once(slack: SlackHarness,
                                                            app: App) -> None:
    assert say(app, "rep", "/lead Acme").ok and say(app, "rep", "/qualify L-1").ok
    slack.command("quote D-1", trigger="trig-form")
    slack.command("quote D-1", trigger="trig-form")
    assert len(slack.api.of("views.open")) == 1
