"""The quarterly briefing (季度通报): the Word document agrees with `cli.py gaps` and reads as a 通报 (counts that add
up, no verdict on an ungraded figure, units and brackets as documents write them, tables kept whole, charts legible
in print); a municipality briefs its districts. Templates and the PDF: tests/test_briefing_templates.py."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn

import cli
from charts.export import PngExporter, browser_path, printed_points
from charts.gaps import gap_bar_figure
from data_loaders.db import make_engine
from data_loaders.reports import gap_table, with_names
from indicators.targets import COMPARATOR_SIGNS
from reports.briefing import briefing_context, build_briefing
from reports.context import ranking
from reports.render import CHART_MIN_POINTS, CHART_WIDTH_CM, CHART_WIDTH_PX, chart_zoom, smallest_font_px
from tests.briefing_support import HUBEI_UNITS, TITLE, cells, sample_database, texts
from tests.cli_runner import run

CHOSEN = ["pm25", "rural_sewage_rate", "good_air_ratio"]
# The ranking table's status column: each code as the briefing writes it (a reference without nested brackets).
STATUS_WORDS = {
    "met": "已达标",
    "not_met": "未达标",
    "on_track": "进度正常",
    "behind": "进度滞后",
    "pending_target": "目标待定",
    "no_data": "无数据",
    "no_target": "无适用目标",
    "reference_met": "达到参照目标",
    "reference_not_met": "未达到参照目标",
}
VERDICTS = ("已达标", "未达标", "进度正常", "进度滞后")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    return sample_database(tmp_path_factory)


@pytest.fixture(scope="module")
def hubei_docx(sample_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "hubei_2024.docx"
    argv = ["report", "--db", sample_db, "--year", "2024", "--period", "annual", "--province", "420000"]
    for code in CHOSEN:
        argv += ["--indicator", code]
    assert cli.main([*argv, "-o", str(out)]) == 0
    return out


def cli_gaps(capsys, db: str, code: str) -> pd.DataFrame:
    """What `cli.py gaps --year 2024 --period 12 --region 420000 --indicator CODE --format csv` prints, as text."""
    rc, out, err = run(
        capsys, "gaps", "--db", db, "--year", "2024", "--period", "12", "--region", "420000", "--indicator", code
    )
    assert rc == 0, err
    return pd.DataFrame(list(csv.DictReader(io.StringIO(out.lstrip("\ufeff")))))


def yoy(change: str, unit: str, decimals: int) -> str:
    """同比 as the briefing writes it (charts.tables.yoy_text): a change in 百分点 to the indicator's decimals, a rate
    of change to one decimal in %, 持平 when it rounds to zero."""
    if change == "":
        return "—"
    points = unit == "百分点"
    digits = decimals if points else 1
    value = float(change)  # published by the engine already (GB/T 8170 to these decimals)
    assert value == round(value, digits)
    if value == 0:
        return "持平"
    return f"{value:+.{digits}f}" + ("个百分点" if points else "%")


def published(rows: pd.DataFrame, decimals: int) -> dict[str, tuple[str, str, str, str, str]]:
    """region → (actual, target, margin, status, 同比) as the bureaus write them: the indicator's decimals, the
    comparator, the status in words."""

    def number(text: str, sign: str = "") -> str:
        return "—" if text == "" else f"{float(text):{sign}.{decimals}f}"

    return {
        r.region_name: (
            number(r.actual),
            "—" if r.target == "" else COMPARATOR_SIGNS[r.comparator] + number(r.target),
            number(r.margin, "+"),
            STATUS_WORDS[r.status],
            yoy(r.yoy_change, r.yoy_unit, decimals),
        )
        for r in rows.itertuples()
    }


def every_text(doc) -> list[str]:
    """Every paragraph and every table cell of the document."""
    return texts(doc) + [text for table in doc.tables for row in cells(table) for text in row]


def hubei_context(sample_db, catalog, regions, period: int, codes=CHOSEN, lang: str = "zh") -> dict:
    engine = make_engine(sample_db)
    try:
        units = ["420000"] + [r.code for r in regions.children("420000")]
        gaps = gap_table(engine, catalog, regions, 2024, period, units, codes)
    finally:
        engine.dispose()
    return briefing_context(gaps, catalog, regions, "420000", 2024, period, codes, lang)


def test_title_headline_and_sections(hubei_docx):
    paragraphs = texts(Document(hubei_docx))
    assert TITLE in paragraphs
    assert "湖北省生态环境厅" in paragraphs
    # 17 cities × 3 indicators = 51 pairs: 1 graded + 16 references + 2 pending + 32 without a target.
    assert (
        "2024年全年，湖北省17个市州的3项指标共51项（每个市州每项指标计1项），其中：已评定1项（已达标0项，未达标1项）；"
        "参照全省总体目标16项（不计入评定）；目标待定2项；无适用目标32项。"
    ) in paragraphs
    for heading in (
        "一、总体情况",
        "二、分指标排名情况",
        "三、未达标地区",  # a full-year briefing has no 进度滞后
        "四、目标待定事项",
        "五、数据说明",
    ):
        assert heading in paragraphs


def headline_parts(headline: str) -> tuple[int, list[int]]:
    """The total of a headline and the count that opens each of its parts."""
    total = int(re.search(r"共(\d+)项", headline).group(1))
    parts = headline.split("其中：", 1)[1].rstrip("。").split("；")
    return total, [int(re.search(r"(\d+)项", part).group(1)) for part in parts]


@pytest.mark.parametrize("period", [3, 9, 12])
def test_the_headline_counts_every_pair_once(sample_db, catalog, regions, period):
    context = hubei_context(sample_db, catalog, regions, period, ["pm25", "rural_sewage_rate", "water_good_ratio"])
    headline, counts = context["headline"], context["counts"]
    total, parts = headline_parts(headline)
    assert total == sum(parts) == counts["total"] == HUBEI_UNITS * 3
    parts_of_counts = ("graded", "reference", "approximate", "pending", "no_target", "no_data")
    assert sum(counts[k] for k in parts_of_counts) == counts["total"]
    assert f"无适用目标{counts['no_target']}项" in headline and counts["no_target"] > 0
    if period == 12:
        assert "已达标" in headline and "未达标" in headline and "进度" not in headline
    else:
        assert "进度正常" in headline and "进度滞后" in headline and "达标" not in headline


def test_before_year_end_the_briefing_speaks_of_pace(sample_db, catalog, regions):
    context = hubei_context(sample_db, catalog, regions, 9)
    assert context["title"] == "关于2024年1—9月湖北省各市州生态环境目标完成情况的通报"
    assert context["labels"]["lagging"] == "三、进度滞后地区"
    assert context["notes"][0].startswith("数据为2024年1—9月累计值，来自各市州报送的工作簿")
    assert any(n.startswith("年内各期按序时进度评定") for n in context["notes"])
    wuhan = next(line for line in context["lagging"] if line.startswith("武汉："))
    assert "全年目标≥56.00%，序时进度应达" in wuhan and "（进度滞后）" in wuhan


def test_an_approximate_province_figure_gets_no_verdict(hubei_docx):
    paragraphs = texts(Document(hubei_docx))
    assert "湖北：48.69%（各市州平均，近似值，仅供参考，不评定）；目标≥46.58%。" in paragraphs
    assert "湖北：35μg/m³（湖北13个国考市州平均）；目标待定。" in paragraphs
    ungraded = [p for p in paragraphs if p.startswith("湖北：") and "不评定" in p]
    assert ungraded and not [p for p in ungraded if any(v in p for v in VERDICTS)]


def test_each_summary_counts_the_statuses_its_table_shows(hubei_docx):
    doc = Document(hubei_docx)
    paragraphs = texts(doc)
    summaries = [p for p in paragraphs if p.startswith("按数值")]
    assert len(summaries) == len(doc.tables) == len(CHOSEN)
    for summary, table in zip(summaries, doc.tables, strict=True):
        shown = Counter(row[5] for row in cells(table)[1:])
        for status, n in shown.items():
            if status in ("达到参照目标", "未达到参照目标"):
                assert f"{status.removesuffix('参照目标')}{n}个" in summary, (status, summary)
            else:
                assert f"{status}{n}个" in summary, (status, summary)
        assert sum(int(n) for n in re.findall(r"(\d+)个(?!市州)", summary.split("17个市州中")[1])) == HUBEI_UNITS
    pm25, sewage = summaries[0], summaries[1]
    assert pm25.endswith("17个市州中，目标待定1个（武汉）；无适用目标16个。") and "有效目标" not in pm25
    assert "有效目标：武汉≥56.00%（本级目标）；16个市州≥46.58%（参照全省总体目标，不评定）。" in sewage
    assert sewage.endswith("17个市州中，未达标1个（武汉）；参照全省总体目标达到11个、未达到5个。")


@pytest.mark.parametrize("position,code", list(enumerate(CHOSEN)))
def test_ranking_table_equals_cli_gaps(hubei_docx, sample_db, catalog, capsys, position, code):
    head, *rows = cells(Document(hubei_docx).tables[position])
    unit = {"pm25": "μg/m³"}.get(code, "%")
    margin_unit = "百分点" if unit == "%" else unit
    assert head == [
        "排名",
        "地区",
        f"实际值\n（{unit}）",
        f"目标值\n（{unit}）",
        f"差距\n（{margin_unit}）",
        "状态",
        "同比",
    ]
    assert len(rows) == HUBEI_UNITS
    gaps = cli_gaps(capsys, sample_db, code)
    expected = published(gaps[gaps["region_code"] != "420000"], catalog[code].decimals)
    assert {r[1]: tuple(r[2:7]) for r in rows} == expected
    ranked = [int(r[0]) for r in rows if r[0]]
    assert ranked == sorted(ranked) and ranked[0] == 1


def test_best_and_worst_named(hubei_docx):
    paragraphs = texts(Document(hubei_docx))
    # PM2.5 (lower is better): 神农架 19 is the lowest of the 17, 襄阳 42 the highest.
    assert any("神农架最好（19μg/m³），襄阳最差（42μg/m³）" in p for p in paragraphs)
    assert "武汉：农村生活污水治理率55.29%，目标≥56.00%，差距-0.71个百分点（未达标）；同比+5.46个百分点。" in paragraphs
    assert "神农架：农村生活污水治理率37.64%，参照目标≥46.58%，差距-8.94个百分点；同比+3.86个百分点。" in paragraphs


def test_yoy_in_percent_and_points(hubei_docx):
    doc = Document(hubei_docx)
    pm25, sewage = doc.tables[0], doc.tables[1]
    assert all(r.cells[6].text.endswith("%") for r in pm25.rows[1:])  # a concentration: change in %
    assert all(r.cells[6].text.endswith("个百分点") for r in sewage.rows[1:])  # a ratio: percentage points


def test_yoy_is_written_alike_in_the_table_and_the_text(hubei_docx):
    """A ratio's 同比 has the ratio's own decimals (0.01 for the sewage rate) in its table cell and in its line."""
    doc = Document(hubei_docx)
    sewage = {row[1]: row[6] for row in cells(doc.tables[1])[1:]}
    lines = [p for p in texts(doc) if "农村生活污水治理率" in p and "同比" in p]
    assert len(lines) == 6  # 武汉 not met, five below the reference
    for line in lines:
        region = line.split("：")[0]
        assert line.endswith(f"同比{sewage[region]}。"), line
        assert re.fullmatch(r"[+-]\d+\.\d{2}个百分点", sewage[region])


def test_numbers_units_and_brackets_as_documents_write_them(hubei_docx):
    words = every_text(Document(hubei_docx))
    assert not [w for w in words if re.search(r"\d\s+(%|μg/m³|个百分点)", w)]  # 35μg/m³, 85.9%: no space
    assert not [w for w in words if re.search(r"（[^（）]*（", w)]  # no bracket inside a bracket
    assert not [w for w in words if "·" in w]


def test_numbers_right_aligned(hubei_docx):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    row = Document(hubei_docx).tables[1].rows[1]
    assert [row.cells[i].paragraphs[0].alignment for i in (2, 3, 4, 6)] == [WD_ALIGN_PARAGRAPH.RIGHT] * 4


def test_data_notes(hubei_docx):
    doc = Document(hubei_docx)
    paragraphs = texts(doc)
    notes = paragraphs[paragraphs.index("五、数据说明") + 1 :]
    assert notes[0].startswith("数据为2024年全年累计值，来自各市州报送的工作簿")
    assert (
        notes[1].startswith("文中和表中数值均为按各指标发布精度修约（GB/T 8170") and "生态环境目标差距看板" in notes[1]
    )
    assert notes[2].startswith("差距为实际值与目标之差")
    assert "比例类指标为变化的百分点，小数位数与该指标数值相同" in notes[3]
    assert any(n.startswith("目标依据：湖北省生态环境厅") and "46.58%" in n for n in notes)
    assert any(n.startswith("参照目标：指全省总体目标") for n in notes)
    assert any("合成数据" in n and "hubei_2024_wide.xlsx" in n for n in notes)
    assert any("近似值" in n for n in notes)  # the province's ratio is a mean of its cities
    words = " ".join(every_text(doc))
    assert "年初至今" not in words and "cli.py" not in words  # no command in an official document


def test_tables_hold_together(hubei_docx):
    """Every row but the last keeps with the next and none splits, so a table moves whole to the next page instead
    of starting at a page's foot; its caption keeps with it."""
    doc = Document(hubei_docx)
    captions = [p for p in doc.paragraphs if p.text.startswith("表")]
    assert len(captions) == len(doc.tables) and all(p.style.paragraph_format.keep_with_next for p in captions)
    for table in doc.tables:
        keeps = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs) for row in table.rows]
        assert keeps == [True] * (len(table.rows) - 1) + [False]  # the last row is not chained to the chart
        assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_chart_text_prints_at_9_points_the_screen_chart_unchanged(sample_db, catalog, regions):
    context = hubei_context(sample_db, catalog, regions, 12)
    assert printed_points(13, CHART_WIDTH_PX, CHART_WIDTH_CM) < 6.2  # the screen's chart at 15 cm: unreadable
    for entry in context["indicators"]:
        fig = entry["figure"]
        zoom = chart_zoom(fig)
        assert smallest_font_px(fig) == 13  # the source note raised to the rest, no <sup> subtitle
        assert "<sup>" not in fig.layout.title.text
        assert 1.45 < zoom < 1.5
        assert printed_points(smallest_font_px(fig) * zoom, CHART_WIDTH_PX, CHART_WIDTH_CM) >= CHART_MIN_POINTS
    # The dashboard draws its own figure from the same rows: its note, legend and subtitle are as they were.
    engine = make_engine(sample_db)
    units = [r.code for r in regions.children("420000")]
    gaps = with_names(gap_table(engine, catalog, regions, 2024, 12, units, ["rural_sewage_rate"]), catalog, regions)
    engine.dispose()
    screen = gap_bar_figure(gaps, catalog["rural_sewage_rate"], "zh", "t", "note", subtitle="有效目标")
    assert smallest_font_px(screen) == 10 and screen.layout.legend.y == -0.08 and "<sup>" in screen.layout.title.text
    assert any("参照全省总体目标（未分解）·达到" == tr.name for tr in screen.data)


@pytest.mark.skipif(browser_path() is None, reason="no Chromium: PNG export unavailable")
def test_zoom_draws_text_larger_on_the_same_pixels(catalog):
    """PngExporter's print zoom: the same pixel size, the title's ink that many times taller."""
    import plotly.graph_objects as go
    from PIL import Image

    hidden = {"visible": False}
    fig = go.Figure().update_layout(title={"text": "湖北 2024", "font": {"size": 20}}, xaxis=hidden, yaxis=hidden)
    exporter = PngExporter()

    def ink_height(png: bytes) -> tuple[tuple[int, int], int]:
        image = Image.open(io.BytesIO(png)).convert("L")
        left, top, right, bottom = image.point(lambda v: 255 if v < 128 else 0).getbbox()  # the title's ink
        return image.size, bottom - top

    plain_size, plain = ink_height(exporter.to_png(fig, width=600, height=300, scale=2))
    zoom_size, zoomed = ink_height(exporter.to_png(fig, width=600, height=300, scale=2, zoom=1.5))
    assert plain_size == zoom_size == (1200, 600)
    assert 1.35 < zoomed / plain < 1.65


@pytest.mark.skipif(browser_path() is None, reason="no Chromium: PNG export unavailable, the charts are a sentence")
def test_charts_embedded_at_print_resolution(hubei_docx):
    doc = Document(hubei_docx)
    assert len(doc.inline_shapes) == len(CHOSEN)
    shape = doc.inline_shapes[0]
    assert abs(shape.width.cm - 15.0) < 0.01
    image = next(p for p in doc.part.package.parts if p.partname.startswith("/word/media/"))
    width_px = int.from_bytes(image.blob[16:20], "big")  # the PNG header's width
    assert width_px / (15.0 / 2.54) >= 290  # dots per inch at 15 cm


def test_briefing_on_each_backend(db_url, catalog, regions, capsys):
    assert cli.main(["init", "--db", db_url, "--sample"]) == 0
    engine = make_engine(db_url)
    try:
        data = build_briefing(engine, catalog, regions, "420000", 2024, 12, ["rural_sewage_rate"])
    finally:
        engine.dispose()
    capsys.readouterr()
    rows = cells(Document(io.BytesIO(data)).tables[0])[1:]
    gaps = cli_gaps(capsys, db_url, "rural_sewage_rate")
    assert {r[1]: tuple(r[2:7]) for r in rows} == published(gaps[gaps["region_code"] != "420000"], 2)


def test_ranking_shares_ranks_and_puts_no_value_last(catalog):
    units = pd.DataFrame({"region_name": list("ABCD"), "actual": [35.0, None, 30.0, 30.0]})
    ranked = ranking(units, catalog["pm25"])  # lower is better
    assert list(ranked["region_name"]) == ["C", "D", "A", "B"]
    assert list(ranked["rank"].astype("object").fillna(0)) == [1, 1, 3, 0]


@pytest.mark.parametrize(
    ("province", "lang", "said", "unsaid"),
    [
        ("110000", "zh", "关于2024年全年北京市各区生态环境目标完成情况的通报", "市州"),
        ("500000", "zh", "重庆市各区县", "市州"),
        ("420000", "en", "environmental targets by city", "district"),
        ("110000", "en", "environmental targets by district", "city"),
    ],
)
def test_a_municipality_briefs_its_districts(sample_db, catalog, regions, province, lang, said, unsaid):
    engine = make_engine(sample_db)
    units = [province] + [r.code for r in regions.children(province)]
    gaps = gap_table(engine, catalog, regions, 2024, 12, units, ["pm25"])
    context = briefing_context(gaps, catalog, regions, province, 2024, 12, ["pm25"], lang)
    words = " ".join(
        [context["title"], context["headline"], context["indicators"][0]["table_title"], *context["notes"]]
    )
    assert said in words and unsaid not in words
