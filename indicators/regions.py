"""Administrative regions (GB/T 2260 codes) and the names bulletins use for them."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from indicators.catalog import SAMPLE_DATA, normalize_label
from indicators.language import in_lang

_SUFFIXES = ("土家族苗族自治州", "自治州", "林区", "市", "州", "省")
# Markers stuck to names in bulletins: "武汉*", "恩施州①", "襄阳(注)".
_MARKERS = re.compile(r"[*＊※#△▲①-⑩]|[（(][^）)]*[）)]$")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    level: str
    parent_code: str | None
    name_en: str = ""

    def full_name(self, lang: str = "zh") -> str:
        """As a title or a picker names it: 湖北省 in Chinese; Hubei in English (the short name when none is known)."""
        return in_lang(self.name, self.name_en or self.short_name, lang)

    def short_in(self, lang: str = "zh") -> str:
        """As tables and charts name it: 武汉 in Chinese; Wuhan in English (the short name when none is known)."""
        return in_lang(self.short_name, self.name_en or self.short_name, lang)


class RegionIndex:
    """Regions by code, with name resolution and the ancestor chain."""

    def __init__(self, regions: list[Region]):
        self.by_code: dict[str, Region] = {r.code: r for r in regions}
        self._by_name: dict[str, str] = {}
        self._suggested: dict[str, list[str]] = {}
        self._labels: tuple[list[str], list[str], list[float]] | None = None
        for r in regions:
            for label in (r.code, r.name, r.short_name, r.name_en, *r.aliases):
                if label:
                    self._by_name.setdefault(_fold(label), r.code)

    def __iter__(self):
        return iter(self.by_code.values())

    def __getitem__(self, code: str) -> Region:
        return self.by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def resolve(self, name: object) -> str | None:
        """The region code for a code, full name, short name or alias, or None."""
        if name is None:
            return None
        text = str(name).strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]  # codes read from numeric cells
        key = _fold(text)
        if key in self._by_name:
            return self._by_name[key]
        stripped = _fold(_MARKERS.sub("", text))
        if stripped in self._by_name:
            return self._by_name[stripped]
        for suffix in _SUFFIXES:
            if stripped.endswith(suffix) and stripped[: -len(suffix)] in self._by_name:
                return self._by_name[stripped[: -len(suffix)]]
        return None

    def suggest(self, name: object, n: int = 3) -> list[str]:
        """The closest known short names, for an unknown name's problem message; computed once per distinct name
        (a hostile sheet may hold thousands of unknown names, each repeated)."""
        text = _MARKERS.sub("", str(name)).strip()[:64]
        if text not in self._suggested:
            if len(self._suggested) > 10_000:
                self._suggested.clear()
            self._suggested[text] = self._closest(text, n)
        return self._suggested[text]

    def _closest(self, text: str, n: int) -> list[str]:
        if self._labels is None:
            pairs: dict[str, tuple[str, float]] = {}
            for r in self.by_code.values():
                for label in (r.short_name, r.name, *r.aliases):
                    # On a tie the region's own name beats another's alias (武昌: 武汉 before 武清区's alias 武清).
                    pairs.setdefault(label, (r.short_name, 0.0 if label in r.aliases else 0.01))
            self._labels = (list(pairs), [short for short, _ in pairs.values()], [b for _, b in pairs.values()])
        labels, shorts, canonical = self._labels
        scores = process.cdist([text], labels, scorer=fuzz.ratio, workers=1)[0] / 100
        first = [(0.2 if label[:1] == text[:1] else 0.0) + c for label, c in zip(labels, canonical, strict=True)]
        scored = sorted(
            zip((s + f for s, f in zip(scores, first, strict=True)), shorts, strict=True), key=lambda x: -x[0]
        )
        out: list[str] = []
        for score, short in scored:
            if score >= 0.3 and short not in out:
                out.append(short)
                if len(out) == n:
                    break
        return out

    def children(self, code: str) -> list[Region]:
        return [r for r in self.by_code.values() if r.parent_code == code]

    def unit_kind(self, province: str) -> str:
        """What the province's units are: "cities" (市州), or for a municipality "districts" (区), or
        "districts_counties" (区县) when some of them are counties (重庆)."""
        if not self.by_code[province].name.endswith("市"):
            return "cities"
        counties = any(not r.name.endswith("区") for r in self.children(province))
        return "districts_counties" if counties else "districts"

    def ancestors(self, code: str) -> list[str]:
        """Parent, grandparent, … up to the nation (nearest first)."""
        out: list[str] = []
        parent = self.by_code[code].parent_code if code in self.by_code else None
        while parent and parent in self.by_code and parent not in out:
            out.append(parent)
            parent = self.by_code[parent].parent_code
        return out

    def name(self, code: str, lang: str = "zh") -> str:
        r = self.by_code.get(code)
        if r is None:
            return code
        return r.short_in(lang)


def _fold(text: str) -> str:
    return normalize_label(text)


def load_regions(path: Path | None = None) -> RegionIndex:
    """Read the regions CSV shipped in sample_data/."""
    path = path or SAMPLE_DATA / "regions.csv"
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return RegionIndex(
        [
            Region(
                code=r["code"],
                name=r["name"],
                short_name=r["short_name"],
                aliases=tuple(a for a in r["aliases"].split("|") if a),
                level=r["level"],
                parent_code=r["parent_code"] or None,
                name_en=r.get("name_en", ""),
            )
            for r in rows
        ]
    )
