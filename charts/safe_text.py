"""Text is data, never markup: one escape per place where text typed by a person (issuer, clause, sheet name,
cell) reaches another person — a plotly figure, a Streamlit message, a terminal, a spreadsheet cell.

Pure functions: no streamlit, no plotly import.
"""

from __future__ import annotations

import html
import re

import pandas as pd

# Plotly renders a subset of HTML in every text it draws (<a href> becomes a live SVG link, <br>, <b>, <span style>
# apply). Escaping & < > turns all of it into literal text; quotes stay as they are, because plotly decodes only a
# few named entities (&amp; &lt; &gt; but not &quot;) and would draw "&quot;" — without "<" there is no tag anyway.


def for_plotly(text: object) -> str:
    """The text as plotly shows it literally: no tag, link or entity in it takes effect."""
    return html.escape("" if text is None else str(text), quote=False)


# Streamlit's Markdown (CommonMark + GFM + its own :color[…], :emoji:, $math$) lets any ASCII punctuation be
# backslash-escaped, which makes [links](…), ![images](…), <html>, headings and lists plain text. GFM's bare
# autolinks (http://…, www.…, a@b.c) are found after the escapes are resolved, in the plain text: a zero-width
# space after ':' and '@' and after 'www' before '.' breaks them without changing what the reader sees.
_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(r"(?<=[:@])|(?i:(?<=www))(?=\.)")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def for_markdown(text: object) -> str:
    """The text as Streamlit Markdown shows it literally, on one line: no link, image, HTML, heading or list."""
    plain = _LINE_BREAKS.sub(" ", _CONTROL.sub("", "" if text is None else str(text)))
    return _MD_PUNCT.sub(r"\\\1", _AUTOLINK.sub("\u200b", plain))


# ESC sequences (CSI, OSC, other two-byte escapes), then any C0 control but tab and newline, DEL, C1 controls and
# the bidirectional overrides that reorder what a terminal shows.
_ESC_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clear screen
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window title, hyperlinks (OSC 8)
    r"|\x1b[@-Z\\-_]"  # other Fe escapes
)
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match) -> str:
    return match.group(0).encode("unicode_escape").decode("ascii")


def for_terminal(text: object) -> str:
    """The text safe to print: escape sequences and control characters (but tab and newline) shown as \\xNN."""
    plain = "" if text is None else str(text)
    return _TERMINAL_CONTROL.sub(_visible, _ESC_SEQUENCE.sub(_visible, plain))


# A spreadsheet runs a cell that begins with one of these as a formula (tab and CR: OWASP "CSV injection").
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_cell(value: object) -> object:
    """The value for a CSV or XLSX cell: text a spreadsheet would run as a formula gets a leading quote;
    numbers, and text that is a plain number ('-3.5'), stay as they are."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_PREFIXES) or _NUMBER.fullmatch(value):
        return value
    return "'" + value


def spreadsheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of the frame with every text cell and header through spreadsheet_cell; number columns untouched."""
    safe = df.copy()
    for col in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[col]):
            safe[col] = safe[col].map(spreadsheet_cell)
    safe.columns = [spreadsheet_cell(str(c)) for c in safe.columns]
    return safe
