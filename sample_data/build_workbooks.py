"""Write the sample quarterly workbooks of Hubei's 17 city-level units (2023 long format, 2024 wide format).

    python sample_data/build_workbooks.py

Deterministic: a fixed seed and fixed file timestamps, so re-running writes identical files. Values are synthetic
unless a published figure exists for that city and period; synthetic values are scaled so that the 17 cities average
close to the published province figures, and every cell says which kind it is (备注 column / 数据说明 sheet).
"""

from __future__ import annotations

import calendar
import csv
import io
import math
import random
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
SEED = 20240601
QUARTERS = (3, 6, 9, 12)
INDICATORS = ("pm25", "good_air_ratio", "water_good_ratio", "rural_sewage_rate")
FIXED_TIME = (2024, 1, 1, 0, 0, 0)

SRC_ANNUAL_2023 = "https://maigoo.com/news/696935.html"  # 17 cities 2023: PM2.5 37, good-air 83.3 %, composite index
SRC_1_4_2023 = "https://epaper.hubeidaily.net/pc/content/202305/17/content_224965.html"  # 1-4月: PM2.5 56, 72.3 %
SRC_1_8_2023 = "https://epaper.hubeidaily.net/pc/content/202309/19/content_243519.html"  # 1-8月: PM2.5 37, 80.7 %
SRC_WATER_2023 = "https://yechangzhixiu.vip/ktvyuding/356662.html"  # 275 river sections 2023: Ⅰ~Ⅲ类 91.1 %
SRC_QIANJIANG = "潜江市生态环境局2024年工作总结 (seed 003_1448b639da31bb50.txt)"

# 2023 ambient-air composite index by city (lower is cleaner), SRC_ANNUAL_2023: orders the cities' air quality.
COMPOSITE_2023 = {
    "神农架": 2.21,
    "恩施州": 2.93,
    "十堰": 3.14,
    "咸宁": 3.43,
    "随州": 3.77,
    "潜江": 3.77,
    "仙桃": 3.81,
    "天门": 3.81,
    "宜昌": 3.84,
    "黄冈": 3.84,
    "黄石": 3.96,
    "荆门": 4.13,
    "鄂州": 4.13,
    "孝感": 4.16,
    "荆州": 4.17,
    "武汉": 4.26,
    "襄阳": 4.37,
}
# Year-to-date province means of the 17 cities. 2023 Q4 and the shape of the year follow the published figures
# (1-4月 56 / 72.3 %, 1-8月 37 / 80.7 %, full year 37 / 83.3 %); 2024 is synthetic, a little cleaner.
PM25_YTD = {2023: (60, 45, 36, 37), 2024: (55, 41, 32, 34)}
GOOD_AIR_YTD = {2023: (70.5, 76.0, 81.5, 83.3), 2024: (74.0, 80.0, 85.0, 86.5)}
SPREAD = (1.4, 1.2, 1.05, 1.0)  # cities differ more in winter
# Assessed surface-water sections per city (synthetic) and 2024 year-end rural sewage treatment rate (synthetic;
# Hubei's 2024 target is 46.58 %, Wuhan's own 56 %: a few cities stay behind so the dashboard has gaps to show).
SECTIONS = {
    "武汉": 24,
    "黄石": 12,
    "十堰": 18,
    "宜昌": 20,
    "襄阳": 22,
    "鄂州": 8,
    "荆门": 15,
    "孝感": 14,
    "荆州": 20,
    "黄冈": 24,
    "咸宁": 14,
    "随州": 10,
    "恩施州": 18,
    "仙桃": 6,
    "潜江": 7,
    "天门": 6,
    "神农架": 4,
}
SEWAGE_2024 = {
    "武汉": 55.2,
    "黄石": 52.4,
    "十堰": 49.6,
    "宜昌": 58.3,
    "襄阳": 47.8,
    "鄂州": 61.2,
    "荆门": 50.5,
    "孝感": 45.3,
    "荆州": 44.1,
    "黄冈": 47.2,
    "咸宁": 51.7,
    "随州": 48.4,
    "恩施州": 40.2,
    "仙桃": 49.3,
    "潜江": 41.41,
    "天门": 48.1,
    "神农架": 37.4,
}
# Published city figures used as they are: (city, year, period, indicator) → (value, source).
REAL = {
    ("潜江", 2024, 12, "pm25"): (31, SRC_QIANJIANG),
    ("潜江", 2024, 12, "good_air_ratio"): (94.0, SRC_QIANJIANG),
    ("潜江", 2024, 12, "rural_sewage_rate"): (41.41, SRC_QIANJIANG),
}
BASIS = {
    "pm25": f"全省均值及城市综合指数排名参照 {SRC_ANNUAL_2023}、{SRC_1_4_2023}、{SRC_1_8_2023}",
    "good_air_ratio": f"全省均值参照 {SRC_ANNUAL_2023}、{SRC_1_4_2023}、{SRC_1_8_2023}",
    "water_good_ratio": f"全省水平参照 {SRC_WATER_2023}",
    "rural_sewage_rate": "参照湖北省2024年目标46.58%（seed 000_db2cb1991d068b04.txt）",
}
UNITS = {"pm25": "μg/m³", "good_air_ratio": "%", "water_good_ratio": "%", "rural_sewage_rate": "%"}
LONG_NAMES = {
    "pm25": "PM2.5浓度",
    "good_air_ratio": "优良天数比例",
    "water_good_ratio": "Ⅰ~Ⅲ类断面比例",
    "rural_sewage_rate": "农村生活污水治理率",
}
WIDE_HEADERS = [
    "序号",
    "地区",
    "PM2.5浓度(μg/m³)",
    "优良天数比例(%)",
    "地表水Ⅰ~Ⅲ类断面比例(%)",
    "农村生活污水治理率(%)",
]


def hubei_cities() -> list[tuple[str, str]]:
    """(code, short name) of Hubei's 17 city-level units, in code order, from regions.csv."""
    with open(HERE / "regions.csv", encoding="utf-8") as fh:
        return [(r["code"], r["short_name"]) for r in csv.DictReader(fh) if r["parent_code"] == "420000"]


def _days(year: int, period: int) -> int:
    return sum(calendar.monthrange(year, m)[1] for m in range(1, period + 1))


def _centred(raw: dict[str, float], mean: float) -> dict[str, float]:
    shift = mean - sum(raw.values()) / len(raw)
    return {k: v + shift for k, v in raw.items()}


def generate(rng: random.Random) -> dict[tuple[str, int, int, str], float]:
    """Every value: (city, year, period, indicator) → value, with the indicator's decimals."""
    names = [name for _, name in hubei_cities()]
    mean_index = sum(COMPOSITE_2023.values()) / len(COMPOSITE_2023)
    out: dict[tuple[str, int, int, str], float] = {}
    pm_2023 = _centred({c: 37 + 11 * (COMPOSITE_2023[c] - mean_index) + rng.uniform(-1, 1) for c in names}, 37)
    air_2023 = _centred({c: 83.3 - 10 * (COMPOSITE_2023[c] - mean_index) + rng.uniform(-1.5, 1.5) for c in names}, 83.3)
    annual = {
        (2023, "pm25"): pm_2023,
        (2024, "pm25"): {c: pm_2023[c] * 34 / 37 * rng.uniform(0.96, 1.04) for c in names},
        (2023, "good_air_ratio"): air_2023,
        (2024, "good_air_ratio"): {c: min(99.5, air_2023[c] + 3.2 + rng.uniform(-1.5, 1.5)) for c in names},
    }
    for year in (2023, 2024):
        for (city, y, p, ind), (value, _) in REAL.items():
            if y == year and p == 12 and (year, ind) in annual:
                annual[(year, ind)][city] = value  # the real year-end figure anchors that city's whole year
        for c in names:
            for q, period in enumerate(QUARTERS):
                pm = annual[(year, "pm25")][c] * PM25_YTD[year][q] / PM25_YTD[year][3]
                out[(c, year, period, "pm25")] = round(pm * (1 if period == 12 else rng.uniform(0.97, 1.03)))
                dev = annual[(year, "good_air_ratio")][c] - GOOD_AIR_YTD[year][3]
                ratio = min(
                    100.0, GOOD_AIR_YTD[year][q] + dev * SPREAD[q] + (0 if period == 12 else rng.uniform(-1, 1))
                )
                days = _days(year, period)  # a share of monitored days, as the bulletins compute it
                out[(c, year, period, "good_air_ratio")] = round(round(ratio * days / 100) / days * 100, 1)
    for c in names:
        n = SECTIONS[c]
        base = min(n, max(math.ceil(0.8 * n), round(n * rng.uniform(0.84, 0.99))))
        end_2024 = SEWAGE_2024[c] if c == "潜江" else SEWAGE_2024[c] + rng.uniform(-0.3, 0.3)
        end_2023 = end_2024 - rng.uniform(3, 6)
        end_2022 = end_2023 - rng.uniform(3, 6)
        for year, start, end in ((2023, end_2022, end_2023), (2024, end_2023, end_2024)):
            for q, period in enumerate(QUARTERS):
                good = min(n, max(math.ceil(0.8 * n), base + rng.choice((-1, 0, 0, 1))))
                out[(c, year, period, "water_good_ratio")] = round(good / n * 100, 1)
                share = (0.15, 0.4, 0.7, 1.0)[q]
                out[(c, year, period, "rural_sewage_rate")] = round(start + (end - start) * share, 2)
    for key, (value, _) in REAL.items():
        out[key] = value
    return out


def note_for(city: str, year: int, period: int, indicator: str) -> str:
    real = REAL.get((city, year, period, indicator))
    return f"实际值(real)：{real[1]}" if real else f"合成数据(synthetic)；{BASIS[indicator]}"


def _period_text(period: int) -> str:
    return f"1-{period}月"


def write_long(path: Path, values: dict, year: int) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append([f"{year}年湖北省各市州环境质量季度数据(累计)"])
    ws.merge_cells("A1:G1")
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["地区", "年份", "期间", "指标", "数值", "单位", "备注"])
    for period in QUARTERS:
        for _, city in hubei_cities():
            for ind in INDICATORS:
                ws.append(
                    [
                        city,
                        year,
                        _period_text(period),
                        LONG_NAMES[ind],
                        values[(city, year, period, ind)],
                        UNITS[ind],
                        note_for(city, year, period, ind),
                    ]
                )
    for col, width in zip("ABCDEFG", (10, 8, 10, 20, 10, 8, 60), strict=True):
        ws.column_dimensions[col].width = width
    notes = wb.create_sheet("说明")
    for line in (
        ["样例数据说明 / About this sample"],
        [
            f"本工作簿为演示用样例：{year}年湖北省17个市州（含直管市、林区）按季度累计（1-3月、1-6月、1-9月、1-12月）的四项指标。"
        ],
        ["除“备注”列标为“实际值(real)”的单元格外，所有数值均为合成数据(synthetic)，仅用于演示，不是官方监测结果。"],
        [
            "合成方法：全省17个重点城市的均值贴近公开数据（2023年PM2.5 1-4月56、1-8月37、全年37 μg/m³；优良天数比例全年83.3%），"
            "各城市PM2.5与优良天数比例按2023年城市环境空气质量综合指数排名（神农架最好，襄阳最差）分布；固定随机种子，可重复生成。"
        ],
        [f"来源 Sources: {SRC_ANNUAL_2023} ; {SRC_1_4_2023} ; {SRC_1_8_2023} ; {SRC_WATER_2023}"],
        [
            f"This workbook is a demonstration sample: four indicators for Hubei's 17 city-level units in {year}, "
            "year-to-date by quarter (Jan–Mar, Jan–Jun, Jan–Sep, Jan–Dec)."
        ],
        [
            "Every value is SYNTHETIC unless its 备注 (note) cell says 实际值(real); synthetic values are not official data."
        ],
        [
            "Method: the 17-city means follow the published province figures above; cities are ordered by the published "
            "2023 air-quality composite index; a fixed random seed makes the file reproducible (sample_data/build_workbooks.py)."
        ],
    ):
        notes.append(line)
    notes.column_dimensions["A"].width = 120
    _save(wb, path)


def write_wide(path: Path, values: dict, year: int) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    real_cells = []
    for q, period in enumerate(QUARTERS, start=1):
        ws = wb.create_sheet(f"{year}年Q{q}")
        ws.append([f"{year}年{_period_text(period)}湖北省各市州环境质量状况"])
        ws.merge_cells("A1:F1")
        ws["A1"].font, ws["A1"].alignment = Font(bold=True, size=14), Alignment(horizontal="center")
        ws.append(WIDE_HEADERS)
        for i, (_, city) in enumerate(hubei_cities(), start=1):
            ws.append([i, city, *(values[(city, year, period, ind)] for ind in INDICATORS)])
            for col, ind in zip("CDEF", INDICATORS, strict=True):
                if (city, year, period, ind) in REAL:
                    real_cells.append(
                        (
                            ws.title,
                            f"{col}{i + 2}",
                            city,
                            LONG_NAMES[ind],
                            values[(city, year, period, ind)],
                            REAL[(city, year, period, ind)][1],
                        )
                    )
        for col, width in zip("ABCDEF", (6, 10, 18, 16, 24, 22), strict=True):
            ws.column_dimensions[col].width = width
    notes = wb.create_sheet("数据说明")
    notes.append(
        ["工作表 sheet", "单元格 cells", "地区 region", "指标 indicator", "数值 value", "性质 kind", "来源 source"]
    )
    for q in range(1, 5):
        notes.append(
            [
                f"{year}年Q{q}",
                "C3:F19",
                "17个市州",
                "全部 all",
                "",
                "合成数据(synthetic)",
                f"除下列实际值外均为合成数据 / synthetic except the real cells listed below; method: {BASIS['pm25']}",
            ]
        )
    for sheet, cell, city, ind, value, source in real_cells:
        notes.append([sheet, cell, city, ind, value, "实际值(real)", source])
    notes.append([])
    notes.append(
        ["合成数据仅用于演示，不是官方监测结果。Synthetic values are for demonstration only, not official data."]
    )
    for col, width in zip("ABCDEFG", (12, 10, 10, 18, 8, 18, 90), strict=True):
        notes.column_dimensions[col].width = width
    _save(wb, path)


def _save(wb: Workbook, path: Path) -> None:
    """Save with fixed timestamps inside the zip and in docProps/core.xml, so the bytes do not change between runs."""
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def main() -> None:
    values = generate(random.Random(SEED))
    write_long(HERE / "hubei_2023_long.xlsx", values, 2023)
    write_wide(HERE / "hubei_2024_wide.xlsx", values, 2024)
    for year in (2023, 2024):
        for ind in INDICATORS:
            mean = sum(v for (c, y, p, i), v in values.items() if y == year and p == 12 and i == ind) / 17
            print(f"{year} {ind:18s} 17-city full-year mean {mean:.2f}")


if __name__ == "__main__":
    main()
