"""Text is data, never markup: the escapes for plotly, Streamlit Markdown, the terminal and spreadsheet cells."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from charts.safe_text import for_markdown, for_plotly, for_terminal, spreadsheet_cell, spreadsheet_frame


@pytest.mark.parametrize(
    "text, expected",
    [
        ('<a href="http://evil">x</a>', '&lt;a href="http://evil"&gt;x&lt;/a&gt;'),
        (
            "<b>粗</b><br><span style='c'>红</span>",
            "&lt;b&gt;粗&lt;/b&gt;&lt;br&gt;&lt;span style='c'&gt;红&lt;/span&gt;",
        ),
        ("A & B", "A &amp; B"),
        ("&lt;", "&amp;lt;"),  # an entity someone typed stays the text they typed
        ("湖北省生态环境厅", "湖北省生态环境厅"),
        (None, ""),
        (46.58, "46.58"),
    ],
)
def test_for_plotly(text, expected):
    assert for_plotly(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "[点我](http://evil.example)",
        "![x](http://evil.example/x.png)",
        "<img src=http://evil.example/x.png>",
        "http://evil.example",
        "www.evil.example",
        "a@evil.example",
        "**粗** _斜_ `code` # 标题 | 表 ~删~ $x$ :red[红] \\",
        "line1\n\n# heading\r\n- item",
    ],
)
def test_for_markdown_escapes_every_ascii_punctuation(text):
    out = for_markdown(text)
    assert "\n" not in out and "\r" not in out
    # every markup character is preceded by an (unescaped) backslash, and removing the escapes gives the text back
    unescaped = []
    chars = iter(out)
    for ch in chars:
        if ch == "\\":
            unescaped.append(next(chars))
        else:
            assert not (ch.isascii() and not ch.isalnum() and ch != " "), (ch, out)
            unescaped.append(ch)
    shown = "".join(unescaped)
    assert shown.replace("\u200b", "") == text.replace("\r\n", " ").replace("\n", " ")
    # GFM finds bare links in the unescaped text: none of them may survive there
    assert not re.search(r"https?://|www\.|\w@\w", shown, re.IGNORECASE)


def test_for_markdown_keeps_chinese_and_full_width_punctuation():
    assert for_markdown("武汉市（本级）：达标。") == "武汉市（本级）：达标。"
    assert for_markdown("Sheet1") == "Sheet1"
    assert for_markdown("[x](y)") == r"\[x\]\(y\)"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("\x1b]0;title\x07ok", "\\x1b]0;title\\x07ok"),
        ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "\\x1b]8;;http://evil\\x1b\\\\link\\x1b]8;;\\x1b\\\\"),
        ("over\rwrite", "over\\rwrite"),
        ("bell\x07 nul\x00 del\x7f c1\x9b", "bell\\x07 nul\\x00 del\\x7f c1\\x9b"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("武汉 46.58%", "武汉 46.58%"),
    ],
)
def test_for_terminal(text, expected):
    out = for_terminal(text)
    assert out == expected
    assert not any(ord(c) < 32 and c not in "\t\n" for c in out) and "\x1b" not in out


@pytest.mark.parametrize(
    "cell, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-cmd", "'-cmd"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\t3", "'\t3"),
        ("-3.5", "-3.5"),
        ("-3", "-3"),
        ("+4", "+4"),
        ("-1.5e3", "-1.5e3"),
        ("-.5", "-.5"),
        ("-inf", "'-inf"),
        ("- 3", "'- 3"),
        ("武汉", "武汉"),
        ("3=3", "3=3"),
        ("", ""),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_spreadsheet_cell(cell, expected):
    assert spreadsheet_cell(cell) == expected


def test_spreadsheet_frame_keeps_negative_numbers_numeric_in_csv():
    df = pd.DataFrame({"=issuer": ['=HYPERLINK("http://x")', "\tx", "-3.5"], "margin": [-3.5, 2.0, -0.25]})
    back = pd.read_csv(io.StringIO(spreadsheet_frame(df).to_csv(index=False)), keep_default_na=False)
    assert list(back.columns) == ["'=issuer", "margin"]
    assert back["'=issuer"].tolist() == ['\'=HYPERLINK("http://x")', "'\tx", "-3.5"]
    assert back["margin"].tolist() == [-3.5, 2.0, -0.25]
    assert df.columns[0] == "=issuer"  # the caller's frame is untouched
