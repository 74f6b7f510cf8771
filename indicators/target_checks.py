"""Checks a target must pass before it is stored: one small check_* function per rule, run in CHECKS order.

Each problem names the form field it is about and says what is wrong in Chinese and English. Errors block
the save; warnings (a comparator against the indicator's direction) ask the user to look again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from indicators.catalog import Catalog, normalize_label
from indicators.periods import FIRST_YEAR, LAST_YEAR, is_year
from indicators.regions import RegionIndex
from indicators.targets import COMPARATOR_SIGNS, COMPARATORS, FORMS, TEXT_LIMITS, Target
from indicators.terms import Severity

RELATIVE_UNITS = ("%", "pp", "abs")
BINDINGS = ("", "约束性", "预期性")


class TargetProblem(NamedTuple):
    field: str
    zh: str
    en: str
    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class Context:
    catalog: Catalog
    regions: RegionIndex
    existing: tuple[Target, ...] = ()
    replacing: int | None = None


Check = Callable[[Target, Context], list[TargetProblem]]


def parse_value(text: object) -> float | None:
    """A number as people type it ("46.58", "46.58%", "１,５７１", "−1.2"); blank is None, anything else ValueError."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text)
    folded = normalize_label(text).replace("−", "-").replace(",", "").removesuffix("%")
    if not folded:
        return None
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", folded):
        raise ValueError(f"not a number: {text!r}")
    return float(folded)


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def check_indicator(t: Target, ctx: Context) -> list[TargetProblem]:
    if t.indicator_code in ctx.catalog:
        return []
    return [TargetProblem("indicator_code", f"未知指标：{t.indicator_code}", f"Unknown indicator: {t.indicator_code}")]


def check_region(t: Target, ctx: Context) -> list[TargetProblem]:
    if t.region_code in ctx.regions:
        return []
    return [TargetProblem("region_code", f"未知地区：{t.region_code}", f"Unknown region: {t.region_code}")]


def check_year(t: Target, ctx: Context) -> list[TargetProblem]:
    lo, hi = FIRST_YEAR, LAST_YEAR
    if is_year(t.year):
        return []
    return [
        TargetProblem("year", f"年份应在 {lo}–{hi} 之间：{t.year}", f"Year must be between {lo} and {hi}: {t.year}")
    ]


def check_comparator(t: Target, ctx: Context) -> list[TargetProblem]:
    if t.comparator in COMPARATORS:
        return []
    signs = " ".join(COMPARATOR_SIGNS.values())
    return [
        TargetProblem(
            "comparator",
            f"比较符应为 {signs} 之一：{t.comparator}",
            f"Comparator must be one of {signs}: {t.comparator}",
        )
    ]


def check_form(t: Target, ctx: Context) -> list[TargetProblem]:
    if t.form in FORMS:
        return []
    return [TargetProblem("form", f"未知目标类型：{t.form}", f"Unknown target form: {t.form}")]


def check_value(t: Target, ctx: Context) -> list[TargetProblem]:
    """Absolute: a number inside the indicator's range. Relative: a number. Pending: no number at all."""
    if t.form == "pending":
        if t.value is None:
            return []
        return [
            TargetProblem(
                "value",
                "目标待定时不填数值；已下达具体数值请选择“数值目标”",
                "A pending target has no number; choose 'Number' when the number is known",
            )
        ]
    if t.form not in ("absolute", "relative"):
        return []
    if not _is_number(t.value):
        return [TargetProblem("value", "请填写目标数值", "Enter the target number")]
    if t.form == "relative":
        if t.relative_unit == "%" and t.value <= -100:
            return [TargetProblem("value", "降幅不能达到或超过100%", "A reduction cannot reach 100% or more")]
        return []
    ind = ctx.catalog.by_code.get(t.indicator_code)
    if ind is None or ind.min_value <= t.value <= ind.max_value:
        return []
    unit = "" if ind.unit in ("", "—") else ind.unit
    lo, hi = f"{ind.min_value:g}", f"{ind.max_value:g}"
    return [
        TargetProblem(
            "value",
            f"{t.value:g} 超出{ind.name_zh}的合理范围 {lo}–{hi}{unit}",
            f"{t.value:g} is outside the valid range of {ind.name_en}: {lo}–{hi} {unit}".rstrip(),
        )
    ]


def check_relative(t: Target, ctx: Context) -> list[TargetProblem]:
    """A relative target needs an earlier baseline year and a unit for the change."""
    if t.form != "relative":
        return []
    out = []
    if t.baseline_year is None:
        out.append(TargetProblem("baseline_year", "相对目标须填写基准年", "A relative target needs a baseline year"))
    elif isinstance(t.year, int) and not (FIRST_YEAR <= t.baseline_year < t.year):
        out.append(
            TargetProblem(
                "baseline_year",
                f"基准年 {t.baseline_year} 应早于目标年份 {t.year}",
                f"The baseline year {t.baseline_year} must be before the target year {t.year}",
            )
        )
    if t.relative_unit not in RELATIVE_UNITS:
        out.append(
            TargetProblem(
                "relative_unit",
                "相对目标须选择变化的单位（%、百分点或指标单位）",
                "A relative target needs a unit for the change (%, percentage points or the indicator's unit)",
            )
        )
    return out


def check_issuer(t: Target, ctx: Context) -> list[TargetProblem]:
    """Someone issued it: a named bureau of the region itself or of a higher level."""
    out = []
    if not (t.issuer_name or "").strip():
        out.append(TargetProblem("issuer_name", "请填写下达单位", "Enter the issuing bureau"))
    if t.issuer_code not in ctx.regions:
        out.append(
            TargetProblem(
                "issuer_code", f"未知下达单位所属地区：{t.issuer_code}", f"Unknown issuer region: {t.issuer_code}"
            )
        )
    elif t.region_code in ctx.regions and t.issuer_code not in (t.region_code, *ctx.regions.ancestors(t.region_code)):
        issuer, region = ctx.regions.name(t.issuer_code), ctx.regions.name(t.region_code)
        out.append(
            TargetProblem(
                "issuer_code",
                f"{issuer}不能给{region}下达目标：下达单位应为本级或上级",
                f"{issuer} cannot set a target for {region}: the issuer must be the region itself or a higher level",
            )
        )
    return out


def check_clause(t: Target, ctx: Context) -> list[TargetProblem]:
    if (t.source_clause or "").strip():
        return []
    return [
        TargetProblem(
            "source_clause",
            "请摘录工作要点等文件中的目标原文",
            "Quote the clause of the work plan (or other document) that sets the target",
        )
    ]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_text(t: Target, ctx: Context) -> list[TargetProblem]:
    """Texts fit the database's columns and hold no control characters (PostgreSQL refuses NUL, SQLite does not:
    both backends must give the same answer)."""
    out = []
    for field, label_zh, label_en in (
        ("issuer_name", "下达单位", "Issuing bureau"),
        ("source_file", "来源文件", "Source file"),
        ("source_clause", "原文条款", "Quoted clause"),
        ("note", "备注", "Note"),
    ):
        text = getattr(t, field, "") or ""
        limit = TEXT_LIMITS.get(field)
        if limit and len(text) > limit:
            out.append(
                TargetProblem(
                    field,
                    f"{label_zh}过长（{len(text)}字，上限{limit}字）",
                    f"{label_en} is too long ({len(text)} characters; the limit is {limit})",
                )
            )
        if _CONTROL.search(text):
            out.append(
                TargetProblem(
                    field, f"{label_zh}含有不可见的控制字符，请删除后重新输入", f"{label_en} holds control characters"
                )
            )
    return out


def check_binding(t: Target, ctx: Context) -> list[TargetProblem]:
    if (t.binding or "") in BINDINGS:
        return []
    return [
        TargetProblem(
            "binding", f"指标属性应为约束性或预期性：{t.binding}", f"Binding must be 约束性 or 预期性: {t.binding}"
        )
    ]


def check_direction(t: Target, ctx: Context) -> list[TargetProblem]:
    """'≤' on a higher-is-better indicator is almost always a slip of the hand: warn, do not refuse."""
    ind = ctx.catalog.by_code.get(t.indicator_code)
    if ind is None or t.comparator not in COMPARATORS or t.comparator == "=":
        return []
    upward = t.comparator in (">=", ">")
    if upward == ind.higher_better:
        return []
    sign = COMPARATOR_SIGNS[t.comparator]
    zh_dir, en_dir = ("越高越好", "higher is better") if ind.higher_better else ("越低越好", "lower is better")
    return [
        TargetProblem(
            "comparator",
            f"{ind.name_zh}{zh_dir}，比较符“{sign}”与方向相反，请核对",
            f"{ind.name_en}: {en_dir}, but the comparator is '{sign}'; please check",
            Severity.WARNING,
        )
    ]


def check_duplicate(t: Target, ctx: Context) -> list[TargetProblem]:
    """One issuer sets one target per indicator, region and year: a second one is an edit of the first."""
    for other in ctx.existing:
        same = (other.indicator_code, other.region_code, other.year, other.issuer_code) == (
            t.indicator_code,
            t.region_code,
            t.year,
            t.issuer_code,
        )
        if same and other.target_id != ctx.replacing:
            issuer = other.issuer_name or other.issuer_code
            return [
                TargetProblem(
                    "indicator_code",
                    f"{issuer}已对该地区下达{t.year}年该指标目标（编号 {other.target_id}），请修改原目标，不要重复添加",
                    f"{issuer} already set this indicator's {t.year} target for the region (no. {other.target_id}); "
                    "edit that target instead of adding another",
                )
            ]
    return []


CHECKS: list[Check] = [
    check_indicator,
    check_region,
    check_year,
    check_form,
    check_comparator,
    check_value,
    check_relative,
    check_issuer,
    check_binding,
    check_clause,
    check_text,
    check_direction,
    check_duplicate,
]


def validate_target(
    target: Target,
    catalog: Catalog,
    regions: RegionIndex,
    existing: Iterable[Target] = (),
    replacing: int | None = None,
) -> list[TargetProblem]:
    """Every problem of a target about to be added, or about to replace target `replacing`.

    `existing` are the targets in force (at least those of the same indicator, region and year).
    """
    ctx = Context(catalog, regions, tuple(existing), replacing)
    return [p for check in CHECKS for p in check(target, ctx)]


def has_errors(problems: Iterable[TargetProblem]) -> bool:
    return any(p.severity == Severity.ERROR for p in problems)
