"""The quarterly briefing's sentences, part of the one wording catalogue (ui/wording.py joins them to the
interface's): section headings, the headline and the sentences around the tables, each key with its Chinese and its
English. Keys begin with `report_`; reports/ reads them through `ui.wording.t`. Pure data: no imports."""

BRIEFING_TEXT = {
    # What a province's units are called (RegionIndex.unit_kind): {units} in a sentence, and {unit} in "by {unit}".
    "report_units_cities": ("市州", "cities"),
    "report_unit_cities": ("市州", "city"),
    "report_units_districts": ("区", "districts"),
    "report_unit_districts": ("区", "district"),
    "report_units_districts_counties": ("区县", "districts and counties"),
    "report_unit_districts_counties": ("区县", "district or county"),
    # {whole}: the area whose overall target a unit is compared with for reference (全省 / 全市).
    "report_whole_cities": ("全省", "province-wide"),
    "report_whole_districts": ("全市", "city-wide"),
    "report_whole_districts_counties": ("全市", "city-wide"),
    "report_title": (
        "关于{year}年{period}{province}各{units}生态环境目标完成情况的通报",
        "{province}: environmental targets by {unit}, {period} {year}",
    ),
    "report_issuer_province": ("{name}生态环境厅", "{name} Department of Ecology and Environment"),
    "report_issuer_municipality": ("{name}生态环境局", "{name} Bureau of Ecology and Environment"),
    "report_date": ("{d.year}年{d.month}月{d.day}日", "{d:%d %B %Y}"),
    "report_period": ("{year}年{period}", "{period} {year}"),
    # A period before year end as official documents write a range of months (GB/T 15835: 一字线 "—").
    "report_months": ("1—{end}月", "{label}"),
    "report_january": ("1月", "{label}"),
    "report_overall": ("一、总体情况", "1. Overview"),
    "report_by_indicator": ("二、分指标排名情况", "2. Ranking by indicator"),
    "report_lagging_year": ("三、未达标地区", "3. Regions not meeting their targets"),
    "report_lagging_months": ("三、进度滞后地区", "3. Regions behind schedule"),
    "report_pending": ("四、目标待定事项", "4. Targets pending"),
    "report_notes": ("五、数据说明", "5. Notes on the data"),
    "report_none": ("无。", "None."),
    "report_reference_below": (
        "另有以下地区低于上级总体目标（该目标未分解到本地，仅作参照，不计入评定）：",
        "These regions are below the overall target of the level above (not allocated to them; shown for "
        "reference, not graded):",
    ),
    "report_reference_below_months": (
        "另有以下地区落后于上级总体目标的序时进度（该目标未分解到本地，仅作参照，不计入评定）：",
        "These regions are behind the expected progress towards the overall target of the level above (not "
        "allocated to them; shown for reference, not graded):",
    ),
    # 总体情况: every unit × indicator pair counted once, so that the parts add up to the total.
    "report_headline": (
        "{period}，{province}{n_units}个{units}的{n_ind}项指标共{total}项（每个{unit}每项指标计1项），其中：{parts}。",
        "{period}: {province}'s {n_units} {units} on {n_ind} indicators make {total} {unit}–indicator pairs: {parts}.",
    ),
    "report_count_graded_year": (
        "已评定{n}项（已达标{met}项，未达标{not_met}项）",
        "{n} graded ({met} met, {not_met} not met)",
    ),
    "report_count_graded_months": (
        "已评定{n}项（进度正常{on_track}项，进度滞后{behind}项）",
        "{n} graded ({on_track} on track, {behind} behind)",
    ),
    "report_count_reference": (
        "参照{whole}总体目标{n}项（不计入评定）",
        "{n} compared with the {whole} overall target for reference (not graded)",
    ),
    "report_count_approximate": ("数值为近似值、不评定{n}项", "{n} approximate values (not graded)"),
    "report_count_pending": ("目标待定{n}项", "{n} with the target pending"),
    "report_count_no_target": ("无适用目标{n}项", "{n} without an applicable target"),
    "report_count_no_data": ("无数据{n}项", "{n} without data"),
    "report_clause_sep": ("；", "; "),
    "report_heading": ("（{ordinal}）{indicator}", "2.{ordinal} {indicator}"),
    "report_unit": ("（{unit}）", " ({unit})"),
    "report_table_title": ("表{n}  {period}各{units}{indicator}排名", "Table {n}. {indicator} by {unit}, {period}"),
    "report_rank_head": ("排名", "Rank"),
    "report_summary": ("{direction}，{best_worst}", "{direction}. {best_worst}"),
    "report_points": ("个百分点", " pp"),
    "report_points_head": ("百分点", "pp"),
    "report_head_unit": ("{label}（{unit}）", "{label} ({unit})"),
    "report_head_unit_lines": ("{label}\n（{unit}）", "{label}\n({unit})"),  # docxtpl writes \n as a line break
    # Status words of the briefing where the dashboard's read as machine-made (参照全省总体目标（未分解）·未达到):
    # no nested brackets, no middle dot, short enough for the table's status column.
    "report_status_reference_met": ("达到参照目标", "Reference target reached"),
    "report_status_reference_not_met": ("未达到参照目标", "Reference target not reached"),
    "report_origin_reference": ("参照{whole}总体目标，不评定", "{whole} overall target, for reference, not graded"),
    # Under each indicator: the effective targets, then the statuses the table shows, counted.
    "report_targets": ("有效目标：{parts}。", " Effective targets: {parts}."),
    "report_target_group": ("{who}{target}（{origin}）", "{who} {target} ({origin})"),
    "report_n_units": ("{n}个{units}", "{n} {units}"),
    "report_status_counts": ("{n_units}个{units}中，{parts}。", " Of the {n_units} {units}: {parts}."),
    "report_status_count": ("{status}{n}个", "{status} {n}"),
    "report_status_count_named": ("{status}{n}个（{names}）", "{status} {n} ({names})"),
    "report_reference_counts": (
        "参照{whole}总体目标达到{met}个、未达到{not_met}个",
        "compared with the {whole} overall target: {met} reached, {not_met} not reached",
    ),
    "report_ranked_by_lower": ("按数值由低到高排名（越低越好）", "Ranked from lowest to highest (lower is better)"),
    "report_ranked_by_higher": ("按数值由高到低排名（越高越好）", "Ranked from highest to lowest (higher is better)"),
    "report_best_worst": (
        "{best}最好（{best_value}），{worst}最差（{worst_value}）。",
        "Best: {best} ({best_value}); worst: {worst} ({worst_value}).",
    ),
    "report_no_ranking": ("本期各地区无可排名的数值。", "No region has a value to rank this period."),
    # The province's own figure: how it was obtained, then what it is compared with; a verdict only when graded.
    "report_province_line": ("{region}：{value}（{how}）；{verdict}。", "{region}: {value} ({how}); {verdict}."),
    "report_province_plain": ("{region}：{value}（{how}）。", "{region}: {value} ({how})."),
    "report_how_uploaded": ("上报值", "as submitted"),
    "report_how_approximate": (
        "各{units}平均，近似值，仅供参考，不评定",
        "mean of the {units}, approximate, for reference only, not graded",
    ),
    "report_how_group": ("{group}{rule}", "{rule} over {group}"),
    "report_how_units": ("各{units}{rule}", "{rule} over its {units}"),
    "report_province_graded": ("目标{target}，{status}", "target {target}: {status}"),
    "report_province_compared": ("目标{target}", "target {target}"),
    "report_province_reference": (
        "上级总体目标{target}，仅作参照，不评定",
        "overall target of the level above {target}, for reference, not graded",
    ),
    "report_province_pending": ("目标待定", "target pending"),
    "report_gap_line": (
        "{region}：{indicator}{actual}，目标{target}，差距{margin}（{status}）；同比{yoy}。",
        "{region}: {indicator} {actual}, target {target}, margin {margin} ({status}); year on year {yoy}.",
    ),
    # Before year end the margin is measured against 序时进度 (the value expected by now), so the line names it.
    "report_gap_line_months": (
        "{region}：{indicator}{actual}，全年目标{target}，序时进度应达{expected}，差距{margin}（{status}）；同比{yoy}。",
        "{region}: {indicator} {actual}, full-year target {target}, expected by now {expected}, margin {margin} "
        "({status}); year on year {yoy}.",
    ),
    "report_reference_line": (
        "{region}：{indicator}{actual}，参照目标{target}，差距{margin}；同比{yoy}。",
        "{region}: {indicator} {actual}, reference target {target}, margin {margin}; year on year {yoy}.",
    ),
    "report_reference_line_months": (
        "{region}：{indicator}{actual}，参照目标{target}，序时进度应达{expected}，差距{margin}；同比{yoy}。",
        "{region}: {indicator} {actual}, reference target {target}, expected by now {expected}, margin {margin}; "
        "year on year {yoy}.",
    ),
    "report_pending_line": (
        "{region}：{indicator}——{issuer}“{clause}”。",
        "{region}: {indicator} — {issuer}: “{clause}”.",
    ),
    "report_chart_missing": (
        "（图表未能生成：{reason}）",
        "(The chart could not be drawn: {reason})",
    ),
    "report_note_data": (
        "数据为{period}累计值，来自各{units}报送的工作簿（上传文件：{files}）。",
        "Values are cumulative for {period}, from the workbooks the {units} submitted (files: {files}).",
    ),
    "report_note_rounding": (
        "文中和表中数值均为按各指标发布精度修约（GB/T 8170，四舍六入五成双）后的发布值，比较、排名和评定均据此进行，"
        "与{dashboard}各表所列数值一致。",
        "Every value is the published figure, rounded to the indicator's reporting precision (GB/T 8170, half to "
        "even); comparisons, ranks and grades use it, and it equals the figures in the tables of the {dashboard}.",
    ),
    "report_note_margin_year": (
        "差距为实际值与目标之差（越低越好的指标为目标减实际值），正值表示优于目标。",
        "The margin is actual minus target (target minus actual where lower is better); positive = better than "
        "the target.",
    ),
    "report_note_margin_months": (
        "年内各期按序时进度评定：差距为实际值与序时进度应达值之差（越低越好的指标为应达值减实际值），"
        "正值表示快于序时进度。",
        "Before year end, grades follow the expected progress: the margin is actual minus the value expected by now "
        "(expected minus actual where lower is better); positive = ahead of schedule.",
    ),
    "report_note_yoy": (
        "同比为与上年同期相比：浓度、数量等指标为变化率（%），保留一位小数；比例类指标为变化的百分点，"
        "小数位数与该指标数值相同；变化为零记为“持平”。",
        "Year on year compares with the same period last year: concentrations and counts as a rate of change in %, "
        "to one decimal; ratios in percentage points, to the indicator's own decimals; no change is “unchanged”.",
    ),
    "report_note_target": (
        "目标依据：{issuer}《{source}》“{clause}”。",
        "Target source: {issuer}, {source}: “{clause}”.",
    ),
    "report_note_reference": (
        "参照目标：指{whole}总体目标，该目标未分解到各{units}，仅作参照，不计入评定。",
        "Reference target: the {whole} overall target, not allocated to the {units}; shown for reference, not graded.",
    ),
    "report_note_approximate": (
        "{region}{indicator}{value}为下级地区的平均值（比例的分子分母不全），系近似值，仅供参考，不作评定。",
        "{region} {indicator} {value} is the mean of its sub-regions (a ratio's counts are missing): approximate, "
        "not graded.",
    ),
    "report_note_synthetic": (
        "样例数据：{files}中除标注为实际值的数值外均为合成数据，仅用于演示，不是官方监测结果。",
        "Sample data: every value in {files} is synthetic unless marked as real; for demonstration only, not "
        "official monitoring results.",
    ),
    "report_list_sep": ("、", ", "),
}
