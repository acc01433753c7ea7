"""A new lead said in one sentence: the company, the contact person, a phone number, an e-mail
address and where it came from (`新线索 腾讯 王五 13900001111 来自展会`,
`new lead Wayne Enterprises, contact Bruce Wayne, 555-0199`).

The company is said first; the other parts are recognised by their form (a phone number, an
address with @), by a word before them (联系人, contact, 电话, from) or by how a person's name
looks (a Chinese surname with one or two characters, or a title such as 总 or 经理; two
capitalised English words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.contact_points import looks_like_phone
from domain.settings import Settings
from domain.vocabulary import Term
from handlers.sentences import words as w

_TRIGGER = re.compile(r"^.*?(?:新线索|加个线索|新的线索|有个线索|有个新客户|新客户线索"
                      r"|new lead|lead)\s*[:：,，]?\s*", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d\s-]{5,}\d")
_CONTACT_MARK = re.compile(r"^(?:联系人(?:是|为)?|contact(?: person)?(?: is)?|with)\s*[:：]?\s*",
                           re.I)
_PHONE_MARK = re.compile(r"^(?:电话|手机|phone|tel|mobile)\s*[:：]?\s*", re.I)
_SOURCE_MARK = re.compile(
    r"(?:来源(?:是)?|渠道|source(?: is)?|来自|from(?: the| a| an)?|via(?: the| a)?|referred by"
    r"|(?:at|on) the)\s*[:：]?\s*", re.I)
_SOURCE_TAIL = re.compile(r"(?:来的|介绍的|推荐的|认识的|上认识的)$")
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋"
                "蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段"
                "雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_TITLES = ("总", "经理", "总监", "先生", "女士", "小姐", "老师", "主任", "行长", "董", "工", "老板")


@dataclass
class LeadParts:
    company: str = ""
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    source: str | None = None


def _is_person(text: str) -> bool:
    """A person's name as it is written in chat: 王五, 陈总, 刘经理, Bruce Wayne."""
    if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", text):
        if any(text.endswith(title) and len(text) > len(title) for title in _TITLES):
            return True
        return text[0] in _SURNAMES and len(text) <= 3
    return bool(re.fullmatch(r"[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){1,2}", text))


def _source_of(text: str, terms: tuple[Term, ...]) -> str | None:
    """The configured source a phrase names: the longest of its words found in it."""
    said = w.plain(text)
    best: tuple[int, str] | None = None
    for term in terms:
        for word in term.words:
            folded = w.plain(word).replace("_", " ")
            hit = folded in said if not folded.isascii() else bool(
                re.search(rf"\b{re.escape(folded)}", said))
            if folded and hit and (best is None or len(folded) > best[0]):
                best = (len(folded), term.key)
    return best[1] if best else None


def _parts(rest: str) -> list[str]:
    """The pieces of the sentence: between commas, and between spaces in Chinese."""
    pieces = [p.strip() for p in re.split(r"[,，;；、]", rest) if p.strip()]
    out: list[str] = []
    for piece in pieces:
        if re.search(r"[\u4e00-\u9fff]", piece) and not _PHONE.fullmatch(piece):
            out += [p for p in re.split(r"(?<![\d+-])\s+|\s+(?![\d+-])|[:：]", piece) if p]
        else:
            out.append(piece)
    return out


def read_lead(text: str, settings: Settings) -> LeadParts:
    """The parts of a lead sentence (see the module docstring)."""
    found = LeadParts()
    rest = _TRIGGER.sub("", text, count=1).strip()
    email = _EMAIL.search(rest)
    if email:
        found.email = email.group(0)
        rest = rest.replace(email.group(0), " ")
    terms = settings.terms("source")
    pieces = _parts(rest)
    waiting: str | None = None  # a word said before its value: "联系人 方经理"
    for piece in pieces:
        if re.fullmatch(r"(?:联系人|contact|电话|手机|phone|tel|mobile|来源|渠道|source)[:：]?",
                        piece, re.I):
            waiting = "contact" if re.match(r"联系人|contact", piece, re.I) else \
                "source" if re.match(r"来源|渠道|source", piece, re.I) else "phone"
            continue
        piece = _PHONE_MARK.sub("", piece)
        phone = _PHONE.search(piece)
        if phone and looks_like_phone(phone.group(0)) and found.phone is None:
            found.phone = phone.group(0).strip()
            piece = (piece[:phone.start()] + piece[phone.end():]).strip()
            if not piece:
                continue
        marked = _SOURCE_MARK.search(piece)
        source = _source_of(piece, terms) if (marked or waiting == "source" or found.company
                                              or _SOURCE_TAIL.search(piece)) else None
        if source is not None and found.source is None:
            found.source = source
            head = piece[:marked.start()].strip() if marked else ""
            if head and not found.company:
                found.company = head
            waiting = None
            continue
        if waiting == "contact" or _CONTACT_MARK.match(piece) and found.company:
            found.contact = _CONTACT_MARK.sub("", piece).strip() or found.contact
        elif not found.company:
            found.company = piece
        elif found.contact is None and _is_person(piece):
            found.contact = piece
        waiting = None
    return found
