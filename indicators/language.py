"""The two interface languages and the one place that chooses between them.

Records that carry both names (indicators, regions, periods, bilingual errors) answer `name(lang)` through
`in_lang`; the interface wording in `ui/wording.py` does the same through `pick`.
"""

from __future__ import annotations

ZH, EN = "zh", "en"
LANGS = (ZH, EN)  # Chinese first: the default everywhere


def in_lang(zh: str, en: str, lang: str = ZH) -> str:
    """The text in the language: English on "en", Chinese otherwise."""
    return en if lang == EN else zh
