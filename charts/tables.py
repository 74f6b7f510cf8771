"""Tables shown under the charts: formatted as the bureaus write them."""

from __future__ import annotations

import pandas as pd

from indicators.catalog import Indicator
from ui.wording import column_label, form_label, origin_label, status_label
from indicators.targets import COMPARATOR_SIGNS

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
        who = (
            "、".join(names)
            if len(names) <= 3
            else (f"{len(names)}个地区" if lang == "zh" else f"{len(names)} regions")
        )
        parts.append(
            f"{COMPARATOR_SIGNS.get(comp, comp)}{indicator.format_value(value)}{unit}"
            f"（{origin_label(origin, lang)}：{who}）"
            if lang == "zh"
            else f"{COMPARATOR_SIGNS.get(comp, comp)}{indicator.format_value(value)}{unit} ({origin_label(origin, lang)}: {who})"
        )
    pending = int((gaps["status"] == "pending_target").sum())
    if pending:
        parts.append(f"目标待定 {pending}个" if lang == "zh" else f"target pending: {pending}")
    head = "有效目标：" if lang == "zh" else "Effective target: "
    return head + ("；" if lang == "zh" else "; ").join(parts) if parts else head + "—"


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
                yoy_text(c, u, lang) for c, u in zip(gaps.get("yoy_change", []), gaps.get("yoy_unit", []), strict=False)
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
        return " (百分点)" if lang == "zh" else " (percentage points)"
    return "" if indicator.unit in ("", "—") else f" ({indicator.unit})"


def yoy_text(change: float | None, unit: str, lang: str) -> str:
    """同比 as bulletins write it: '+1.2%', '-0.8个百分点', '持平'."""
    if change is None or pd.isna(change):
        return "—"
    if change == 0:
        return "持平" if lang == "zh" else "unchanged"
    if unit == "百分点":
        return f"{change:+.1f}个百分点" if lang == "zh" else f"{change:+.1f} pp"
    return f"{change:+.1f}%"


_UPLOAD_COLUMNS = {
    "region": ("地区", "Region"),
    "indicator": ("指标", "Indicator"),
    "year": ("年份", "Year"),
    "period": ("统计期", "Period"),
    "value": ("数值", "Value"),
    "old_value": ("原值", "Old value"),
    "new_value": ("新值", "New value"),
    "cell": ("单元格", "Cell"),
    "sheet": ("工作表", "Sheet"),
}
_BATCH_COLUMNS = {
    "id": ("批次", "Batch"),
    "file_name": ("文件名", "File"),
    "uploaded_by": ("上传人", "By"),
    "uploaded_at": ("上传时间", "Uploaded at"),
    "rows_inserted": ("新增", "New"),
    "rows_updated": ("更新", "Updated"),
    "rows_unchanged": ("未变", "Unchanged"),
    "status": ("状态", "Status"),
}
_BATCH_STATUS = {"committed": ("已提交", "Committed"), "rolled_back": ("已回滚", "Rolled back")}


def _label(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


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
    out.columns = [_label(_UPLOAD_COLUMNS[c], lang) for c in out.columns]
    return out


def batch_table(batches: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Upload history with readable headers and statuses."""
    out = batches[list(_BATCH_COLUMNS)].copy()
    out["status"] = out["status"].map(lambda s: _label(_BATCH_STATUS.get(s, (s, s)), lang))
    out["uploaded_at"] = pd.to_datetime(out["uploaded_at"]).dt.strftime("%Y-%m-%d %H:%M")
    out.columns = [_label(_BATCH_COLUMNS[c], lang) for c in out.columns]
    return out


_DIRECTION = {"higher_better": ("越高越好", "Higher is better"), "lower_better": ("越低越好", "Lower is better")}


def catalog_table(catalog, lang: str) -> pd.DataFrame:
    """The indicator catalog as a clerk reads it: name, unit, direction, definition, standard."""
    rows = [
        {
            ("指标", "Indicator"): ind.name(lang),
            ("代码", "Code"): ind.code,
            ("单位", "Unit"): ind.unit,
            ("方向", "Direction"): _label(_DIRECTION[ind.direction], lang),
            ("口径", "Definition"): ind.definition_en if lang == "en" else ind.definition_zh,
            ("依据标准", "Standard"): ind.standard,
        }
        for ind in catalog
    ]
    out = pd.DataFrame(rows)
    out.columns = [_label(c, lang) for c in out.columns]
    return out


def target_text(t, catalog, lang: str) -> str:
    """A target as the plans write it: '≥56.00%', '2023年 -1.2%', or 'pending' (a Target or a table row)."""
    if t.form == "pending":
        return form_label("pending", lang)
    ind = catalog[t.indicator_code]
    if t.form == "relative":
        unit = "%" if t.relative_unit == "%" else ind.unit
        base = f"{int(t.baseline_year)}年" if lang == "zh" else f"vs {int(t.baseline_year)}"
        return f"{base} {t.value:+g}{unit}"
    unit = "" if ind.unit in ("", "—") else ind.unit
    return f"{COMPARATOR_SIGNS.get(t.comparator, t.comparator)}{ind.format_value(t.value)}{unit}"


def target_label(t, catalog, regions, lang: str) -> str:
    """One line to pick a target by: '#12 武汉 · 农村生活污水治理率 · ≥56.00% · 武汉市生态环境局'."""
    name = catalog[t.indicator_code].name(lang) if t.indicator_code in catalog else t.indicator_code
    issuer = getattr(t, "issuer_name", None) or getattr(t, "issuer", "")
    return f"#{t.target_id} {regions.name(t.region_code, lang)} · {name} · {target_text(t, catalog, lang)} · {issuer}"


def targets_display_table(targets: pd.DataFrame, catalog, lang: str) -> pd.DataFrame:
    """Targets with comparator and unit, the issuer and the quoted clause of the source document."""
    out = pd.DataFrame(
        {
            ("编号", "No."): targets["target_id"],
            ("地区", "Region"): targets["region_name"],
            ("指标", "Indicator"): targets["indicator_code"].map(lambda c: catalog[c].name(lang)),
            ("目标", "Target"): [target_text(r, catalog, lang) for r in targets.itertuples()],
            ("类型", "Form"): targets["form"].map(lambda f: form_label(f, lang)),
            ("下达单位", "Issuer"): targets["issuer"],
            ("来源文件", "Source"): targets["source_file"],
            ("原文", "Clause"): targets["source_clause"],
            ("备注", "Note"): targets["note"],
        }
    )
    out.columns = [_label(c, lang) for c in out.columns]
    return out


_STATE = {"active": ("在用", "In force"), "edited": ("已修改", "Edited"), "retired": ("已停用", "Retired")}


def target_history_table(history: pd.DataFrame, catalog, lang: str) -> pd.DataFrame:
    """Every version of a target, oldest first: what it said, when it was entered and when and why it ended."""

    def when(ts) -> str:
        return "" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M")

    out = pd.DataFrame(
        {
            ("编号", "No."): history["target_id"],
            ("状态", "State"): history["state"].map(lambda s: _label(_STATE.get(s, (s, s)), lang)),
            ("目标", "Target"): [target_text(r, catalog, lang) for r in history.itertuples()],
            ("下达单位", "Issuer"): history["issuer_name"],
            ("原文", "Clause"): history["source_clause"],
            ("录入时间", "Entered"): history["created_at"].map(when),
            ("停用/修改时间", "Ended"): history["retired_at"].map(when),
            ("操作人", "By"): history["retired_by"],
            ("说明", "Note"): history["retire_note"],
        }
    )
    out.columns = [_label(c, lang) for c in out.columns]
    return out


def region_names_in(df: pd.DataFrame, regions, lang: str) -> pd.DataFrame:
    """The table with its region_name column in the interface language (the engine writes Chinese short names)."""
    if lang != "en" or "region_name" not in df:
        return df
    english = {r.short_name: regions.name(r.code, "en") for r in regions}
    return df.assign(region_name=df["region_name"].map(lambda n: english.get(n, n)))


def province_figure_text(row, indicator: Indicator, lang: str) -> str:
    """A province's figure in words, saying how it was obtained: '湖北：36 μg/m³（湖北13个国考市州平均）'."""
    from indicators.groups import load_region_groups

    if row is None or pd.isna(row.actual):
        return ""
    unit = "" if indicator.unit in ("", "—") else f" {indicator.unit}"
    value = f"{indicator.format_value(row.actual)}{unit}"
    group = load_region_groups().get(row.aggregate_over or "")
    zh_rule = {"mean": "平均", "sum": "合计", "ratio": "分子分母合计计算"}.get(indicator.aggregation, "")
    en_rule = {"mean": "mean", "sum": "total", "ratio": "from summed numerators and denominators"}.get(
        indicator.aggregation, ""
    )
    if row.value_source == "uploaded":
        how_zh, how_en = "上报值", "as submitted"
    elif row.value_source == "approximate":
        how_zh, how_en = "各市州平均，近似值，不评定", "mean of the cities, approximate, not graded"
    elif group is not None:
        how_zh, how_en = f"{group.name_zh}{zh_rule}", f"{en_rule} over {group.name_en}"
    else:
        how_zh, how_en = f"各市州{zh_rule}", f"{en_rule} over its cities"
    return f"{row.region_name}：{value}（{how_zh}）" if lang == "zh" else f"{row.region_name}: {value} ({how_en})"
