"""The catalog page's target forms: add, edit (also: fill in a pending target's number), retire and import.

Writes happen in the submit callbacks, before the page is drawn again, so the tables above the forms already
show the change; each outcome is kept in session state and shown once, next to the forms. The pick lists offer only
the targets the account may write (an analyst: its province's), and every write is refused for a target about a
region outside the account's, as on the drafting page and the CLI (ui/target_access.py).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from charts.safe_text import for_markdown
from charts.tables import target_history_table, target_label
from data_loaders import store
from data_loaders.pipeline import UnreadableWorkbook
from data_loaders.target_tables import ParsedTargets, read_target_table
from indicators.access import Account, Action
from indicators.periods import FIRST_YEAR, LAST_YEAR
from indicators.target_checks import BINDINGS, RELATIVE_UNITS, TargetProblem, has_errors, parse_value, validate_target
from indicators.targets import COMPARATOR_SIGNS, COMPARATORS, FORMS, Target
from ui.auth import signed_in, writer_for
from ui.data import clear_reads, engine, reference
from ui.faults import guarded, report, text_of
from ui.state import PROVINCE, bound_select, lang
from ui.target_access import outside_lines, writable_targets
from ui.wording import form_label, pick, t

# Session-state keys.
ACTION = "target_action"  # which form is open: add / edit / retire
PICK = "target_pick"  # id of the target being edited or retired
FILL = "target_fill"  # id of a pending target opened as a number target
FLASH = "target_flash"  # [(kind, text)] from the last submit, shown once
ACK = "target_ack"  # (form key, Target) whose warnings were shown: submitting it unchanged saves it
PENDING_PICK = "pending_pick"

ACTIONS = ("add", "edit", "retire")
ADD_FORM = "target_add"
RETIRE_FORM = "target_retire"
_UNITS = {"": "unit_none", "%": "unit_pct", "pp": "unit_pp", "abs": "unit_abs"}


def _flash(kind: str, text: str) -> None:
    st.session_state.setdefault(FLASH, []).append((kind, text))


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
        getattr(st, kind)(text)


def _problem_lines(problems: list[TargetProblem], lang_: str) -> str:
    # the messages quote what was typed (issuer, clause, value): only our own list and bold are markup
    return "\n".join(f"- **{t('field_' + p.field, lang_)}**：{for_markdown(pick(p.zh, p.en, lang_))}" for p in problems)


def region_refusal(account: Account, targets: list[Target | None], lang_: str) -> str | None:
    """The refusal of the targets about regions outside the account's, in the drafting page's and the CLI's words;
    None when every target is within them."""
    lines = outside_lines(account, targets, reference()[1], lang_)
    return t("target_invalid", lang_) + "\n" + "\n".join(lines) if lines else None


def _index(options: list, value, default: int = 0) -> int:
    return options.index(value) if value in options else default


def target_fields(fk: str, initial: Target, lang_: str) -> None:
    """The widgets of one target, keyed f"{fk}_{field}" and prefilled from `initial`."""
    catalog, regions = reference()
    codes = [i.code for i in catalog]
    region_codes = sorted(r.code for r in regions)
    left, right = st.columns(2)
    left.selectbox(
        t("field_indicator_code", lang_),
        codes,
        index=_index(codes, initial.indicator_code),
        format_func=lambda c: catalog[c].name(lang_),
        key=f"{fk}_indicator_code",
    )
    right.selectbox(
        t("field_region_code", lang_),
        region_codes,
        index=_index(region_codes, initial.region_code),
        format_func=lambda c: regions[c].full_name(lang_),
        key=f"{fk}_region_code",
    )
    a, b, c, d = st.columns([1, 2, 1, 1])
    a.number_input(t("field_year", lang_), FIRST_YEAR, LAST_YEAR, value=initial.year, step=1, key=f"{fk}_year")
    b.radio(
        t("field_form", lang_),
        list(FORMS),
        index=_index(list(FORMS), initial.form),
        format_func=lambda f: form_label(f, lang_),
        horizontal=True,
        key=f"{fk}_form",
    )
    c.selectbox(
        t("field_comparator", lang_),
        list(COMPARATORS),
        index=_index(list(COMPARATORS), initial.comparator),
        format_func=COMPARATOR_SIGNS.get,
        key=f"{fk}_comparator",
    )
    d.text_input(
        t("field_value", lang_),
        value="" if initial.value is None else f"{initial.value:g}",
        help=t("help_value", lang_),
        key=f"{fk}_value",
    )
    a, b, c, d = st.columns(4)
    a.number_input(
        t("field_baseline_year", lang_),
        2000,
        2100,
        value=initial.baseline_year,
        step=1,
        help=t("help_relative", lang_),
        key=f"{fk}_baseline_year",
    )
    units = ["", *RELATIVE_UNITS]
    b.selectbox(
        t("field_relative_unit", lang_),
        units,
        index=_index(units, initial.relative_unit or ""),
        format_func=lambda u: t(_UNITS[u], lang_),
        help=t("help_relative", lang_),
        key=f"{fk}_relative_unit",
    )
    c.selectbox(
        t("field_binding", lang_),
        list(BINDINGS),
        index=_index(list(BINDINGS), initial.binding),
        format_func=lambda v: t(f"binding_{v or 'none'}", lang_),
        key=f"{fk}_binding",
    )
    d.selectbox(
        t("field_issuer_code", lang_),
        region_codes,
        index=_index(region_codes, initial.issuer_code or initial.region_code),
        format_func=lambda c: regions[c].full_name(lang_),
        key=f"{fk}_issuer_code",
    )
    left, right = st.columns(2)
    left.text_input(
        t("field_issuer_name", lang_),
        value=initial.issuer_name,
        placeholder=t("issuer_placeholder", lang_),
        key=f"{fk}_issuer_name",
    )
    right.text_input(t("field_source_file", lang_), value=initial.source_file, key=f"{fk}_source_file")
    st.text_area(t("field_source_clause", lang_), value=initial.source_clause, height=80, key=f"{fk}_source_clause")
    # Not edited here, but kept: an edit must not lose the group a target is about or its 左右 tolerance.
    st.session_state[f"{fk}_region_group"] = initial.region_group
    st.session_state[f"{fk}_tolerance"] = initial.tolerance
    scopes = ["whole", "each"]
    st.radio(
        t("field_scope", lang_),
        scopes,
        index=_index(scopes, initial.scope),
        format_func=lambda v: t(f"scope_{v}", lang_),
        horizontal=True,
        key=f"{fk}_scope",
    )
    st.text_input(t("field_note", lang_), value=initial.note, key=f"{fk}_note")


def read_form(fk: str, lang_: str) -> tuple[Target | None, list[TargetProblem]]:
    """The Target the form describes, or None and the problem when the value is not a number."""
    state = st.session_state
    raw = state[f"{fk}_value"]
    try:
        value = parse_value(raw)
    except ValueError:
        zh, en = (t("value_unreadable", lg, text=raw) for lg in ("zh", "en"))
        return None, [TargetProblem("value", zh, en)]
    form = state[f"{fk}_form"]
    relative = form == "relative"  # baseline and unit mean nothing for the other forms: not stored
    baseline = state[f"{fk}_baseline_year"]
    target = Target(
        indicator_code=state[f"{fk}_indicator_code"],
        region_code=state[f"{fk}_region_code"],
        year=int(state[f"{fk}_year"]),
        comparator=state[f"{fk}_comparator"],
        value=value,
        form=form,
        baseline_year=int(baseline) if relative and baseline is not None else None,
        relative_unit=(state[f"{fk}_relative_unit"] or None) if relative else None,
        issuer_code=state[f"{fk}_issuer_code"],
        issuer_name=state[f"{fk}_issuer_name"].strip(),
        binding=state[f"{fk}_binding"],
        source_file=state[f"{fk}_source_file"].strip(),
        source_clause=state[f"{fk}_source_clause"].strip(),
        note=state[f"{fk}_note"].strip(),
        scope=state.get(f"{fk}_scope", "whole"),
        region_group=state.get(f"{fk}_region_group") or "",
        tolerance=state.get(f"{fk}_tolerance"),
    )
    return target, []


def _save(fk: str, target_id: int | None) -> None:
    """Submit callback: validate, ask once about warnings, then add (target_id None) or edit target_id."""
    lang_ = lang()
    if (account := writer_for(Action.TARGET_WRITE)) is None:
        return
    catalog, regions = reference()
    try:
        target, problems = read_form(fk, lang_)
        old = store.load_target(engine(), target_id) if target_id is not None else None
        if target is not None and (refusal := region_refusal(account, [old, target], lang_)):
            _flash("error", refusal)
            return
        if target is not None:
            existing = store.load_targets(engine(), target.year, target.region_code, target.indicator_code)
            problems = validate_target(target, catalog, regions, existing, replacing=target_id)
        if has_errors(problems):
            errors = [p for p in problems if p.severity == "error"]
            _flash("error", t("target_invalid", lang_) + "\n" + _problem_lines(errors, lang_))
            if warnings := [p for p in problems if p.severity != "error"]:
                _flash("warning", _problem_lines(warnings, lang_))
            return
        if old is not None and old == replace(target, target_id=target_id):
            _flash("info", t("target_unchanged", lang_))  # an edit that changes nothing adds no history
            return
        if problems and st.session_state.get(ACK) != (fk, target):
            st.session_state[ACK] = (fk, target)
            _flash("warning", t("target_warn", lang_) + "\n" + _problem_lines(problems, lang_))
            return
        _write(target, target_id, account, lang_)
    except store.TargetRefused as exc:
        _flash("error", for_markdown(exc.text(lang_)))
    except Exception as exc:  # the app's message, never a stack trace; the log keeps the details
        _flash("error", text_of(report(exc, "saving a target")))


def _write(target: Target, target_id: int | None, account: Account, lang_: str) -> None:
    """Add the target (target_id None) or put it in place of target_id, under the account's name."""
    if target_id is None:
        new_id = store.add_target(engine(), target, by=account.name)
        _flash("success", t("target_saved", lang_, id=new_id))
    else:
        new_id = store.update_target(engine(), target_id, target, by=account.name)
        st.session_state[PICK] = new_id
        st.session_state.pop(FILL, None)
        _flash("success", t("target_updated", lang_, old=target_id, id=new_id))
    st.session_state.pop(ACK, None)
    clear_reads()


def _retire(target_id: int) -> None:
    """Submit callback of the retire form: needs the confirmation and a reason."""
    lang_ = lang()
    if (account := writer_for(Action.TARGET_WRITE)) is None:
        return
    note = st.session_state.get(f"{RETIRE_FORM}_note", "").strip()
    if not st.session_state.get(f"{RETIRE_FORM}_confirm"):
        _flash("error", t("retire_need_confirm", lang_))
        return
    if not note:
        _flash("error", t("retire_need_note", lang_))
        return
    try:
        if refusal := region_refusal(account, [store.load_target(engine(), target_id)], lang_):
            _flash("error", refusal)
            return
        store.retire_target(engine(), target_id, note, by=account.name)
    except store.TargetRefused as exc:
        _flash("error", for_markdown(exc.text(lang_)))
        return
    except Exception as exc:  # the app's message, never a stack trace; the log keeps the details
        _flash("error", text_of(report(exc, f"retiring target {target_id}")))
        return
    for key in (f"{RETIRE_FORM}_note", f"{RETIRE_FORM}_confirm", PICK):
        st.session_state.pop(key, None)
    clear_reads()
    _flash("success", t("target_retired", lang_, id=target_id))


def _open_fill() -> None:
    """The pending list's button: open the edit form on that target, as a number target."""
    target_id = st.session_state.get(PENDING_PICK)
    if target_id is not None:
        st.session_state[ACTION], st.session_state[PICK], st.session_state[FILL] = "edit", target_id, target_id


def pending_fill(pending: pd.DataFrame, lang_: str) -> None:
    """Pick a pending target the account may write and open it to fill in the number the assessment set."""
    catalog, regions = reference()
    rows = {int(r.target_id): r for r in writable_targets(pending, signed_in(), regions).itertuples()}
    if not rows:
        return
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    with left:
        bound_select(
            st.selectbox,
            t("pending_pick", lang_),
            list(rows),
            PENDING_PICK,
            lambda i: target_label(rows[i], catalog, regions, lang_),
        )
    right.button(t("fill_value", lang_), key="pending_fill", on_click=_open_fill)


def _history(target_id: int, lang_: str) -> None:
    catalog, _ = reference()
    with st.expander(t("history_heading", lang_)):
        history = store.target_history(engine(), target_id)
        st.dataframe(target_history_table(history, catalog, lang_), hide_index=True, width="stretch")


def manage_targets(targets: pd.DataFrame, year: int, lang_: str) -> None:
    """Add, edit or retire a target; edit and retire pick one of the year's targets in force that the account may
    write."""
    catalog, regions = reference()
    st.subheader(t("targets_manage", lang_))
    action = bound_select(
        st.radio, t("target_action", lang_), list(ACTIONS), ACTION, lambda a: t(f"action_{a}", lang_), horizontal=True
    )
    show_flash()
    if action == "add":
        first = next(iter(catalog)).code
        blank = Target(first, st.session_state[PROVINCE], year, ">=", None, issuer_code=st.session_state[PROVINCE])
        with st.form(ADD_FORM):
            target_fields(ADD_FORM, blank, lang_)
            st.form_submit_button(
                t("target_save_add", lang_),
                type="primary",
                on_click=_save,
                args=(ADD_FORM, None),
                key=f"{ADD_FORM}_save",
            )
        return
    # Only the targets the account may write are offered; the table above lists them all.
    rows = {int(r.target_id): r for r in writable_targets(targets, signed_in(), regions).itertuples()}
    if not rows:
        st.info(t("no_writable_targets_year" if len(targets) else "no_targets_year", lang_, year=year))
        return
    target_id = bound_select(
        st.selectbox,
        t("target_pick", lang_),
        list(rows),
        PICK,
        lambda i: target_label(rows[i], catalog, regions, lang_),
    )
    if action == "edit":
        target = store.load_target(engine(), target_id)
        fill = st.session_state.get(FILL) == target_id
        if fill:
            st.info(t("fill_hint", lang_, id=target_id))
            target = replace(target, form="absolute")
        fk = f"target_edit_{target_id}" + ("_fill" if fill else "")
        with st.form(fk):
            target_fields(fk, target, lang_)
            st.form_submit_button(
                t("target_save_edit", lang_), type="primary", on_click=_save, args=(fk, target_id), key=f"{fk}_save"
            )
    else:
        with st.form(RETIRE_FORM):
            st.text_input(t("retire_note", lang_), key=f"{RETIRE_FORM}_note")
            st.checkbox(t("retire_confirm", lang_), key=f"{RETIRE_FORM}_confirm")
            st.form_submit_button(
                t("retire_button", lang_), on_click=_retire, args=(target_id,), key=f"{RETIRE_FORM}_save"
            )
    _history(target_id, lang_)


def target_import(lang_: str) -> None:
    """A province's per-city target table, read, checked, then imported under the signed-in account's name."""
    catalog, regions = reference()
    with st.expander(t("target_import", lang_)):
        upload = st.file_uploader(t("target_import", lang_), type=["xlsx", "xls"], key="target_table")
        issuer = st.text_input(t("target_issuer", lang_), key="target_issuer") or None
        if upload is None:
            return
        try:
            parsed = read_target_table(upload.getvalue(), catalog, regions, issuer=issuer, source_name=upload.name)
        except UnreadableWorkbook as exc:
            st.error(t("unreadable", lang_, zh=for_markdown(exc.zh), en=for_markdown(exc.en)))
            return
        _import_read(parsed, lang_)


def _import_read(parsed: ParsedTargets, lang_: str) -> None:
    """The table's problems, or its targets outside the account's regions; else the button that imports it."""
    account = signed_in()
    if not parsed.problems.empty:
        st.dataframe(parsed.problems, hide_index=True, width="stretch")
    st.caption(t("target_read", lang_, n=len(parsed.targets)))
    if refusal := region_refusal(account, parsed.targets, lang_):
        st.error(refusal)
        return
    if not parsed.has_errors and st.button(t("target_commit", lang_), key="target_commit"):
        with guarded("importing a target table"):
            added = store.add_targets(engine(), parsed.targets, by=account.name)
        clear_reads()
        st.success(t("target_added", lang_, n=added))
