"""The pieces of reviewing drafts: where a figure stands in its clause, a reviewed row as a Target, and indicators
people add to the catalog (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_loaders import audit
from data_loaders.bootstrap import init_database
from data_loaders.catalog_store import IndicatorRefused, NewIndicator, add_indicator, catalog_of
from indicators.catalog import load_catalog
from indicators.draft_table import draft_row_target, mark_number, number_span
from indicators.regions import load_regions


@pytest.mark.parametrize(
    ("clause", "value", "marked"),
    [
        ("PM2.5平均浓度控制在42微克/立方米以内", 42, "PM2.5平均浓度控制在【42】微克/立方米以内"),
        ("细颗粒物(PM2.5)浓度下降2.5%", -2.5, "细颗粒物(PM2.5)浓度下降【2.5】%"),  # not the 2.5 of PM2.5
        ("完成二百个行政村环境整治", 200, "完成【二百】个行政村环境整治"),
        ("重污染天数比率控制在1.2%以内", 1.2, "重污染天数比率控制在【1.2】%以内"),
        ("达到国家考核目标要求", None, "达到国家考核目标要求"),  # pending: nothing to mark
        ("基本消除劣Ⅴ类水体", 0, "基本消除劣Ⅴ类水体"),  # = 0 is not written as a figure
    ],
)
def test_the_figure_is_marked_where_the_clause_writes_it(clause, value, marked):
    assert mark_number(clause, value) == marked
    span = number_span(clause, value)
    assert (span is None) == (marked == clause)


def test_a_reviewed_row_becomes_the_target_the_csv_row_would():
    row = {
        "indicator_code": "co2_intensity",
        "region_code": "420000",
        "year": 2020,
        "comparator": "<=",
        "value": "-1.2",
        "unit": "%",
        "form": "relative",
        "baseline_year": 2019,
        "stretch": "力争",
        "source_clause": "单位GDP二氧化碳排放比上年下降1.2%",
        "source_file": "plan.docx",
        "issuer": "",
        "tolerance": "",
    }
    target = draft_row_target(row, "湖北省生态环境厅", "fallback.docx")
    assert (target.value, target.relative_unit, target.baseline_year, target.note) == (-1.2, "%", 2019, "力争")
    assert (target.issuer_code, target.issuer_name, target.source_file) == ("420000", "湖北省生态环境厅", "plan.docx")
    assert draft_row_target({**row, "form": "absolute", "stretch": False}, None, "x").baseline_year is None
    with pytest.raises(ValueError):
        draft_row_target({**row, "value": "四十二点五"}, None, "x")


@pytest.fixture
def ready(engine):
    init_database(engine, load_catalog(), load_regions())
    return engine


def test_added_indicators_are_numbered_recorded_and_join_the_catalog(ready):
    shipped = load_catalog()
    first = add_indicator(ready, NewIndicator("地表水省控断面优良比例", "%", "higher_better", 1), shipped, by="ana")
    catalog = catalog_of(ready, shipped)
    second = add_indicator(ready, NewIndicator("入河排污口整治完成数", "个", "higher_better", 0), catalog, by="ana")
    assert (first, second) == ("added_001", "added_002")
    catalog = catalog_of(ready, shipped)
    assert len(catalog) == len(shipped) + 2
    assert catalog.resolve("地表水省控断面优良比例") == first and catalog[first].max_value == 100
    assert catalog[second].max_value > 1e6 and catalog[second].decimals == 0
    assert catalog[first].aggregation == "none"  # nobody said how cities combine into the province's figure
    log = audit.audit_log(ready, change="indicator_add")
    assert list(log["subject"]) == [second, first] and set(log["account"]) == {"ana"}


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("  ", "请填写指标名称"),
        ("农村生活污水治理率", "目录中已有同名指标"),
        ("PM2.5浓度", "目录中已有同名指标"),
        ("很" * 65, "最长 64 个字"),  # PostgreSQL would refuse it with a database error
    ],
)
def test_an_indicator_the_catalog_has_or_without_a_name_is_refused(ready, name, why):
    before = len(audit.audit_log(ready))
    with pytest.raises(IndicatorRefused, match=why):
        add_indicator(ready, NewIndicator(name, "%", "higher_better", 1), load_catalog(), by="ana")
    assert len(catalog_of(ready)) == len(load_catalog()) and len(audit.audit_log(ready)) == before


def test_the_cli_reads_an_added_indicator_like_any_other(ready, db_url, capsys):
    from tests.cli_runner import run

    code = add_indicator(ready, NewIndicator("地表水省控断面优良比例", "%", "higher_better", 1), load_catalog(), by="a")
    assert run(capsys, "gaps", "--db", db_url, "--indicator", code, "--year", "2024", "--format", "csv")[0] == 0
    exit_code, _, err = run(capsys, "gaps", "--db", db_url, "--indicator", "added_999", "--year", "2024")
    assert exit_code != 0 and "added_999" in err


PLANS = Path(__file__).resolve().parent / "fixtures" / "plans"


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        ("001_686ff3aa1e7726dc.txt", (2024, "420100", "武汉市生态环境局")),  # the year under a metadata table
        ("002_e0f97597f939ebae.txt", (2020, "420000", "湖北省生态环境厅")),  # not the site's breadcrumb "上级文件"
        ("004_2e4457c838a86613.txt", (2020, "430000", None)),  # "附件5" before the title
        ("hubei_2023_gongzuoyaodian.txt", (2023, None, None)),  # "全省" names no province: the page's default
        ("jiangxi_2023_meeting.txt", (2023, "360000", None)),  # the short name opening the title
        ("national_air_2023.txt", (2025, "000000", None)),  # 国务院印发…, then 京津冀: not Beijing
        ("national_heavy_pollution_2022.txt", (2025, "000000", None)),  # 全国… in a line naming no region
        ("000_db2cb1991d068b04.txt", (2024, None, None)),  # "根据党中央、国务院决策部署" in a provincial plan
    ],
)
def test_the_page_defaults_come_from_the_title(plan, expected):
    from data_loaders.documents import read_document
    from indicators.plan_title import title_defaults

    path = PLANS / plan
    assert title_defaults(read_document(path).text, load_regions()) == expected


def test_a_scanned_pdf_is_named_as_such_from_the_sandbox():
    """The page reads a plan in the parse sandbox: a PDF without a text layer comes back as the reader's own message,
    not as a crash of the child."""
    import io

    from pypdf import PdfWriter

    from data_loaders.sandbox import run_isolated
    from data_loaders.settings import parse_memory_bytes, parse_seconds
    from data_loaders.workbook import UnreadableWorkbook
    from ui.drafting_view import _read_document

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)  # an A4 page with nothing but an image would read the same
    writer.write(buffer)
    with pytest.raises(UnreadableWorkbook) as refused:
        run_isolated(_read_document, buffer.getvalue(), "扫描件.pdf", memory_bytes=parse_memory_bytes(),
                     seconds=parse_seconds())  # fmt: skip
    assert "没有文字层" in refused.value.zh and "OCR" in refused.value.en
    plan = (PLANS / "hubei_2023_gongzuoyaodian.txt").read_bytes()
    read = run_isolated(_read_document, plan, "plan.txt", memory_bytes=parse_memory_bytes(), seconds=parse_seconds())
    assert read.text.startswith("2023 年生态环境工作要点")
