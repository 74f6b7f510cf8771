"""The briefing's sentences about the numbers: the headline's counts, the province's own figure, the targets and
statuses under each ranking table, and the lines naming the regions behind. Pure: rows of the named gaps table
in, text in the briefing's language out (the wording is in ui/wording_briefing.py)."""

from __future__ import annotations

import pandas as pd

from charts.style import STATUS_ORDER
from charts.tables import gap_summary_counts, yoy_text
from indicators.catalog import Catalog, Indicator
from indicators.groups import load_region_groups
from indicators.targets import COMPARATOR_SIGNS
from reports.text import status_words, unit_of, with_unit
from ui.wording import AGGREGATION_RULE, origin_label, pick, t

GRADED = ("met", "not_met", "on_track", "behind")
REFERENCE = ("reference_met", "reference_not_met")
NAMED_UP_TO = 3  # a group of at most this many regions is named; a larger one is counted


def briefing_counts(units: pd.DataFrame) -> dict[str, int]:
    """The overview's counts (charts.tables.gap_summary_counts: `behind` is 进度滞后 + 未达标) and what the headline
    needs besides for its parts to add up: `graded`, `no_target` and `total` (every unit × indicator pair)."""
    counts = gap_summary_counts(units)
    graded = counts["met"] + counts["on_track"] + counts["behind"]
    no_target = int((units["status"] == "no_target").sum())
    return {**counts, "graded": graded, "no_target": no_target, "total": len(units)}


def headline(counts: dict[str, int], full_year: bool, lang: str, **fields: object) -> str:
    """总体情况 in one sentence: every unit × indicator pair once, graded first; 进度正常 / 进度滞后 before year end
    only, 已达标 / 未达标 at year end; the ungraded kinds named when there are any."""
    words = {k: v for k, v in fields.items() if k in ("units", "unit", "whole")}
    if full_year:
        parts = [t("report_count_graded_year", lang, n=counts["graded"], met=counts["met"], not_met=counts["behind"])]
    else:
        parts = [
            t(
                "report_count_graded_months",
                lang,
                n=counts["graded"],
                on_track=counts["on_track"],
                behind=counts["behind"],
            )
        ]
    for key in ("reference", "approximate", "pending", "no_target", "no_data"):
        if counts[key]:
            parts.append(t(f"report_count_{key}", lang, n=counts[key], **words))
    return t("report_headline", lang, total=counts["total"], parts=t("report_clause_sep", lang).join(parts), **fields)


def _target(row, indicator: Indicator) -> str:
    sign = COMPARATOR_SIGNS.get(row.comparator, row.comparator or "")
    return with_unit(f"{sign}{indicator.format_value(row.target)}", unit_of(indicator))


def province_line(row, indicator: Indicator, lang: str, words: dict[str, str]) -> str:
    """'湖北：48.69%（各市州平均，近似值，仅供参考，不评定）；目标≥46.58%。' — how the figure was obtained, then what it
    is compared with; a verdict (已达标, 未达标, …) only when it is graded. "" when the province has no value."""
    if row is None or pd.isna(row.actual):
        return ""
    value = with_unit(indicator.format_value(row.actual), unit_of(indicator))
    fields = {"region": row.region_name, "value": value, "how": _how_obtained(row, indicator, lang, words)}
    if row.status == "pending_target":
        verdict = t("report_province_pending", lang)
    elif pd.isna(row.target):
        return t("report_province_plain", lang, **fields)
    elif bool(row.graded):
        verdict = t(
            "report_province_graded", lang, target=_target(row, indicator), status=status_words(row.status, lang, words)
        )
    elif row.status in REFERENCE and row.value_source != "approximate":
        verdict = t("report_province_reference", lang, target=_target(row, indicator))
    else:  # an approximate figure: compared, not graded
        verdict = t("report_province_compared", lang, target=_target(row, indicator))
    return t("report_province_line", lang, verdict=verdict, **fields)


def _how_obtained(row, indicator: Indicator, lang: str, words: dict[str, str]) -> str:
    if row.value_source == "uploaded":
        return t("report_how_uploaded", lang)
    if row.value_source == "approximate":
        return t("report_how_approximate", lang, **words)
    rule = pick(*AGGREGATION_RULE.get(indicator.aggregation, ("", "")), lang)
    group = load_region_groups().get(row.aggregate_over or "")
    if group is not None:
        return t("report_how_group", lang, group=pick(group.name_zh, group.name_en, lang), rule=rule)
    return t("report_how_units", lang, rule=rule, **words)


def _who(names: list[str], lang: str, words: dict[str, str]) -> str:
    if len(names) <= NAMED_UP_TO:
        return t("report_list_sep", lang).join(names)
    return t("report_n_units", lang, n=len(names), **words)


def target_clause(units: pd.DataFrame, indicator: Indicator, lang: str, words: dict[str, str]) -> str:
    """'有效目标：武汉≥56.00%（本级目标）；16个市州≥46.58%（参照全省总体目标，不评定）。', own targets first; "" when
    no unit has a target with a number."""
    with_target = units[units["target"].notna()].copy()
    if with_target.empty:
        return ""
    with_target["_reference"] = with_target["target_origin"] == "reference"
    parts = []
    groups = with_target.groupby(["_reference", "target", "comparator", "target_origin"], sort=True)
    for (reference, *_), group in groups:
        origin = (
            t("report_origin_reference", lang, **words)
            if reference
            else origin_label(group["target_origin"].iloc[0], lang)
        )
        row = next(group.itertuples())
        who = _who(group["region_name"].tolist(), lang, words)
        parts.append(t("report_target_group", lang, who=who, target=_target(row, indicator), origin=origin))
    return t("report_targets", lang, parts=t("report_clause_sep", lang).join(parts))


def status_counts(units: pd.DataFrame, lang: str, words: dict[str, str]) -> str:
    """The statuses the ranking table shows, counted: '17个市州中，未达标1个（武汉）；参照全省总体目标达到11个、未达到5个。'
    (the references together, the few named)."""
    shown = units["status"].value_counts()
    parts = []
    for status in [s for s in STATUS_ORDER if shown.get(s, 0)]:
        if status in REFERENCE:
            if status == "reference_met" or not shown.get("reference_met", 0):  # both references in one part
                met, not_met = int(shown.get("reference_met", 0)), int(shown.get("reference_not_met", 0))
                parts.append(t("report_reference_counts", lang, met=met, not_met=not_met, **words))
            continue
        n = int(shown[status])
        label = status_words(status, lang, words)
        if n <= NAMED_UP_TO and status not in ("no_target", "no_data"):
            names = _who(units.loc[units["status"] == status, "region_name"].tolist(), lang, words)
            parts.append(t("report_status_count_named", lang, status=label, n=n, names=names))
        else:
            parts.append(t("report_status_count", lang, status=label, n=n))
    return t("report_status_counts", lang, n_units=len(units), parts=t("report_clause_sep", lang).join(parts), **words)


def _margin_unit(indicator: Indicator, lang: str) -> str:
    """A difference of two percentages is in 个百分点; any other margin in the indicator's unit."""
    return t("report_points", lang) if indicator.unit == "%" else unit_of(indicator)


def margin_text(row, indicator: Indicator, lang: str) -> str:
    margin = "—" if pd.isna(row.margin) else f"{row.margin:+.{indicator.decimals}f}"
    return with_unit(margin, _margin_unit(indicator, lang))


def gap_line(row, catalog: Catalog, lang: str, words: dict[str, str], full_year: bool) -> str:
    """'武汉：农村生活污水治理率55.29%，目标≥56.00%，差距-0.71个百分点（未达标）；同比+5.46个百分点。' Before year
    end the line names the value expected by now, which the margin is measured against."""
    status = status_words(row.status, lang, words)
    return _line("report_gap_line", row, catalog, lang, full_year, status=status)


def reference_line(row, catalog: Catalog, lang: str, full_year: bool) -> str:
    """A unit below an overall target that was not allocated to it: shown without a verdict (the list says why)."""
    return _line("report_reference_line", row, catalog, lang, full_year)


def _line(key: str, row, catalog: Catalog, lang: str, full_year: bool, **more: str) -> str:
    ind = catalog[row.indicator_code]
    fields = {**_line_fields(row, ind, lang), **more}
    if full_year or pd.isna(row.expected):
        return t(key, lang, **fields)
    return t(f"{key}_months", lang, expected=with_unit(ind.format_value(row.expected), unit_of(ind)), **fields)


def _line_fields(row, ind: Indicator, lang: str) -> dict[str, str]:
    return {
        "region": row.region_name,
        "indicator": ind.name(lang),
        "actual": with_unit(ind.format_value(row.actual), unit_of(ind)),
        "target": "—" if pd.isna(row.target) else _target(row, ind),
        "margin": margin_text(row, ind, lang),
        "yoy": yoy_text(row.yoy_change, row.yoy_unit, ind, lang),
    }
