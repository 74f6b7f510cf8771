"""Tables shown under the charts: formatted as the bureaus write them."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from indicators.catalog import Indicator
from indicators.pace import yoy_decimals
from indicators.targets import COMPARATOR_SIGNS
from ui.wording import (
    AGGREGATION_RULE,
    AUDIT_ACTIONS,
    AUDIT_COLUMNS,
    BATCH_COLUMNS,
    BATCH_STATUS,
    CATALOG_COLUMNS,
    DIRECTION,
    HISTORY_COLUMNS,
    HOW_OBTAINED,
    TARGET_COLUMNS,
    TARGET_STATE,
    UPLOAD_COLUMNS,
    column_label,
    form_label,
    label,
    origin_label,
    pick,
    status_label,
    t,
)

DISPLAY_COLUMNS = [
    "region_name",
    "actual",
    "target",
    "margin",
    "margin_pct",
    "status",
    "yoy",
    "target_origin",
    "target_issuer",
    "target_clause",
]


def gap_summary_counts(gaps: pd.DataFrame) -> dict[str, int]:
    """The headline: graded verdicts only. References to an overall target and approximate values are counted
    apart, never among 已达标 / 滞后·未达标."""
    graded = gaps[gaps["graded"]] if "graded" in gaps else gaps
    counts = graded["status"].value_counts()
    every = gaps["status"].value_counts()
    approximate = gaps["value_source"].eq("approximate") if "value_source" in gaps else pd.Series(False, gaps.index)
    return {
        "met": int(counts.get("met", 0)),
        "on_track": int(counts.get("on_track", 0)),
        "behind": int(counts.get("behind", 0) + counts.get("not_met", 0)),
        "pending": int(every.get("pending_target", 0)),
        "no_data": int(every.get("no_data", 0)),
        "reference": int(every.get("reference_met", 0) + every.get("reference_not_met", 0)),
        "approximate": int((approximate & gaps["status"].isin(["met", "not_met", "on_track", "behind"])).sum()),
    }


def target_sources(gaps: pd.DataFrame) -> str:
    names = [s for s in gaps["target_issuer"].dropna().unique() if s]
    return "、".join(sorted(names)) or "—"


def target_summary(gaps: pd.DataFrame, indicator: Indicator, lang: str) -> str:
    """The effective targets on one line: '有效目标：≥46.58%（沿用上级目标 16个）；≥56.00%（本级目标：武汉）'."""
    unit = "" if indicator.unit in ("", "—") else indicator.unit
    parts = []
    with_target = gaps[gaps["target"].notna()]
    for (value, comp, origin), group in with_target.groupby(["target", "comparator", "target_origin"], sort=False):
        names = group["region_name"].tolist()
        who = "、".join(names) if len(names) <= 3 else t("n_regions", lang, n=len(names))
        target = f"{COMPARATOR_SIGNS.get(comp, comp)}{indicator.format_value(value)}{unit}"
        parts.append(t("target_part", lang, target=target, origin=origin_label(origin, lang), who=who))
    pending = int((gaps["status"] == "pending_target").sum())
    if pending:
        parts.append(t("pending_count", lang, n=pending))
    head = t("effective_target_head", lang)
    return head + t("clause_sep", lang).join(parts) if parts else head + "—"


def gap_display_table(gaps: pd.DataFrame, indicator: Indicator, lang: str) -> pd.DataFrame:
    """Values with the indicator's decimals, target with its comparator, statuses and origins in words."""
    fmt = indicator.format_value
    out = pd.DataFrame(
        {
            "region_name": gaps["region_name"],
            "actual": gaps["actual"].map(fmt),
            "target": [
                "—" if pd.isna(v) else f"{COMPARATOR_SIGNS.get(c, c)}{fmt(v)}"
                for v, c in zip(gaps["target"], gaps["comparator"], strict=False)
            ],
            "margin": gaps["margin"].map(lambda m: "—" if pd.isna(m) else f"{m:+.{indicator.decimals}f}"),
            "margin_pct": gaps["margin_pct"].map(lambda m: "—" if pd.isna(m) else f"{m * 100:+.1f}%"),
            "status": gaps["status"].map(lambda s: status_label(s, lang)),
            "yoy": [
                yoy_text(c, u, indicator, lang)
                for c, u in zip(gaps.get("yoy_change", []), gaps.get("yoy_unit", []), strict=False)
            ]
            if "yoy_change" in gaps
            else "—",
            "target_origin": gaps["target_origin"].map(lambda o: origin_label(o if isinstance(o, str) else "", lang)),
            "target_issuer": gaps["target_issuer"].fillna(""),
            "target_clause": gaps["target_clause"].fillna(""),
        }
    )
    unit = "" if indicator.unit in ("", "—") else f" ({indicator.unit})"
    margin_unit = margin_unit_text(indicator, lang)
    out.columns = [
        column_label(c, lang) + (margin_unit if c == "margin" else unit if c in ("actual", "target") else "")
        for c in out.columns
    ]
    return out


def margin_unit_text(indicator: Indicator, lang: str) -> str:
    """The unit of a margin: a difference of two percentages is in 百分点 (percentage points), not %."""
    if indicator.unit == "%":
        return t("margin_unit_pp", lang)
    return "" if indicator.unit in ("", "—") else f" ({indicator.unit})"


def yoy_text(change: float | None, unit: str, indicator: Indicator, lang: str) -> str:
    """同比 as bulletins write it, to the decimals it is published with (indicators.pace.yoy_decimals): '+1.2%',
    '-0.85个百分点', '持平'. The page, the Excel report, the map and the briefing all write it through here."""
    if change is None or pd.isna(change):
        return "—"
    if change == 0:
        return t("yoy_unchanged", lang)
    figure = f"{change:+.{yoy_decimals(indicator, unit)}f}"
    return t("yoy_pp", lang, change=figure) if unit == "百分点" else f"{figure}%"


def observation_table(rows: pd.DataFrame, catalog, regions, lang: str) -> pd.DataFrame:
    """Tidy or diff rows with region and indicator names and the period as bureaus write it."""
    from indicators.periods import period_label

    out = pd.DataFrame(
        {
            "region": rows["region_code"].map(lambda c: regions.name(c, lang)),
            "indicator": rows["indicator_code"].map(lambda c: catalog[c].name(lang) if c in catalog else c),
            "year": rows["year"],
            "period": rows["period"].map(lambda p: period_label(int(p), lang)),
        }
    )
    for col in ("value", "old_value", "new_value", "sheet", "cell"):
        if col in rows.columns:
            out[col] = rows[col].values
    out.columns = [label(UPLOAD_COLUMNS, c, lang) for c in out.columns]
    return out


def batch_table(batches: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Upload history with readable headers and statuses."""
    out = batches[list(BATCH_COLUMNS)].copy()
    out["status"] = out["status"].map(lambda s: label(BATCH_STATUS, s, lang))
    out["uploaded_at"] = pd.to_datetime(out["uploaded_at"]).dt.strftime("%Y-%m-%d %H:%M")
    out.columns = [label(BATCH_COLUMNS, c, lang) for c in out.columns]
    return out


def audit_table(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The audit log as a clerk reads it: the server's local time to the second (as the lockout message gives it),
    the action in words, readable headers. The CSV keeps the codes and UTC."""
    out = log.copy()
    out["action"] = out["action"].map(lambda a: label(AUDIT_ACTIONS, a, lang))
    local = datetime.now().astimezone().tzinfo
    out["at"] = out["at"].dt.tz_convert(local).dt.strftime("%Y-%m-%d %H:%M:%S")  # audit_log's times are UTC-aware
    out.columns = [label(AUDIT_COLUMNS, c, lang) for c in out.columns]
    return out


def catalog_table(catalog, lang: str) -> pd.DataFrame:
    """The indicator catalog as a clerk reads it: name, unit, direction, definition, standard."""
    rows = [
        {
            "indicator": ind.name(lang),
            "code": ind.code,
            "unit": ind.unit,
            "direction": label(DIRECTION, ind.direction, lang),
            "definition": pick(ind.definition_zh, ind.definition_en, lang),
            "standard": ind.standard,
        }
        for ind in catalog
    ]
    out = pd.DataFrame(rows, columns=list(CATALOG_COLUMNS))
    out.columns = [label(CATALOG_COLUMNS, c, lang) for c in out.columns]
    return out


def target_text(t, catalog, lang: str) -> str:
    """A target as the plans write it: '≥56.00%', '2023年 -1.2%', or 'pending' (a Target or a table row)."""
    if t.form == "pending":
        return form_label("pending", lang)
    ind = catalog[t.indicator_code]
    if t.form == "relative":
        unit = "%" if t.relative_unit == "%" else ind.unit
        return f"{_baseline(int(t.baseline_year), lang)} {t.value:+g}{unit}"
    unit = "" if ind.unit in ("", "—") else ind.unit
    return f"{COMPARATOR_SIGNS.get(t.comparator, t.comparator)}{ind.format_value(t.value)}{unit}"


def _baseline(year: int, lang: str) -> str:
    return t("baseline_year", lang, year=year)  # a module-level helper: target_text's `t` is a target


def target_label(t, catalog, regions, lang: str) -> str:
    """One line to pick a target by: '#12 武汉 · 农村生活污水治理率 · ≥56.00% · 武汉市生态环境局'."""
    name = catalog[t.indicator_code].name(lang) if t.indicator_code in catalog else t.indicator_code
    issuer = getattr(t, "issuer_name", None) or getattr(t, "issuer", "")
    return f"#{t.target_id} {regions.name(t.region_code, lang)} · {name} · {target_text(t, catalog, lang)} · {issuer}"


def targets_display_table(targets: pd.DataFrame, catalog, lang: str) -> pd.DataFrame:
    """Targets with comparator and unit, the issuer and the quoted clause of the source document."""
    out = pd.DataFrame(
        {
            "target_id": targets["target_id"],
            "region": targets["region_name"],
            "indicator": targets["indicator_code"].map(lambda c: catalog[c].name(lang)),
            "target": [target_text(r, catalog, lang) for r in targets.itertuples()],
            "form": targets["form"].map(lambda f: form_label(f, lang)),
            "issuer": targets["issuer"],
            "source_file": targets["source_file"],
            "source_clause": targets["source_clause"],
            "note": targets["note"],
        }
    )
    out.columns = [label(TARGET_COLUMNS, c, lang) for c in out.columns]
    return out


def target_history_table(history: pd.DataFrame, catalog, lang: str) -> pd.DataFrame:
    """Every version of a target, oldest first: what it said, when it was entered and when and why it ended."""

    def when(ts) -> str:
        return "" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M")

    out = pd.DataFrame(
        {
            "target_id": history["target_id"],
            "state": history["state"].map(lambda s: label(TARGET_STATE, s, lang)),
            "target": [target_text(r, catalog, lang) for r in history.itertuples()],
            "issuer": history["issuer_name"],
            "source_clause": history["source_clause"],
            "entered": history["created_at"].map(when),
            "ended": history["retired_at"].map(when),
            "by": history["retired_by"],
            "note": history["retire_note"],
        }
    )
    out.columns = [label(HISTORY_COLUMNS, c, lang) for c in out.columns]
    return out


def province_figure_text(row, indicator: Indicator, lang: str) -> str:
    """A province's figure in words, saying how it was obtained: '湖北：36 μg/m³（湖北13个国考市州平均）'."""
    from indicators.groups import load_region_groups

    if row is None or pd.isna(row.actual):
        return ""
    unit = "" if indicator.unit in ("", "—") else f" {indicator.unit}"
    value = f"{indicator.format_value(row.actual)}{unit}"
    group = load_region_groups().get(row.aggregate_over or "")
    rule = pick(*AGGREGATION_RULE.get(indicator.aggregation, ("", "")), lang)
    if row.value_source in ("uploaded", "approximate"):
        how = pick(*HOW_OBTAINED[row.value_source], lang)
    elif group is not None:
        how = pick(*HOW_OBTAINED["group"], lang).format(group_zh=group.name_zh, group_en=group.name_en, rule=rule)
    else:
        how = pick(*HOW_OBTAINED["cities"], lang).format(rule=rule)
    return t("province_figure", lang, region=row.region_name, value=value, how=how)
