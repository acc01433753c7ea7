"""How a mistake in config.toml is told: one `ConfigError` naming the file, the key path
(`pipeline.stages[2].probability`, list positions from 0), what is wrong and how to fix it.

pydantic finds the mistakes; this module words them. Its own error types (a missing key, an
unknown one, a wrong type, a number out of range) are described from the models themselves:
the known keys of the table, the field's `examples` and `description`, the model's `title`.
The checks written for config.toml raise `mistake(problem, fix)`, already worded.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails, PydanticCustomError

MISTAKE = "config"  # the error type of the checks written for config.toml
NOT_A_NUMBER = "number_type"  # raised by the TOML number reader (ints and floats only)

_WORD = re.compile(r"[A-Za-z0-9_-]+")
# pydantic's error types for a value of the wrong TOML type, and the type that was wanted
_WANTED = {"string_type": "a string", "int_type": "a whole number", NOT_A_NUMBER: "a number",
           "list_type": "an array", "model_type": "a table", "dict_type": "a table"}


class ConfigError(Exception):
    """A problem in the configuration file, explained in one message.

    `file` is the file, `key` the key path (None for problems with the file as a whole),
    `problem` what is wrong and `fix` how to put it right. When the file has more mistakes,
    `others` holds them, each worded the same way, and the message lists them after the first.
    """

    def __init__(self, file: str, key: str | None, problem: str, fix: str,
                 others: Sequence[str] = ()) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        self.fix = fix
        self.others = tuple(others)
        where = f"{file}, at {key}" if key else file
        also = "".join(f"\nAlso at {other}" for other in self.others)
        super().__init__(f"Error in {where}: {_sentence(problem, fix)}{also}")


def _sentence(problem: str, fix: str) -> str:
    stop = "" if problem.endswith(("?", ".", "!")) else "."
    return f"{problem}{stop} To fix it, {fix}."


def mistake(problem: str, fix: str, at: tuple[str | int, ...] = ()) -> PydanticCustomError:
    """A worded mistake for a validator to raise; `at` names a place below the checked value
    (`(1, "key")`: the key of its second entry)."""
    return PydanticCustomError(MISTAKE, "{problem}", {"problem": problem, "fix": fix, "at": at})


def show(value: Any) -> str:
    """A value as it would look in TOML, kept short."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif isinstance(value, dict):
        text = "{ " + ", ".join(f"{k} = {show(v)}" for k, v in value.items()) + " }"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(show(item) for item in value) + "]"
    else:
        text = str(value)
    return text if len(text) <= 90 else text[:87] + "..."


def type_of(value: Any) -> str:
    """The TOML type of a value, in words."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float | Decimal):
        return "a decimal number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date/time"


def closest(word: str, choices: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def listing(choices: Iterable[str]) -> str:
    return ", ".join(f'"{choice}"' for choice in choices)


def key_path(loc: Iterable[str | int]) -> str:
    """`("pipeline", "stages", 2, "key")` -> `pipeline.stages[2].key`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part != "[key]":  # pydantic's mark for a mistake in a table's key, not its value
            name = part if _WORD.fullmatch(part) else show(part)
            path = f"{path}.{name}" if path else name
    return path


# ------------------------------------------------------------------ the models' own words


class _Told(NamedTuple):
    """One mistake in words; an unknown key close to a known one says which it `meant`."""

    loc: tuple[str | int, ...]
    problem: str
    fix: str
    unknown: bool = False
    meant: tuple[str | int, ...] | None = None


@dataclass
class _Place:
    """What the models say about one key path: the table holding it, its field, its type."""

    table: type[BaseModel] | None = None
    field: FieldInfo | None = None
    example: Any = None
    annotation: Any = None


def _keys(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields by the names written in the file."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _bare(annotation: Any) -> Any:
    """The type under `Annotated[...]` and `X | None`."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


def _is_table(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _place(root: type[BaseModel], loc: Sequence[str | int]) -> _Place:
    """Follow `loc` through the models; examples given higher up serve the parts below."""
    place = _Place(annotation=root)
    for part in loc:
        annotation, example = place.annotation, place.example
        if _is_table(annotation):
            info = _keys(annotation).get(str(part))
            if info is None:
                return _Place(table=annotation)
            own = info.examples[0] if info.examples else None
            inherited = example.get(part) if isinstance(example, dict) else None
            place = _Place(annotation, info, own if own is not None else inherited,
                           _bare(info.annotation))
        elif get_origin(annotation) in (list, tuple) and isinstance(part, int):
            first = example[0] if isinstance(example, list) and example else None
            place = _Place(example=first, annotation=_bare(get_args(annotation)[0]))
        elif get_origin(annotation) is dict and part != "[key]":
            first = next(iter(example.values()), None) if isinstance(example, dict) else None
            place = _Place(example=first, annotation=_bare(get_args(annotation)[1]))
    return place


def _bounds(field: FieldInfo | None) -> tuple[Any, Any]:
    low = high = None
    for rule in field.metadata if field is not None else ():
        low = getattr(rule, "ge", low)
        high = getattr(rule, "le", high)
    return low, high


def _like(place: _Place) -> str:
    return f", like {show(place.example)}" if place.example is not None else ""


def _unknown_key(root: type[BaseModel], loc: tuple[str | int, ...]) -> _Told:
    name, where = str(loc[-1]), loc[:-1]
    if not where:
        sections = list(_keys(root))
        suggestion = closest(name, sections)
        if suggestion is not None:
            return _Told(loc, f"there is no section called [{name}]; did you mean "
                         f"[{suggestion}]?", f"rename it to [{suggestion}] or remove it", True)
        home = [section for section, info in _keys(root).items()
                if _is_table(_bare(info.annotation)) and name in _keys(_bare(info.annotation))]
        if home:
            return _Told(loc, f'"{name}" is not a section, and settings cannot stand outside '
                         "one", f"move it below the [{home[0]}] header", True)
        return _Told(loc, f"there is no section called [{name}]",
                     f"remove it or use one of the known sections: {listing(sections)}", True)
    table = _place(root, where).annotation
    known = list(_keys(table)) if _is_table(table) else []
    label = f"[{where[0]}]" if len(where) == 1 else key_path(where)
    suggestion = closest(name, known)
    if suggestion is not None:
        return _Told(loc, f'there is no setting called "{name}" in {label}; did you mean '
                     f'"{suggestion}"?', f'rename it to "{suggestion}" or remove it', True,
                     where + (suggestion,))
    return _Told(loc, f'there is no setting called "{name}" in {label}',
                 f"remove it or use one of the known settings: {listing(known)}", True)


def _missing(place: _Place, name: str, value: Any) -> tuple[str, str]:
    title = (place.table.model_config.get("title") if place.table else None) or "table"
    key = value.get("key") if isinstance(value, dict) else None
    whose = f'the {title} "{key}"' if isinstance(key, str) and name != "key" else f"this {title}"
    example = show(place.example) if place.example is not None else "..."
    return f"{whose} has no {name}", f"add {name} = {example}{_about(place)}"


def _about(place: _Place) -> str:
    about = place.field.description if place.field is not None else None
    return f" ({about})" if about else ""


def _told(root: type[BaseModel], error: ErrorDetails) -> _Told:
    """One pydantic error in words."""
    loc, kind, value = tuple(error["loc"]), error["type"], error["input"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(root, loc)
    place = _place(root, loc)
    if kind == MISTAKE:  # its fix may show the field's example
        example = show(place.example) if place.example is not None else "..."
        return _Told(loc + tuple(ctx["at"]), ctx["problem"],
                     ctx["fix"].replace("{example}", example))
    if kind == "missing":
        return _Told(loc, *_missing(place, str(loc[-1]), value))
    if kind in _WANTED and len(loc) == 1:
        return _Told(loc, f"[{loc[0]}] must be a section (a table), but it is {type_of(value)}",
                     f"write it as a section header [{loc[0]}] followed by its settings")
    if kind in _WANTED:
        wanted = _WANTED[kind]
        problem = f"this must be {wanted}, but it is {type_of(value)} ({show(value)})"
        if wanted == "a string":
            return _Told(loc, problem, f"put the value in double quotes{_like(place)}")
        if wanted in ("a number", "a whole number"):
            return _Told(loc, problem, f"write {wanted} without quotes{_like(place)}")
        like = f"like {show(place.example)}" if place.example is not None else f"as {wanted}"
        return _Told(loc, problem, f"write it {like}")
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = _bounds(place.field)
        span = f"from {low} to {high}" if low is not None and high is not None \
            else f"{low} or more" if low is not None else f"{high} or less"
        number = "a whole number" if place.annotation is int else "a number"
        return _Told(loc, f"{show(value)} is out of range; it must be {span}",
                     f"set {number} {span}{_like(place)}")
    if kind == "finite_number":
        return _Told(loc, f"{value} is not a usable number",
                     f"write an ordinary number{_like(place)}")
    if kind == "string_too_short":
        return _Told(loc, "this must not be empty", f"set it{_like(place)}")
    if kind == "too_short":
        return _Told(loc, "the list is empty", f"list at least one{_like(place)}{_about(place)}")
    return _Told(loc, error["msg"], f"correct the value{_like(place)}")


def config_error(file: str, root: type[BaseModel], error: ValidationError) -> ConfigError:
    """The mistakes pydantic found in `file`, unknown keys first: a typo often explains a
    missing key, which is then not told again."""
    told = [_told(root, details) for details in error.errors()]
    meant = {t.meant for t in told if t.meant}
    told = sorted((t for t in told if t.loc not in meant), key=lambda t: not t.unknown)
    first, rest = told[0], told[1:]
    others = [f"{key_path(t.loc)}: {_sentence(t.problem, t.fix)}" for t in rest]
    return ConfigError(file, key_path(first.loc), first.problem, first.fix, others)
