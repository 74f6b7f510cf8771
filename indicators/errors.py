"""The one shape of an error a person reads: the same refusal in Chinese and in English.

Pure Python, so every layer may raise it: readers (an unreadable workbook), stores (a refused rollback or target),
charts (no PNG export) and the CLI (bad arguments). Pages show `text(lang)`; the CLI prints `both()`.
"""

from __future__ import annotations

from indicators.language import in_lang


class BilingualError(Exception):
    """An error with its message in both languages; `str()` is "zh / en"."""

    def __init__(self, zh: str, en: str):
        super().__init__(zh, en)
        self.zh, self.en = zh, en

    def text(self, lang: str = "zh") -> str:
        """The message in the interface language (Chinese unless "en")."""
        return in_lang(self.zh, self.en, lang)

    def both(self, sep: str = " / ") -> str:
        """Chinese, then English: one line for a log, two (sep="\\n") for a terminal."""
        return f"{self.zh}{sep}{self.en}"

    def __str__(self) -> str:
        return self.both()
