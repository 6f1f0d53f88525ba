"""Text as the text exports need it: on one line, as LaTeX for a BibTeX field, or verbatim for a
URL. Shared by the survey's exports and the citation files of its pages."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

# Month names written out, not the locale's (strftime's %B follows the machine's language).
MONTH_NAMES = "January February March April May June July August September October November December".split()


def long_date(day: date) -> str:
    """A day as the survey writes it in prose: "5 March 2025"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


# HTML's void elements: a tag that opens one closes it, and it holds nothing.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)

# Control characters, and the bidirectional embeddings, overrides and isolates that make text read
# in another order than it is stored, are no part of a title or a name in a text file.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """The text on one line: every run of white space (newlines too) one space, control characters
    dropped. BibTeX reads white space that way itself; llms.txt lists one item a line."""
    return _CONTROL.sub("", " ".join(text.split()))


# LaTeX's special characters, each as a command that prints it. Braces become commands, not \{ and
# \}: BibTeX counts every brace, escaped or not, and one left unmatched ends the field or the entry.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # In LaTeX's default font encoding (OT1) these print as other characters.
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX)) + "]")
# Pairs LaTeX would typeset as one character (-- an en dash, `` and '' curly quotes, ,, a low
# quote, !` and ?` inverted marks) are kept apart by an empty group.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=,)(?=,)|(?<=[!?])(?=`)")


def latex_text(text: str) -> str:
    """Text as LaTeX that prints it as written: a BibTeX field value with no command of its own
    and only balanced braces, whatever the text holds. Other characters stay as they are (UTF-8)."""
    escaped = _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group()], one_line(text))
    return _LIGATURE.sub("{}", escaped)


# What a URL or a DOI may hold as it is: printable ASCII but braces and the backslash, which BibTeX
# and LaTeX would read (the URL type refuses white space, control characters and backslashes;
# a DOI is only "10.NNNN/ and no white space"). Anything else is percent-encoded, the same URL.
_VERBATIM_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "{}\\")


def verbatim(value: str) -> str:
    """A URL or DOI for a field BibTeX styles print verbatim (in \\url): never LaTeX-escaped."""
    return quote(value, safe=_VERBATIM_SAFE)
