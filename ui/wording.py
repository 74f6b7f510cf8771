"""Interface wording, Chinese first, English on the sidebar switch: the one catalogue of both languages.

Pure Python (no streamlit): the CLI, the charts and the Excel report read it too. Every choice between the two
languages goes through `pick` (indicators.language.in_lang); nothing else compares a language to a literal.
"""

from __future__ import annotations

from indicators.language import in_lang
from indicators.terms import Form, Origin, Status, ValueSource
from ui.wording_briefing import BRIEFING_TEXT  # the briefing document's sentences, keys `report_…`
from ui.wording_drafting import DRAFTING_TEXT  # the drafting page's sentences
from ui.wording_text import TEXT as INTERFACE_TEXT  # the sentences, each key with its Chinese and English

pick = in_lang  # the text in the language: English on "en", Chinese otherwise (the default)

TEXT = INTERFACE_TEXT | BRIEFING_TEXT | DRAFTING_TEXT  # one table of sentences for `t`; the parts share no key


STATUS = {
    Status.MET: ("已达标", "Met"),
    Status.NOT_MET: ("未达标", "Not met"),
    Status.ON_TRACK: ("进度正常", "On track"),
    Status.BEHIND: ("进度滞后", "Behind"),
    Status.PENDING_TARGET: ("目标待定", "Target pending"),
    Status.NO_DATA: ("无数据", "No data"),
    Status.REFERENCE_MET: ("参照全省总体目标（未分解）·达到", "Reference: overall target (not allocated) · reached"),
    Status.REFERENCE_NOT_MET: (
        "参照全省总体目标（未分解）·未达到",
        "Reference: overall target (not allocated) · not reached",
    ),
    Status.NO_TARGET: ("无适用目标", "No target"),
}

ORIGIN = {
    Origin.OWN: ("本级目标", "Own target"),
    Origin.STRICTER_PARENT: ("上级目标更严", "Stricter parent target"),
    Origin.INHERITED: ("沿用上级目标", "Inherited from parent"),
    Origin.REFERENCE: ("参照全省总体目标（未分解）", "Reference: the overall target, not allocated"),
    "": ("—", "—"),
}

FORM = {
    Form.ABSOLUTE: ("数值目标", "Number"),
    Form.RELATIVE: ("相对基准年", "Relative to a baseline year"),
    Form.PENDING: ("目标待定", "Pending"),
    "": ("无适用目标", "No target"),
}

VALUE_SOURCE = {
    ValueSource.UPLOADED: ("报送值", "Submitted"),
    ValueSource.AGGREGATED: ("由下级汇总", "Aggregated from sub-regions"),
    ValueSource.APPROXIMATE: ("近似值(下级平均)", "Approximate (mean of sub-regions)"),
    "": ("—", "—"),
}


LANGUAGE_NAMES = {"zh": "中文", "en": "English"}  # each in its own language, on the switch between them

# The overview's headline metrics, keyed as charts.tables.gap_summary_counts counts them.
COUNT_LABELS = {
    "met": ("已达标", "Met"),
    "on_track": ("进度正常", "On track"),
    "behind": ("滞后/未达标", "Behind / not met"),
    "pending": ("目标待定", "Target pending"),
    "reference": ("参照总体目标（不评定）", "Reference only (not graded)"),
}

# Upload preview, diff and history tables.
UPLOAD_COLUMNS = {
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
BATCH_COLUMNS = {
    "id": ("批次", "Batch"),
    "file_name": ("文件名", "File"),
    "uploaded_by": ("上传人", "By"),
    "uploaded_at": ("上传时间", "Uploaded at"),
    "rows_inserted": ("新增", "New"),
    "rows_updated": ("更新", "Updated"),
    "rows_unchanged": ("未变", "Unchanged"),
    "status": ("状态", "Status"),
}
AUDIT_COLUMNS = {
    "id": ("序号", "No."),
    "at": ("时间", "When"),
    "account": ("账户", "Account"),
    "action": ("操作", "What"),
    "batch_id": ("批次", "Batch"),
    "target_id": ("目标编号", "Target"),
    "subject": ("对象", "Subject"),
    "detail": ("详情", "Detail"),
}
AUDIT_ACTIONS = {  # data_loaders.audit.Change
    "upload": ("上传数据", "Upload"),
    "rollback": ("回滚批次", "Rollback"),
    "target_add": ("新增目标", "Target added"),
    "target_edit": ("修改目标", "Target edited"),
    "target_retire": ("停用目标", "Target retired"),
    "target_import": ("导入目标", "Targets imported"),
    "column_mapping": ("确认列对应", "Column decision"),
    "account_add": ("新增账户", "Account added"),
    "account_update": ("修改账户", "Account changed"),
    "account_disable": ("停用账户", "Account disabled"),
    "account_enable": ("启用账户", "Account enabled"),
    "account_password": ("设置密码", "Password set"),
    "indicator_add": ("新增指标", "Indicator added"),
}
BATCH_STATUS = {"committed": ("已提交", "Committed"), "rolled_back": ("已回滚", "Rolled back")}

# The catalog page's tables: indicators, targets in force, a target's versions.
DIRECTION = {"higher_better": ("越高越好", "Higher is better"), "lower_better": ("越低越好", "Lower is better")}
CATALOG_COLUMNS = {
    "indicator": ("指标", "Indicator"),
    "code": ("代码", "Code"),
    "unit": ("单位", "Unit"),
    "direction": ("方向", "Direction"),
    "definition": ("口径", "Definition"),
    "standard": ("依据标准", "Standard"),
}
TARGET_COLUMNS = {
    "target_id": ("编号", "No."),
    "region": ("地区", "Region"),
    "indicator": ("指标", "Indicator"),
    "target": ("目标", "Target"),
    "form": ("类型", "Form"),
    "issuer": ("下达单位", "Issuer"),
    "source_file": ("来源文件", "Source"),
    "source_clause": ("原文", "Clause"),
    "note": ("备注", "Note"),
}
TARGET_STATE = {"active": ("在用", "In force"), "edited": ("已修改", "Edited"), "retired": ("已停用", "Retired")}
HISTORY_COLUMNS = {
    "target_id": ("编号", "No."),
    "state": ("状态", "State"),
    "target": ("目标", "Target"),
    "issuer": ("下达单位", "Issuer"),
    "source_clause": ("原文", "Clause"),
    "entered": ("录入时间", "Entered"),
    "ended": ("停用/修改时间", "Ended"),
    "by": ("操作人", "By"),
    "note": ("说明", "Note"),
}

# How a province's figure was obtained from its cities (charts.tables.province_figure_text).
AGGREGATION_RULE = {
    "mean": ("平均", "mean"),
    "sum": ("合计", "total"),
    "ratio": ("分子分母合计计算", "from summed numerators and denominators"),
}
HOW_OBTAINED = {
    "uploaded": ("上报值", "as submitted"),
    "approximate": ("各市州平均，近似值，不评定", "mean of the cities, approximate, not graded"),
    "group": ("{group_zh}{rule}", "{rule} over {group_en}"),
    "cities": ("各市州{rule}", "{rule} over its cities"),
}

# The CLI's progress bar names its stages in both languages at once.
PROGRESS_STAGES = {
    "read": ("读取行", "rows read"),
    "validated": ("校验值", "values checked"),
    "written": ("写入值", "values written"),
}

COLUMNS = {
    "region_name": ("地区", "Region"),
    "actual": ("实际值", "Actual"),
    "target": ("目标值", "Target"),
    "comparator": ("比较", "Comparator"),
    "margin": ("差距", "Margin"),
    "margin_pct": ("差距率", "Margin rate"),
    "status": ("状态", "Status"),
    "target_origin": ("目标来源", "Target origin"),
    "target_issuer": ("下达单位", "Issuer"),
    "target_clause": ("目标原文", "Clause"),
    "pace": ("序时进度完成度", "Pace"),
    "indicator": ("指标", "Indicator"),
    "unit": ("单位", "Unit"),
    "rank": ("排名", "Rank"),
    "expected": ("序时进度应完成", "Expected by now"),
    "value_source": ("数值来源", "Value source"),
    "reason": ("目标说明", "Target note"),
    "target_region": ("目标所属地区", "Target set for"),
    "target_form": ("目标类型", "Target form"),
    "target_source": ("来源文件", "Source document"),
    "applies_to": ("适用地区", "Applies to"),
    "region_count": ("地区数", "Regions"),
    "yoy": ("同比", "Year on year"),
    "actual_raw": ("报送值(未修约)", "Value as stored"),
    "graded": ("是否评定", "Graded"),
    "target_scope": ("目标范围", "Target scope"),
    "aggregate_over": ("汇总范围", "Aggregated over"),
}


def t(key: str, lang: str = "zh", **kwargs: object) -> str:
    """The wording for a key in the language, formatted with kwargs."""
    text = pick(*TEXT[key], lang)
    return text.format(**kwargs) if kwargs else text


def label(table: dict, key: object, lang: str = "zh") -> str:
    """A key's words from one of the tables above; the key itself when the table does not know it."""
    return pick(*table.get(key, (key, key)), lang)


def status_label(status: str, lang: str = "zh") -> str:
    return label(STATUS, status, lang)


def origin_label(origin: str | None, lang: str = "zh") -> str:
    return label(ORIGIN, origin or "", lang)


def form_label(form: str | None, lang: str = "zh") -> str:
    return label(FORM, form or "", lang)


def value_source_label(source: str | None, lang: str = "zh") -> str:
    return label(VALUE_SOURCE, source or "", lang)


def column_label(column: str, lang: str = "zh") -> str:
    return label(COLUMNS, column, lang)
