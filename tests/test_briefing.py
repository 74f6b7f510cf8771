"""The quarterly briefing (季度通报): the Word document agrees with `cli.py gaps`, a bureau's template replaces the
built-in one, a broken template is refused in both languages, and the PDF comes through LibreOffice."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

import cli
from charts.export import browser_path
from data_loaders.db import make_engine
from data_loaders.reports import gap_table
from indicators.targets import COMPARATOR_SIGNS
from reports.briefing import PdfUnavailable, briefing_context, build_briefing, to_pdf
from reports.context import ranking
from tests.cli_runner import run

CHOSEN = ["pm25", "rural_sewage_rate", "good_air_ratio"]
HUBEI_UNITS = 17
TITLE = "关于2024年全年湖北省各市州生态环境目标完成情况的通报"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('briefing') / 'sample.db'}"
    assert cli.main(["init", "--db", url, "--sample"]) == 0
    return url


@pytest.fixture(scope="module")
def hubei_docx(sample_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "hubei_2024.docx"
    argv = ["report", "--db", sample_db, "--year", "2024", "--period", "annual", "--province", "420000"]
    for code in CHOSEN:
        argv += ["--indicator", code]
    assert cli.main([*argv, "-o", str(out)]) == 0
    return out


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def cli_gaps(capsys, db: str, code: str) -> pd.DataFrame:
    """What `cli.py gaps --year 2024 --period 12 --region 420000 --indicator CODE --format csv` prints, as text."""
    rc, out, err = run(
        capsys, "gaps", "--db", db, "--year", "2024", "--period", "12", "--region", "420000", "--indicator", code
    )
    assert rc == 0, err
    return pd.DataFrame(list(csv.DictReader(io.StringIO(out.lstrip("\ufeff")))))


def published(rows: pd.DataFrame, decimals: int) -> dict[str, tuple[str, str, str]]:
    """region → (actual, target, margin) as the bureaus write them: the indicator's decimals, the comparator."""

    def number(text: str, sign: str = "") -> str:
        return "—" if text == "" else f"{float(text):{sign}.{decimals}f}"

    return {
        r.region_name: (
            number(r.actual),
            "—" if r.target == "" else COMPARATOR_SIGNS[r.comparator] + number(r.target),
            number(r.margin, "+"),
        )
        for r in rows.itertuples()
    }


def test_title_headline_and_sections(hubei_docx):
    paragraphs = texts(Document(hubei_docx))
    assert TITLE in paragraphs
    assert "湖北省生态环境厅" in paragraphs
    assert any(p.startswith("2024年全年，湖北省17个市州3项指标中") for p in paragraphs)
    for heading in (
        "一、总体情况",
        "二、分指标排名情况",
        "三、进度滞后和未达标地区",
        "四、目标待定事项",
        "五、数据说明",
    ):
        assert heading in paragraphs


@pytest.mark.parametrize("position,code", list(enumerate(CHOSEN)))
def test_ranking_table_equals_cli_gaps(hubei_docx, sample_db, catalog, capsys, position, code):
    table = Document(hubei_docx).tables[position]
    head, *rows = [[c.text for c in row.cells] for row in table.rows]
    assert head[:5] == ["排名", "地区", *head[2:5]] and head[5:] == ["状态", "同比"]
    assert len(rows) == HUBEI_UNITS
    gaps = cli_gaps(capsys, sample_db, code)
    expected = published(gaps[gaps["region_code"] != "420000"], catalog[code].decimals)
    assert {r[1]: (r[2], r[3], r[4]) for r in rows} == expected
    ranked = [int(r[0]) for r in rows if r[0]]
    assert ranked == sorted(ranked) and ranked[0] == 1


def test_best_and_worst_named(hubei_docx):
    paragraphs = texts(Document(hubei_docx))
    # PM2.5 (lower is better): 神农架 19 is the lowest of the 17, 襄阳 42 the highest.
    assert any("神农架最好（19μg/m³），襄阳最差（42μg/m³）" in p for p in paragraphs)
    assert "武汉：农村生活污水治理率55.29%，目标≥56.00%，差距-0.71个百分点（未达标）；同比+5.5个百分点。" in paragraphs


def test_yoy_in_percent_and_points(hubei_docx):
    doc = Document(hubei_docx)
    pm25, sewage = doc.tables[0], doc.tables[1]
    assert all(r.cells[6].text.endswith("%") for r in pm25.rows[1:])  # a concentration: change in %
    assert all(r.cells[6].text.endswith("个百分点") for r in sewage.rows[1:])  # a ratio: percentage points


def test_numbers_right_aligned(hubei_docx):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    row = Document(hubei_docx).tables[1].rows[1]
    assert [row.cells[i].paragraphs[0].alignment for i in (2, 3, 4, 6)] == [WD_ALIGN_PARAGRAPH.RIGHT] * 4


def test_data_notes(hubei_docx):
    paragraphs = texts(Document(hubei_docx))
    notes = paragraphs[paragraphs.index("五、数据说明") + 1 :]
    assert any(n.startswith("目标依据：湖北省生态环境厅") and "46.58%" in n for n in notes)
    assert any("合成数据" in n and "hubei_2024_wide.xlsx" in n for n in notes)
    assert any("近似值" in n for n in notes)  # the province's ratio is a mean of its cities


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
    rows = [[c.text for c in r.cells] for r in Document(io.BytesIO(data)).tables[0].rows[1:]]
    gaps = cli_gaps(capsys, db_url, "rural_sewage_rate")
    assert {r[1]: (r[2], r[3], r[4]) for r in rows} == published(gaps[gaps["region_code"] != "420000"], 2)


def plain_template(path: Path, *body: str) -> Path:
    doc = Document()
    for text in body:
        doc.add_paragraph(text)
    doc.save(path)
    return path


def bureau_template(path: Path, *body: str) -> Path:
    """A bureau's own template: its own wording, the documented placeholders (reports/TEMPLATE.md)."""
    doc = Document(plain_template(path, *body))
    table = doc.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["{%tr for row in ind.rows %}", "", ""], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["{{ row.region }}", "{{ row.actual }}", "{{ row.yoy }}"], strict=True):
        cell.text = text
    table.rows[2].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p for line in notes %}")
    doc.add_paragraph("{{ line }}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(path)
    return path


def test_bureau_template_replaces_the_built_in_one(sample_db, tmp_path, capsys):
    template = bureau_template(
        tmp_path / "ours.docx",
        "武汉市生态环境局专用模板 MARKER-7Q",
        "{{ title }}",
        "{{ headline }}",
        "{%p for ind in indicators %}",
        "{{ ind.name }}",
    )
    out = tmp_path / "ours_out.docx"
    code, _, err = run(
        capsys, "report", "--db", sample_db, "--year", "2024", "--period", "Q4", "--province", "420000",
        "--indicator", "rural_sewage_rate", "--template", str(template), "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    doc = Document(out)
    paragraphs = texts(doc)
    assert "武汉市生态环境局专用模板 MARKER-7Q" in paragraphs and TITLE in paragraphs
    assert "一、总体情况" not in paragraphs  # nothing of the built-in template
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert ["武汉", "55.29", "+5.5个百分点"] in rows and len(rows) == HUBEI_UNITS


@pytest.mark.parametrize(
    "body,zh",
    [
        (("{{ title ",), "占位符有误"),  # an unclosed Jinja tag
        (("{%p for ind in indicators %}", "{{ ind.name }}", "{%p endif %}"), "占位符有误"),
        (("{{ inds.name }}",), "inds"),  # a misspelt name with a field after it (documented in TEMPLATE.md)
    ],
)
def test_broken_template_exits_2_in_both_languages(sample_db, tmp_path, capsys, body, zh):
    template = plain_template(tmp_path / "broken.docx", *body)
    out = tmp_path / "never.docx"
    code, _, err = run(
        capsys, "report", "--db", sample_db, "--year", "2024", "--period", "12", "--province", "420000",
        "--indicator", "rural_sewage_rate", "--template", str(template), "-o", str(out),
    )  # fmt: skip
    assert code == 2
    assert zh in err and "placeholders" in err and "TEMPLATE.md" in err
    assert "Traceback" not in err and not out.exists()


def test_not_a_word_file_exits_2(sample_db, tmp_path, capsys):
    bogus = tmp_path / "template.docx"
    bogus.write_text("not a zip", encoding="utf-8")
    code, _, err = run(
        capsys, "report", "--db", sample_db, "--year", "2024", "--period", "12", "--province", "420000",
        "--template", str(bogus), "-o", str(tmp_path / "x.docx"),
    )  # fmt: skip
    assert code == 2 and "无法读取 Word 模板" in err and "cannot read the Word template" in err


def test_unknown_province_exits_2(sample_db, tmp_path, capsys):
    code, _, err = run(
        capsys, "report", "--db", sample_db, "--year", "2024", "--period", "12", "--province", "420100",
        "-o", str(tmp_path / "x.docx"),
    )  # fmt: skip
    assert code == 2 and "未知省份" in err and "unknown province" in err


def test_pdf_without_libreoffice_still_writes_the_docx(sample_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # neither soffice nor chromium on this PATH
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    out = tmp_path / "no_pdf.docx"
    code, _, err = run(
        capsys, "report", "--db", sample_db, "--year", "2024", "--period", "12", "--province", "420000",
        "--indicator", "rural_sewage_rate", "--pdf", "-o", str(out),
    )  # fmt: skip
    assert code == 2
    assert "未安装 LibreOffice" in err and "LibreOffice is not installed" in err
    doc = Document(out)
    assert any(p.text.startswith("（图表未能生成") for p in doc.paragraphs)  # said in place of the chart
    assert len(doc.inline_shapes) == 0
    with pytest.raises(PdfUnavailable):
        to_pdf(out)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_pdf_through_libreoffice(hubei_docx, tmp_path):
    pdf = to_pdf(hubei_docx, tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed: no page image")
    page = tmp_path / "page1"
    subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-png", "-singlefile", pdf, page], check=True)
    png = page.with_suffix(".png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) < 300_000


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
