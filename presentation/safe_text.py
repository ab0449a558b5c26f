"""Untrusted text (article-derived or user-given) made safe to show on a terminal or in Prefect's UI.

The control characters here are Unicode category Cc less tab and newline: carriage return, vertical
tab and form feed rewrite what a terminal shows, so they count. (transforms/decode.py has its own,
different set: there \\v \\f \\r are layout in input text, not something to hide.)
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(value: object) -> str:
    """A cell as text with control characters (terminal escapes) shown, not executed."""
    text = "" if value is None else str(value)
    return CONTROL_CHARACTERS.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def one_line(value: object) -> str:
    """``value`` as one line of text: control characters dropped, newlines made spaces."""
    return CONTROL_CHARACTERS.sub("", str(value)).replace("\n", " ")
