"""A sentence that asks for nothing the bot knows: the commands nearest to its words, as
buttons, and what to write instead. Nothing is written."""

from __future__ import annotations

import re

from handlers.context import Ctx
from handlers.reply import Button, Reply
from handlers.sentences.words import plain

# Words of a sentence -> the command it was probably about (checked in this order).
NEAR: tuple[tuple[str, str], ...] = (
    (r"报价|quote|quotation", "/deals"),
    (r"发票|invoice|应收|欠", "/invoices"),
    (r"回款|收款|payment|paid|collect", "/payments"),
    (r"线索|lead", "/leads"),
    (r"商机|单子|deal|opportunit", "/deals"),
    (r"客户|customer|client|联系人|contact|电话号|phone", "/find"),
    (r"提醒|待办|remind|todo|to-do|task", "/todo"),
    (r"漏斗|pipeline|forecast|预测|业绩", "/pipeline"),
    (r"订单|合同|order|contract", "/deals"),
)
DEFAULT = ("/todo", "/deals", "/pipeline")
SHOWN = 3


def nearest_commands(text: str) -> list[str]:
    """The commands nearest to the sentence's words; the everyday ones when none is near."""
    said = plain(text)
    found = [command for pattern, command in NEAR if re.search(pattern, said)]
    for command in DEFAULT:
        found.append(command)
    return list(dict.fromkeys(found))[:SHOWN]


def not_understood(ctx: Ctx, text: str, key: str = "sentence.unknown") -> Reply:
    """The helpful answer to a sentence the bot could not turn into a command."""
    commands = nearest_commands(text)
    lines = [ctx.t(key), ctx.t("sentence.examples"), ctx.t("error.not_a_command")]
    buttons = [Button(command, command) for command in commands]
    buttons.append(Button(ctx.t("button.help"), "/help"))
    return Reply("\n".join(lines), [buttons], ok=False)
