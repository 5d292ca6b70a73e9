"""Text from documents made inert wherever people read it: the terminal, HTML reports, SVG,
DOT and Mermaid diagrams.

Documents are written by others, and a name may hold characters a screen obeys rather than
shows. Control characters are removed: an ESC starts a terminal escape sequence (``ESC[2J``
clears the screen, ``ESC[8m`` hides what follows), U+009B is the same in eight bits, and NUL
and most other controls are not allowed in XML or HTML. The bidirectional override and isolate
controls (U+202A-U+202E, U+2066-U+2069) reorder the text after them, so that a name can read
differently from what it holds: each is shown as its code, ``[U+202E]``, so that a reader sees
that the name holds one.

Every writer of text for people (the CLI's tables and messages, the diagrams, the reports)
passes names through ``visible`` or ``one_line``; the escaping each format needs on top (rich
markup, XML, Mermaid, Markdown) is the writer's. ``why_not_a_name`` tells a name that shows
nothing at all, which every loader rejects like an empty one.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["blank", "one_line", "visible", "why_not_a_name"]

# C0 controls but tab and newline, DEL, C1 controls, lone surrogates and the two
# noncharacters XML cannot hold
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Unicode's Default_Ignorable_Code_Point characters outside the format (Cf) category: drawn as
# nothing (the Hangul fillers, variation selectors, combining grapheme joiner, tags)
_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2065\u3164\ufe00-\ufe0f\uffa0"
    "\ufff0-\ufff8\U000e0000-\U000e0fff]"
)


def visible(text: str) -> str:
    """Return ``text`` without control characters (tab and newline are kept) and with each
    bidirectional override or isolate written as its code, e.g. ``[U+202E]``."""
    text = _CONTROLS.sub("", text)
    return _BIDI_CONTROLS.sub(lambda match: f"[U+{ord(match.group()):04X}]", text)


def one_line(text: str) -> str:
    """Return ``visible(text)`` on one line, each run of white space made one space: what
    every diagram, report and error message shows of a name."""
    return " ".join(visible(text).split())


def blank(text: str) -> bool:
    """Return whether ``text`` shows nothing: it is empty or holds only white space, control
    and format characters (a zero-width space, a bidi mark, a byte-order mark) and the other
    characters Unicode says to draw as nothing."""
    return all(
        char.isspace() or unicodedata.category(char) in ("Cc", "Cf") or _IGNORABLE.match(char)
        for char in text
    )


def why_not_a_name(text: str, what: str) -> str | None:
    """Return why ``text`` cannot be ``what`` (say "the service name"), a name that shows
    nothing: "the service name is empty" or "the service name holds only invisible characters
    (U+200B)"; None for a name that shows something."""
    if not blank(text):
        return None
    hidden = sorted({f"U+{ord(char):04X}" for char in text if not char.isspace()})
    if not hidden:
        return f"{what} is empty"
    return f"{what} holds only invisible characters ({', '.join(hidden)})"
