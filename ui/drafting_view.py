"""The drafting page's parts: read a work plan (in the parse sandbox), draft, review the drafts, save the confirmed.

Drafts live in session state as the drafts table (indicators/draft_table.py) with a decision column; the person
edits them in a data editor, and "save" turns the confirmed rows into targets through the same checks as the target
form (indicators/target_checks.py) and the same store call as a target table import. One refused row saves nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from charts.safe_text import for_markdown
from data_loaders import store
from data_loaders.documents import Document, UnreadableDocument, read_document_bytes
from data_loaders.sandbox import run_isolated
from data_loaders.settings import max_upload_bytes, parse_memory_bytes, parse_seconds
from data_loaders.workbook import UnreadableWorkbook
from indicators.catalog import Catalog
from indicators.draft_table import draft_row_target, drafts_frame, mark_number, number_span
from indicators.drafting import draft_targets
from indicators.periods import FIRST_YEAR, LAST_YEAR
from indicators.plan_title import title_defaults
from indicators.regions import RegionIndex
from indicators.target_checks import validate_target
from indicators.targets import COMPARATOR_SIGNS, COMPARATORS, FORMS, Target
from ui.auth import signed_in
from ui.data import clear_reads, engine
from ui.faults import report, text_of
from ui.target_access import outside_lines
from ui.wording import form_label, pick, t

# Session-state keys.
DOC = "draft_doc"  # the Document drafted from
ROWS = "draft_rows"  # the drafts table with its decision column
EDITOR = "draft_editor"  # the data editor's key, with a generation so a new set of drafts starts unedited
GENERATION = "draft_generation"
DEFAULTS = "draft_defaults"  # the year, region and issuer the drafts were made with
ACK = "draft_ack"  # the confirmed targets whose warnings were shown: saving them unchanged goes ahead
FLASH = "draft_flash"

PENDING, CONFIRM, REJECT = "pending", "confirm", "reject"
DECISIONS = (PENDING, CONFIRM, REJECT)
_UNMATCHED = ""  # the indicator column's value when no catalog indicator is chosen


@dataclass(frozen=True)
class Defaults:
    year: int | None
    region: str | None
    issuer: str


def _read_document(data: bytes, name: str) -> Document:
    """Run in the sandbox child: a document's reasons to be unreadable travel as the sandbox's own error."""
    try:
        return read_document_bytes(data, name)
    except UnreadableDocument as exc:
        raise UnreadableWorkbook(exc.zh, exc.en) from None


def read_plan(data: bytes, name: str, lang_: str) -> Document | None:
    """The plan's text read in a child process under the upload limits (a hostile .docx or PDF harms only the
    child); None after showing why it cannot be read."""
    if len(data) > max_upload_bytes():
        reason = t("drafting_too_big", lang_, mb=max_upload_bytes() // (1024 * 1024))
        st.error(t("drafting_unreadable", lang_, name=for_markdown(name), reason=reason))
        return None
    try:
        return run_isolated(
            _read_document, data, name, memory_bytes=parse_memory_bytes(), seconds=parse_seconds()
        )  # fmt: skip
    except UnreadableWorkbook as exc:
        reason = for_markdown(pick(exc.zh, exc.en, lang_))
        st.error(t("drafting_unreadable", lang_, name=for_markdown(name), reason=reason))
        return None


def pasted_source_name(text: str) -> str:
    """What pasted text is cited as: its title, the first line (a target's source names the document)."""
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return " ".join(title.split())[:80]


def document_key(document: Document) -> str:
    return hashlib.sha256(document.text.encode()).hexdigest()[:16]


def defaults_of(document: Document, regions: RegionIndex) -> Defaults:
    year, region, issuer = title_defaults(document.text, regions)
    return Defaults(year, region, issuer or "")


def start_drafts(document: Document, defaults: Defaults, catalog: Catalog, regions: RegionIndex) -> None:
    """Draft the document and put the drafts in session state, every row undecided."""
    drafts = draft_targets(
        document.text, catalog, regions, year=defaults.year, region=defaults.region, issuer=defaults.issuer or None
    )
    frame = drafts_frame(drafts, source_file=document.name)
    frame.insert(0, "decision", PENDING)
    frame.insert(0, "no", range(1, len(frame) + 1))
    known = frame["indicator_code"].isin([i.code for i in catalog])
    frame["indicator_code"] = frame["indicator_code"].where(known, _UNMATCHED)
    frame["issuer"] = defaults.issuer
    frame["existing_id"] = _stored_ids(frame)
    frame["stretch"] = frame["stretch"] != ""
    st.session_state[DOC] = document
    st.session_state[DEFAULTS] = defaults
    st.session_state[ROWS] = frame
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.session_state.pop(ACK, None)


def _stored_ids(frame: pd.DataFrame) -> list[int | None]:
    """For each draft, the id of a target in force for the same indicator, region, year and form (read once per
    drafting): a plan drafted again shows what is already stored."""
    years = {int(y) for y in frame["year"].dropna()}
    stored = {}
    for year in years:
        for target in store.load_targets(engine(), year):
            stored.setdefault((target.indicator_code, target.region_code, target.year, target.form), target.target_id)
    keys = zip(frame["indicator_code"], frame["region_code"], frame["year"], frame["form"], strict=True)
    return [stored.get((i, r, None if pd.isna(y) else int(y), f)) for i, r, y, f in keys]


def discard_drafts() -> None:
    for key in (DOC, ROWS, DEFAULTS, ACK):
        st.session_state.pop(key, None)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


_EDITABLE = ("indicator_code", "region_code", "year", "comparator", "value", "form", "baseline_year", "stretch")


def _key(no: int, field: str) -> str:
    return f"draft_{st.session_state.get(GENERATION, 0)}_{no}_{field}"


def _clause_markdown(clause: str, value: float | None) -> str:
    """The clause as Markdown shows it literally, its figure highlighted."""
    span = number_span(clause, value)
    if span is None:
        return for_markdown(clause)
    a, b = span
    return f"{for_markdown(clause[:a])}:orange-background[**{for_markdown(clause[a:b])}**]{for_markdown(clause[b:])}"


def _summary(row: dict, catalog: Catalog, regions: RegionIndex, lang_: str) -> str:
    code = row["indicator_code"]
    name = (
        catalog[code].name(lang_) if code in catalog else f"{row['indicator_text']}（{t('drafting_unmatched', lang_)}）"
    )
    where = regions.name(row["region_code"], lang_) if row["region_code"] in regions else "—"
    value = row["value"]
    if isinstance(value, str):
        figure = value
    elif row["form"] == "pending" or value is None or pd.isna(value):
        figure = form_label("pending", lang_)
    else:
        figure = f"{COMPARATOR_SIGNS.get(row['comparator'], row['comparator'])} {value:g}{row['unit']}"  # 42微克/立方米, 89.3%
    if row["form"] == "relative" and row["baseline_year"] is not None and not pd.isna(row["baseline_year"]):
        figure += " · " + t("drafting_relative_to", lang_, year=int(row["baseline_year"]))
    stretch = " · " + t("drafting_col_stretch", lang_) if row["stretch"] else ""
    if row.get("existing_id") is not None and not pd.isna(row["existing_id"]):
        stretch += " · " + t("drafting_stored", lang_, id=int(row["existing_id"]))
    year = "—" if row["year"] is None or pd.isna(row["year"]) else int(row["year"])
    return f"**{row['no']}.** {for_markdown(name)} · {for_markdown(where)} · {year} · {for_markdown(figure)}{stretch}"


def _edit_fields(row: dict, codes: list[str], region_codes: list[str], catalog, regions, lang_: str) -> None:
    no = row["no"]
    a, b, c = st.columns([3, 2, 1])
    a.selectbox(
        t("field_indicator_code", lang_),
        codes,
        index=codes.index(row["indicator_code"]) if row["indicator_code"] in codes else 0,
        format_func=lambda code: catalog[code].name(lang_) if code else "—",
        key=_key(no, "indicator_code"),
    )
    b.selectbox(
        t("field_region_code", lang_),
        region_codes,
        index=region_codes.index(row["region_code"]) if row["region_code"] in region_codes else 0,
        format_func=lambda code: regions.name(code, lang_) if code in regions else "—",
        key=_key(no, "region_code"),
    )
    year = None if row["year"] is None or pd.isna(row["year"]) else int(row["year"])
    c.number_input(t("field_year", lang_), FIRST_YEAR, LAST_YEAR, value=year, step=1, key=_key(no, "year"))
    a, b, c, d, e = st.columns([1, 1, 2, 1, 1])
    a.selectbox(
        t("field_comparator", lang_),
        list(COMPARATORS),
        index=list(COMPARATORS).index(row["comparator"]) if row["comparator"] in COMPARATORS else 0,
        format_func=COMPARATOR_SIGNS.get,
        key=_key(no, "comparator"),
    )
    value = row["value"]
    b.text_input(
        t("field_value", lang_), "" if value is None or pd.isna(value) else f"{value:g}", key=_key(no, "value")
    )
    c.selectbox(
        t("field_form", lang_),
        list(FORMS),
        index=list(FORMS).index(row["form"]) if row["form"] in FORMS else 0,
        format_func=lambda f: form_label(f, lang_),
        key=_key(no, "form"),
    )
    base = None if row["baseline_year"] is None or pd.isna(row["baseline_year"]) else int(row["baseline_year"])
    d.number_input(t("field_baseline_year", lang_), 2000, 2100, value=base, step=1, key=_key(no, "baseline_year"))
    e.checkbox(t("drafting_col_stretch", lang_), value=bool(row["stretch"]), key=_key(no, "stretch"))


def _edited(row: dict) -> dict:
    """The row as its widgets now say (a widget not drawn yet keeps the drafted value)."""
    out = dict(row)
    for field in _EDITABLE:
        key = _key(row["no"], field)
        if key in st.session_state:
            out[field] = st.session_state[key]
    if isinstance(out["value"], str):
        out["value"] = _number(out["value"])
    out["decision"] = st.session_state.get(_key(row["no"], "decision")) or PENDING
    return out


def _float(value: object) -> float | None:
    return value if isinstance(value, float) and not pd.isna(value) else None


def _number(text: str) -> float | str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return text  # kept as typed: the checks on save say it is not a number


def review(catalog: Catalog, regions: RegionIndex, province: str, lang_: str) -> pd.DataFrame:
    """A table of every draft, then one card per draft: what was read, the clause with its figure highlighted, the
    decision (confirm / reject / undecided) and the fields to correct. Returns the drafts as the person left them."""
    frame: pd.DataFrame = st.session_state[ROWS]
    codes = [_UNMATCHED, *(i.code for i in catalog)]
    region_codes = [province, *(r.code for r in regions.children(province))]  # the plan's own region first
    region_codes += sorted(set(frame["region_code"].dropna()) - {"", *region_codes})
    rows = [_edited(r) for r in frame.to_dict("records")]
    table = pd.DataFrame(
        {
            t("drafting_col_no", lang_): [r["no"] for r in rows],
            t("drafting_col_decision", lang_): [t(f"decision_{r['decision']}", lang_) for r in rows],
            t("field_indicator_code", lang_): [
                catalog[r["indicator_code"]].name(lang_) if r["indicator_code"] in catalog else "—" for r in rows
            ],
            t("drafting_col_text", lang_): [r["indicator_text"] for r in rows],
            t("drafting_col_clause", lang_): [mark_number(r["source_clause"], _float(r["value"])) for r in rows],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    for row in rows:
        with st.container(border=True):
            left, right = st.columns([5, 2], vertical_alignment="center")
            left.markdown(_summary(row, catalog, regions, lang_))
            left.markdown(_clause_markdown(row["source_clause"], _float(row["value"])))
            right.segmented_control(
                t("drafting_col_decision", lang_),
                list(DECISIONS),
                default=row["decision"],
                format_func=lambda d: t(f"decision_{d}", lang_),
                key=_key(row["no"], "decision"),
                label_visibility="collapsed",
            )
            with st.expander(t("drafting_edit", lang_, no=row["no"])):
                _edit_fields(row, codes, region_codes, catalog, regions, lang_)
    return pd.DataFrame([_edited(r) for r in frame.to_dict("records")], columns=[*frame.columns])


def _row_target(row: dict, defaults: Defaults) -> Target:
    """A reviewed row as the drafts CSV would carry it, then the Target the CLI would store from it."""
    value = row["value"]
    csv_row = {
        **row,
        "value": value if isinstance(value, str) else "" if value is None or pd.isna(value) else f"{value:g}",
        "stretch": "力争" if row["stretch"] else "",
        "issuer_code": defaults.region or "",
    }
    return draft_row_target(csv_row, defaults.issuer or None, row["source_file"])


def save_confirmed(edited: pd.DataFrame, defaults: Defaults, catalog: Catalog, regions: RegionIndex, lang_: str):
    """Check every confirmed row; when none is refused (and warnings were shown once), store them as targets."""
    confirmed = edited[edited["decision"] == CONFIRM]
    if confirmed.empty:
        st.session_state[FLASH] = [("warning", t("drafting_nothing_confirmed", lang_))]
        return
    targets: list[Target] = []
    errors: list[str] = []
    warnings: list[str] = []
    for row in confirmed.to_dict("records"):
        where = t("drafting_row", lang_, no=row["no"])
        if not row["indicator_code"]:
            errors.append(
                f"- **{where}**：{for_markdown(t('drafting_no_indicator', lang_, text=row['indicator_text']))}"
            )
            continue
        try:
            target = _row_target(row, defaults)
        except ValueError as exc:
            errors.append(f"- **{where}**：{for_markdown(str(exc))}")
            continue
        existing = store.load_targets(engine(), target.year, target.region_code, target.indicator_code)
        for p in validate_target(target, catalog, regions, [*existing, *targets]):
            line = f"- **{where}** · {t('field_' + p.field, lang_)}：{for_markdown(pick(p.zh, p.en, lang_))}"
            (errors if p.severity == "error" else warnings).append(line)
        targets.append(target)
    account = signed_in()
    if account is not None:
        errors += outside_lines(account, targets, regions, lang_)
    if errors:
        st.session_state[FLASH] = [("error", t("drafting_invalid", lang_) + "\n" + "\n".join(errors))]
        return
    if warnings and st.session_state.get(ACK) != targets:
        st.session_state[ACK] = targets
        st.session_state[FLASH] = [("warning", t("drafting_warn", lang_) + "\n" + "\n".join(warnings))]
        return
    try:
        added = store.add_targets(engine(), targets, by=account.name)
    except Exception as exc:  # the app's message, never a stack trace; the log keeps the details
        st.session_state[FLASH] = [("error", text_of(report(exc, "saving drafted targets")))]
        return
    clear_reads()
    st.session_state.pop(ACK, None)
    # the rows not saved stay as the person left them (decisions and edits)
    st.session_state[ROWS] = edited[edited["decision"] != CONFIRM].reset_index(drop=True)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.session_state[FLASH] = [("success", t("drafting_saved", lang_, n=added, confirmed=len(targets)))]


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
        getattr(st, kind)(text)
