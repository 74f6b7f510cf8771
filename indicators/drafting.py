"""Candidate targets drafted from a work plan's text; nothing here is a target until a person confirms it.

Each clause with a figure (or a "达到考核要求" without one, a "无劣Ⅴ类", a "稳中向好" or "保持稳定" — no worse than
the year before —, a "完成…整治任务" — all of it) becomes a DraftTarget: the indicator
through the same header matcher the import uses (else the phrase as written), comparator and value as DESIGN.md
"Targets drafted from a work plan" spells them, the clause and its offsets. Results against a target ("好于国家考核
目标2.1微克/立方米"), baselines ("2023年为…") and counts of work (projects, firms, events) the catalog does not
know are left out; a headline figure restated later in the plan is merged into its first statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indicators import clauses as cl
from indicators import phrases
from indicators.catalog import Catalog
from indicators.plan_title import title_defaults
from indicators.regions import RegionIndex

TOLERANCE = 0.95  # "左右": met at 95 % of the figure (DESIGN.md, Domain model)

# Floors of the grades a standard defines: HJ 192-2015 生态环境状况分级, 优 EI ≥ 75, 良 55 ≤ EI < 75.
_GRADE_FLOORS = {"ei": {"优秀": 75.0, "良好": 55.0}}
_PAREN_PARTS = re.compile(r"^\s*[（(][^）)]*\d")


@dataclass(frozen=True)
class DraftTarget:
    """A candidate target read from one clause; relative values are the change (−1.2 = "下降1.2%")."""

    indicator_code: str | None  # catalog code, None when no indicator matches
    indicator_text: str  # the phrase as written
    region_code: str | None
    year: int | None
    comparator: str  # as indicators/targets.py COMPARATORS spells it
    value: float | None  # None when pending
    unit: str
    form: str  # absolute / relative / pending
    baseline_year: int | None
    stretch: bool  # 力争
    tolerance: float | None  # 左右
    source_clause: str
    clause_start: int
    clause_end: int
    issuer: str | None = None
    restated: int = 0  # how many later clauses restate the same target (merged into this one)


@dataclass(frozen=True)
class _Doc:
    catalog: Catalog
    year: int | None
    region: str | None
    issuer: str | None


def _comparator(before: str, after: str, code: str | None, catalog: Catalog) -> tuple[str, float | None]:
    """The comparator the words around a figure give, and the tolerance of a "左右"."""
    if cl.AFTER_ABOUT.match(after):  # 控制在15%左右: the words say which way; else the indicator's direction
        lower = bool(cl.BEFORE_LE.search(before)) or (code in catalog and not catalog[code].higher_better)
        return ("<=" if lower else ">="), TOLERANCE
    if cl.AFTER_GE.match(after):
        return ">=", None
    if cl.AFTER_LE.match(after) or cl.BEFORE_LE.search(before):
        return "<=", None
    if cl.BEFORE_STRICT_GT.search(before):
        return ">", None
    if cl.BEFORE_STRICT_LT.search(before):
        return "<", None
    if code in catalog and not catalog[code].higher_better:
        return "<=", None
    return ">=", None


def _draft(doc: _Doc, clause: cl.Clause, **fields) -> DraftTarget:
    stretch = bool(cl.STRETCH.search(clause.text))
    return DraftTarget(
        region_code=doc.region,
        year=doc.year,
        stretch=stretch,
        source_clause=clause.text.strip(),
        clause_start=clause.start + len(clause.text) - len(clause.text.lstrip()),
        clause_end=clause.start + len(clause.text.rstrip()),
        issuer=doc.issuer,
        **{"baseline_year": None, "tolerance": None, **fields},
    )


def _pending(doc: _Doc, clause: cl.Clause) -> list[DraftTarget]:
    m = cl.PENDING.search(clause.text)
    if m is None or [n for n in cl.numbers(clause.text[: m.start()]) if n.unit]:
        return []
    drafts = []
    for name in cl.names(clause.text[: m.start()]):
        code = phrases.match(name, "", doc.catalog)
        if code is None and m.group().endswith("达标"):  # 水源地水质稳定达标: its 达标率 at the required level
            code = phrases.match(name + "达标率", "", doc.catalog)
        if code is None:
            continue  # "完成年度目标任务" with no indicator named is not a target
        co2 = ("co2_intensity", "co2_intensity_reduction")
        for c in co2 if code in co2 else (code,):
            comparator = ">=" if doc.catalog[c].higher_better else "<="
            drafts.append(
                _draft(doc, clause, indicator_code=c, indicator_text=name, comparator=comparator,
                       value=None, unit=doc.catalog[c].unit, form="pending")
            )  # fmt: skip
    return drafts


def _zero(doc: _Doc, clause: cl.Clause) -> list[DraftTarget]:
    if [n for n in cl.numbers(clause.text) if n.unit]:
        return []  # 黑臭水体消除比例达到90%: a figure, not a zero
    drafts = []
    for m in [*cl.ZERO.finditer(clause.text), *cl.ZERO_AFTER.finditer(clause.text)]:
        names = cl.names(re.split(r"现象|问题|情况", m.group("what"))[0])
        names += [n + "消除比例" for n in names]  # 黑臭水体得到消除: the catalog names its 消除比例
        code = next((c for c in (phrases.match(n, "", doc.catalog) for n in names) if c), None)
        if code is None:
            continue
        indicator = doc.catalog[code]
        if indicator.higher_better and "消除" in indicator.name_zh:
            # 黑臭水体得到消除 read as the catalog's 消除比例: all of it
            drafts.append(
                _draft(doc, clause, indicator_code=code, indicator_text=m.group().strip(), comparator=">=",
                       value=100.0, unit=indicator.unit, form="absolute")
            )  # fmt: skip
            continue
        comparator = "=" if indicator.kind == "count" else "<="
        sub = cl.Clause(clause.start, clause.end, clause.text)
        drafts.append(
            _draft(doc, sub, indicator_code=code, indicator_text=m.group().strip(), comparator=comparator,
                   value=0.0, unit=doc.catalog[code].unit, form="absolute")
        )  # fmt: skip
    return drafts


def _no_worse(doc: _Doc, clause: cl.Clause, previous: str) -> list[DraftTarget]:
    """稳中向好 / 保持稳定 / 不能倒退变差: no worse than the year before; 保持良好: the floor of that grade."""
    no_worse, grade = cl.NO_WORSE.search(clause.text), cl.GRADE.search(clause.text)
    word = no_worse or grade
    if word is None or [n for n in cl.numbers(clause.text) if n.unit]:
        return []
    # "只能持续改善,不能倒退变差": the second clause speaks of the first one's subject.
    subject = cl.clean(clause.text[: word.start()]) or cl.clean(cl.NO_WORSE.split(previous)[0])
    drafts = []
    for code in phrases.subject_codes(subject, doc.catalog):
        indicator = doc.catalog[code]
        fields = dict(indicator_code=code, indicator_text=subject)  # noqa: C408
        if no_worse is not None:
            comparator = ">=" if indicator.higher_better else "<="
            baseline = doc.year - 1 if doc.year else None
            drafts.append(
                _draft(doc, clause, comparator=comparator, value=0.0, unit="", form="relative",
                       baseline_year=baseline, **fields)
            )  # fmt: skip
        elif (floor := _GRADE_FLOORS.get(code, {}).get(grade.group("grade"))) is not None:
            drafts.append(
                _draft(doc, clause, comparator=">=", value=floor, unit=indicator.unit, form="absolute", **fields)
            )
    return drafts


def _whole_task(doc: _Doc, clause: cl.Clause) -> list[DraftTarget]:
    """完成长江入河排污口整治任务 (no figure): the completion rate of that work at 100 %."""
    m = cl.WHOLE_TASK.search(clause.text)
    if m is None or [n for n in cl.numbers(clause.text) if n.unit]:
        return []
    name = cl.clean(m.group("what")) + m.group("verb") + "完成率"
    code = phrases.match(name, "%", doc.catalog)
    if code is None or doc.catalog[code].unit != "%":
        return []
    return [
        _draft(doc, clause, indicator_code=code, indicator_text=name, comparator=">=", value=100.0, unit="%",
               form="absolute")
    ]  # fmt: skip


def _change_again(doc: _Doc, clause: cl.Clause, earlier: list[DraftTarget]) -> list[DraftTarget]:
    """下降幅度力争达到3%: the relative targets of the clause before, with this clause's figure."""
    figures = [n for n in cl.numbers(clause.text, clause.start) if n.unit == "%"]
    if not cl.CHANGE_AGAIN.match(clause.text) or len(figures) != 1:
        return []
    stretch = bool(cl.STRETCH.search(clause.text))
    return [
        replace(
            _draft(doc, clause, **{f: getattr(d, f) for f in _CARRIED}),
            value=figures[0].value if d.value >= 0 else -figures[0].value,
            stretch=stretch,
        )
        for d in earlier
        if d.form == "relative" and d.value
    ]


_CARRIED = ("indicator_code", "indicator_text", "comparator", "value", "unit", "form", "baseline_year")


def _figures(doc: _Doc, sentence: cl.Clause, clause: cl.Clause, previous: str) -> list[DraftTarget]:
    text = clause.text
    figures = [
        n for n in cl.numbers(text, clause.start) if n.unit and not cl.is_year(n, text, clause.start)
    ]  # fmt: skip
    # A total followed by its parts in brackets (536.55万亩（安全利用489万亩、…）) is not a target of its own.
    figures = [n for n in figures if not _PAREN_PARTS.match(text[n.end - clause.start :])]
    drafts: list[DraftTarget] = []
    i = 0
    while i < len(figures):
        # A run of figures joined by 、 (4%、5%以上) shares the words after its last figure.
        run = [figures[i]]
        while i + len(run) < len(figures):
            gap = text[run[-1].end - clause.start : figures[i + len(run)].start - clause.start]
            if gap.strip() not in ("、", "和", "至", "~", "-", "—", "到"):
                break
            run.append(figures[i + len(run)])
        i += len(run)
        earlier = sentence.text[: clause.start - sentence.start]
        drafts += _from_run(doc, clause, run, previous, earlier)
    return drafts


def _from_run(
    doc: _Doc, clause: cl.Clause, run: list[cl.Number], previous: str, earlier: str = ""
) -> list[DraftTarget]:
    text, start = clause.text, clause.start
    head = text[: run[0].start - start]
    after = text[run[-1].end - start :]
    tail = re.split(r"[、,，（(]", after, maxsplit=1)[0]
    gap = text[run[0].end - start : run[-1].start - start] if len(run) == 2 else ""
    if gap.strip() in ("至", "~", "-", "—", "到"):  # 2至3个: one target, its lower (or upper) end
        comparator, tolerance = _comparator(head, after, None, doc.catalog)
        run = [run[0] if comparator.startswith(">") else run[-1]]
    relative = cl.RELATIVE.search(head) or cl.BARE_CHANGE.search(head)
    unit = "" if relative else run[0].unit  # a change is in % of the baseline, not in the indicator's unit
    object_after = re.sub(r"^(以上|以下|以内|左右|的)+", "", tail).strip()
    if run[0].unit in cl.COUNT_UNITS:
        candidates = [object_after]
    else:
        before = head[: relative.start()] if relative else head
        before = re.split(r"[（(]", before)[-1] if re.search(r"[（(][^)）]*$", before) else before
        candidates = [before, object_after]
        if object_after.endswith("任务"):  # 完成95%的整治任务: the completion rate of what the clause names
            # "排污口溯源和70%的整治任务": the other work joined by 和 is not part of the name
            work = object_after.removesuffix("任务")
            subject = re.sub(r"(溯源|排查|监测|整治|治理|整改)?(和|及|与)$", "", cl.clean(before)) or previous
            candidates.append(subject.removesuffix(work) + work + "完成率")
    names: list[str] = []
    for candidate in candidates:
        names = cl.names(candidate) if run[0].unit not in cl.COUNT_UNITS else [cl.clean(candidate)]
        if len(names) == len(run) > 1 or (names and phrases.match(names[0], unit, doc.catalog)):
            break
    else:
        names = cl.names(candidates[0]) if run[0].unit not in cl.COUNT_UNITS else [cl.clean(candidates[0])]
    if len(run) == 1 and len(names) > 1:  # 可吸入颗粒物和细颗粒物年平均浓度比2022年下降2%以上: each subject
        run = run * len(names)
    elif len(names) != len(run):
        names = [cl.clean(candidates[0]) or cl.clean(object_after)] * len(run)
    drafts = []
    names = [_with_sections(name, earlier) for name in names]
    for name, n in zip(names, run, strict=True):
        code = phrases.match(name, unit, doc.catalog)
        if relative and code == "co2_intensity_reduction":
            code = "co2_intensity"  # 比上年下降1.2%: a change of the intensity itself
        if code is None and not _measurable(name, n, relative):
            continue
        if code is not None and doc.catalog[code].unit not in ("", "—") and n.unit in cl.COUNT_UNITS:
            if doc.catalog[code].kind != "count":
                continue  # 7个耕地土壤污染成因排查项目: a count can only give a count indicator
        fields = dict(indicator_code=code, indicator_text=name, unit=n.unit)  # noqa: C408
        if relative:
            drafts += _relative(doc, clause, relative, n, after, fields)
            continue
        comparator, tolerance = _comparator(head, after, code, doc.catalog)
        drafts.append(
            _draft(doc, clause, comparator=comparator, value=n.value, form="absolute", tolerance=tolerance, **fields)
        )
    return drafts


def _with_sections(name: str, earlier: str) -> str:
    """ "确保全年优良比例达到100%" after "对27个省控断面进行调度": a bare 优良比例 is of the sections named before."""
    if not re.fullmatch(r"(优良|达标)(比例|比率|率)", name):
        return name
    sections = re.findall(r"(?:[国省市]控|国考|省考|考核|监测)?断面", earlier)
    return sections[-1] + name if sections else name


def _measurable(name: str, n: cl.Number, relative: re.Match | None) -> bool:
    """An indicator the catalog lacks is still a candidate when it is a rate, a concentration or a change."""
    if n.unit in cl.COUNT_UNITS or not name:
        return False
    return bool(relative) or bool(re.search(r"率|比例|比率|浓度|天数|排放量|强度|指数", name))


def _relative(doc: _Doc, clause: cl.Clause, m: re.Match, n: cl.Number, after: str, fields: dict) -> list[DraftTarget]:
    down = m.group("dir") in ("下降", "降低", "减少", "削减")
    if m.re is cl.BARE_CHANGE:
        baseline = None  # the plan names it elsewhere; the person confirming fills it in
    else:
        baseline = int(m.group("year")) if m.group("year") else (doc.year - 1 if doc.year else None)
    value = -n.value if down else n.value
    drafts = [
        _draft(doc, clause, comparator="<=" if down else ">=", value=value, form="relative", baseline_year=baseline,
               **fields)
    ]  # fmt: skip
    if fields["indicator_code"] == "co2_intensity" and down:
        # DESIGN: the same clause gives the reduction rate the absolute target ≥ x.
        reduction = {**fields, "indicator_code": "co2_intensity_reduction"}
        drafts.append(_draft(doc, clause, comparator=">=", value=n.value, form="absolute", **reduction))
    return drafts


def _key(d: DraftTarget) -> tuple:
    return (d.indicator_code or d.indicator_text, d.comparator, d.value, d.form, d.baseline_year)


def draft_targets(
    text: str,
    catalog: Catalog,
    regions: RegionIndex,
    *,
    year: int | None = None,
    region: str | None = None,
    issuer: str | None = None,
) -> list[DraftTarget]:
    """Candidate targets of a work plan, in the order the text states them; restatements merged into the first."""
    title_year, title_region, title_issuer = title_defaults(text, regions)
    doc = _Doc(catalog, year or title_year, region or title_region, issuer or title_issuer)
    drafts: list[DraftTarget] = []
    for sentence in cl.sentences(text):
        previous, found = "", []
        for clause in cl.clauses(sentence):
            if not cl.RESULT.search(clause.text):
                found = (
                    _change_again(doc, clause, found)
                    or _pending(doc, clause)
                    or _zero(doc, clause)
                    or _no_worse(doc, clause, previous)
                    or _whole_task(doc, clause)
                    or _figures(doc, sentence, clause, previous)
                )
                drafts += found
            previous = cl.clean(clause.text)
    merged: dict[tuple, DraftTarget] = {}
    for d in drafts:
        first = merged.get(_key(d))
        merged[_key(d)] = d if first is None else replace(first, restated=first.restated + 1)
    return list(merged.values())
