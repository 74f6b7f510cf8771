"""The drafting page's sentences (从工作要点起草), each key with its Chinese and English; joined into TEXT."""

DRAFTING_TEXT = {
    "page_drafting": ("从工作要点起草", "Draft from a work plan"),
    "drafting_open": ("从工作要点起草目标", "Draft targets from a work plan"),
    "drafting_intro": (
        "上传或粘贴年度工作要点，系统逐条找出含目标数字的条款，生成候选目标。候选目标须逐条确认后才会保存为目标，"
        "并保留下达单位、来源文件和条款原文。",
        "Upload or paste a year's work plan: every clause with a target figure becomes a candidate target. Nothing "
        "is saved until a person confirms it; a saved target keeps its issuer, source document and quoted clause.",
    ),
    "drafting_needs_analyst": (
        "起草目标需要分析员或管理员账户，请先登录。",
        "Drafting targets needs an analyst's or administrator's account: sign in first.",
    ),
    "drafting_source": ("文本来源", "Text from"),
    "drafting_upload": ("上传文件", "A file"),
    "drafting_paste": ("粘贴文本", "Pasted text"),
    "drafting_file_label": (
        "工作要点文件（.docx、文字版 .pdf 或 .txt）",
        "Work plan (.docx, a PDF with text, or .txt)",
    ),
    "drafting_paste_label": ("工作要点全文", "The work plan's text"),
    "drafting_unreadable": ("无法读取 {name}：{reason}", "Cannot read {name}: {reason}"),
    "drafting_defaults": (
        "年份、地区和下达单位默认取自文件标题，可修改后再起草。",
        "Year, region and issuer are read from the document's title; change them before drafting if needed.",
    ),
    "drafting_no_region": ("（未识别，请选择）", "(not recognised: choose one)"),
    "drafting_run": ("起草候选目标", "Draft candidate targets"),
    "drafting_found": (
        "从“{name}”中找到 {n} 条候选目标。请逐条选择“确认”或“驳回”，必要时先修改；未处理的不会保存。",
        "{n} candidate targets found in “{name}”. Confirm or reject each, after correcting it if needed; undecided "
        "rows are not saved.",
    ),
    "drafting_none": (
        "“{name}”中没有找到含目标数字的条款。",
        "No clause with a target figure was found in “{name}”.",
    ),
    "drafting_col_no": ("序号", "No."),
    "drafting_col_decision": ("处理", "Decision"),
    "drafting_col_text": ("原文指标", "Indicator as written"),
    "drafting_col_unit": ("单位", "Unit"),
    "drafting_col_stretch": ("力争", "Stretch (力争)"),
    "drafting_col_clause": ("条款原文（【】内为目标数字）", "Clause (the figure in 【】)"),
    "decision_pending": ("待定", "Undecided"),
    "decision_confirm": ("确认", "Confirm"),
    "decision_reject": ("驳回", "Reject"),
    "drafting_unmatched": ("目录中无此指标", "not in the catalog"),
    "drafting_stored": ("已有目标（编号 {id}）", "already a target (no. {id})"),
    "drafting_relative_to": ("相对 {year} 年", "relative to {year}"),
    "drafting_edit": ("修改第 {no} 条", "Correct row {no}"),
    "drafting_tally": (
        "已确认 {confirmed} 条，已驳回 {rejected} 条，待定 {pending} 条。",
        "{confirmed} confirmed, {rejected} rejected, {pending} undecided.",
    ),
    "drafting_save": ("保存已确认的目标", "Save the confirmed targets"),
    "drafting_nothing_confirmed": ("还没有确认任何候选目标。", "No candidate target is confirmed yet."),
    "drafting_row": ("第 {no} 条", "Row {no}"),
    "drafting_no_indicator": (
        "未选择指标（原文：{text}）；请选择指标，或先在下方把它加入指标目录",
        "No indicator chosen (as written: {text}); choose one, or first add it to the catalog below",
    ),
    "drafting_invalid": ("未保存任何目标，请先修改：", "Nothing was saved; please correct:"),
    "drafting_warn": (
        "请核对以下提示；核对无误后再次点击保存：",
        "Please check these notes, then click save again to save anyway:",
    ),
    "drafting_saved": (
        "已保存 {n} 条目标（确认 {confirmed} 条，已有的相同目标不重复保存），可在“指标与目标”页查看。",
        "{n} targets saved ({confirmed} confirmed; a target already stored is not stored twice); they are listed on "
        "the Catalog & targets page.",
    ),
    "drafting_too_big": ("文件超过 {mb} MB 上限", "the file is over the {mb} MB limit"),
    "drafting_discard": ("清除候选目标", "Clear the drafts"),
    "indicator_add_heading": ("把指标加入目录", "Add an indicator to the catalog"),
    "indicator_add_help": (
        "工作要点中有目录里没有的指标时，分析员可以在此新增；新增的指标对所有用户可见，并记入操作日志。",
        "When the plan names an indicator the catalog lacks, an analyst adds it here; it is shown to every user "
        "and recorded in the audit log.",
    ),
    "indicator_name_zh": ("指标名称（中文）", "Name (Chinese)"),
    "indicator_name_en": ("指标名称（英文，可不填）", "Name (English, optional)"),
    "indicator_unit": ("单位", "Unit"),
    "indicator_direction": ("方向", "Direction"),
    "indicator_decimals": ("发布的小数位数", "Decimals as published"),
    "indicator_definition": ("定义或说明", "Definition"),
    "indicator_add": ("加入目录", "Add to the catalog"),
    "indicator_added": ("已加入指标“{name}”（代码 {code}）。", "Indicator “{name}” added (code {code})."),
    "indicator_exists": ("目录中已有同名指标“{name}”（代码 {code}）", "The catalog already has “{name}” ({code})"),
    "indicator_need_name": ("请填写指标名称", "Enter the indicator's name"),
}
