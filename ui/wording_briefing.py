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
    "report_title": (
        "关于{year}年{period}{province}各{units}生态环境目标完成情况的通报",
        "{province}: environmental targets by {unit}, {period} {year}",
    ),
    "report_issuer_province": ("{name}生态环境厅", "{name} Department of Ecology and Environment"),
    "report_issuer_municipality": ("{name}生态环境局", "{name} Bureau of Ecology and Environment"),
    "report_date": ("{d.year}年{d.month}月{d.day}日", "{d:%d %B %Y}"),
    "report_period": ("{year}年{period}", "{period} {year}"),
    "report_overall": ("一、总体情况", "1. Overview"),
    "report_by_indicator": ("二、分指标排名情况", "2. Ranking by indicator"),
    "report_lagging": ("三、进度滞后和未达标地区", "3. Regions behind or not meeting their targets"),
    "report_pending": ("四、目标待定事项", "4. Targets pending"),
    "report_notes": ("五、数据说明", "5. Notes on the data"),
    "report_none": ("无。", "None."),
    "report_reference_below": (
        "另有以下地区低于上级总体目标（该目标未分解到本地，仅作参照，不计入评定）：",
        "These regions are below the overall target of the level above (not allocated to them; shown for "
        "reference, not graded):",
    ),
    "report_headline": (
        "{period}，{province}{n_units}个{units}{n_ind}项指标中，已评定目标{graded}项：已达标{met}项，"
        "进度正常{on_track}项，进度滞后或未达标{behind}项；另有目标待定{pending}项，无数据{no_data}项，"
        "参照上级总体目标{reference}项（不计入评定）。",
        "{period}: of {province}'s {n_units} {units} on {n_ind} indicators, {graded} targets are graded: "
        "{met} met, {on_track} on track, {behind} behind or not met; {pending} targets pending, {no_data} without "
        "data, {reference} references to an overall target (not graded).",
    ),
    "report_heading": ("（{ordinal}）{indicator}", "2.{ordinal} {indicator}"),
    "report_unit": ("（{unit}）", " ({unit})"),
    "report_table_title": ("表{n}  {period}各{units}{indicator}排名", "Table {n}. {indicator} by {unit}, {period}"),
    "report_rank_head": ("排名", "Rank"),
    "report_summary": ("{direction}，{best_worst}", "{direction}. {best_worst}"),
    "report_points": ("个百分点", " pp"),
    "report_ranked_by_lower": ("按数值由低到高排名（越低越好）", "Ranked from lowest to highest (lower is better)"),
    "report_ranked_by_higher": ("按数值由高到低排名（越高越好）", "Ranked from highest to lowest (higher is better)"),
    "report_best_worst": (
        "{best}最好（{best_value}），{worst}最差（{worst_value}）。",
        "Best: {best} ({best_value}); worst: {worst} ({worst_value}).",
    ),
    "report_no_ranking": ("本期各地区无可排名的数值。", "No region has a value to rank this period."),
    "report_province_status": ("{line}；{status}。", "{line}; {status}."),
    "report_gap_line": (
        "{region}：{indicator}{actual}，目标{target}，差距{margin}（{status}）；同比{yoy}。",
        "{region}: {indicator} {actual}, target {target}, margin {margin} ({status}); year on year {yoy}.",
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
        "数据为{period}年初至今累计值，来自各{units}报送的工作簿（上传文件：{files}）。",
        "Values are year-to-date figures for {period}, from the workbooks the {units} submitted (files: {files}).",
    ),
    "report_note_rounding": (
        "数值按各指标的发布精度修约（GB/T 8170 四舍六入五成双）后比较和列示，与差距表（python cli.py gaps）一致；"
        "差距为实际值与目标之差（越低越好的指标为目标减实际值），正值表示优于目标。",
        "Values are rounded to each indicator's reporting precision (GB/T 8170, half to even) before they are "
        "compared and shown, as in the gaps table (python cli.py gaps); the margin is actual minus target (target "
        "minus actual where lower is better), positive = better than the target.",
    ),
    "report_note_yoy": (
        "同比为与上年同期相比：浓度和数量为变化率（%），比例类指标为变化的百分点。",
        "Year on year compares with the same period last year: concentrations and counts in %, ratios in "
        "percentage points.",
    ),
    "report_note_target": (
        "目标依据：{issuer}《{source}》“{clause}”。",
        "Target source: {issuer}, {source}: “{clause}”.",
    ),
    "report_note_reference": (
        "“参照全省总体目标（未分解）”：上级对全辖区的总体目标未分解到本地，仅作参照，不计入评定。",
        "“Reference”: the level above set a figure for its whole area, not allocated to the region; shown, not graded.",
    ),
    "report_note_approximate": (
        "{region}{indicator}{value}为下级地区的平均值（比例的分子分母不全），系近似值，不作评定。",
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
