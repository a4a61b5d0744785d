"""A plain property reader for the cards vobject's parser refuses.

vobject gives up on a whole card for one line it cannot parse (a comment, a stray QP
fragment, a parameter with an odd character). A person reading the file would still see
the name and the email; so does this reader: it takes each logical line as
[group.]NAME[;PARAMS]:VALUE and skips, with a warning, only the lines that are not.
"""

from __future__ import annotations

import re

from crm.services.io.vcard_values import Prop, make_params

_NAME = re.compile(r"[A-Za-z0-9_-]+")


def _split_unquoted(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == sep and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _colon(line: str) -> int:
    """The first colon outside double quotes, or -1."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return index
    return -1


def parse_line(line: str, number: int) -> Prop | None:
    colon = _colon(line)
    if colon <= 0:
        return None
    head, value = line[:colon], line[colon + 1 :]
    pieces = _split_unquoted(head, ";")
    group, _, name = pieces[0].strip().rpartition(".")
    if not _NAME.fullmatch(name):
        return None
    pairs: list[list[str]] = []
    for piece in pieces[1:]:
        key, eq, values = piece.partition("=")
        if not key.strip():
            continue
        if eq:
            pairs.append(
                [key.strip(), *(v.strip().strip('"') for v in _split_unquoted(values, ","))]
            )
        else:
            pairs.append([key.strip()])
    return Prop(number, group, name.replace("_", "-").upper(), make_params(pairs), value)


def read_props(lines: tuple[tuple[int, str], ...]) -> tuple[list[Prop], list[str]]:
    props: list[Prop] = []
    skipped: list[str] = []
    for number, line in lines:
        prop = parse_line(line, number)
        if prop is None:
            skipped.append(f"line {number}: skipped unreadable line “{line[:40]}”")
        else:
            props.append(prop)
    return props, skipped
