"""The effective-target and gap rules of DESIGN.md, case by case."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from indicators.engine import GAP_COLUMNS, assess, compute_gaps, effective_target
from indicators.targets import Target

HUBEI, WUHAN, HUANGSHI, QIANJIANG, NATION = "420000", "420100", "420200", "429005", "000000"


def T(ind, region, value, comparator=">=", issuer=None, form="absolute", year=2024, **kw) -> Target:
    return Target(ind, region, year, comparator, value, form=form, issuer_code=issuer or region, **kw)


def no_baseline(*_):
    return None


def resolve(catalog, regions, ind, region, targets, baseline=no_baseline):
    return effective_target(catalog[ind], region, 2024, targets, regions, baseline)


@pytest.mark.parametrize(
    "ind, targets, region, expected_value, expected_origin",
    [
        # own target only
        ("rural_sewage_rate", [T("rural_sewage_rate", WUHAN, 56)], WUHAN, 56, "own"),
        # stricter wins, higher_better: the province-issued 58 beats Wuhan's own 56
        (
            "rural_sewage_rate",
            [T("rural_sewage_rate", WUHAN, 56), T("rural_sewage_rate", WUHAN, 58, issuer=HUBEI)],
            WUHAN,
            58,
            "stricter-parent",
        ),
        # the city's own stricter target stays 'own'
        (
            "rural_sewage_rate",
            [T("rural_sewage_rate", WUHAN, 60), T("rural_sewage_rate", WUHAN, 58, issuer=HUBEI)],
            WUHAN,
            60,
            "own",
        ),
        # stricter wins, lower_better: the smaller PM2.5 ceiling
        ("pm25", [T("pm25", WUHAN, 38, "<="), T("pm25", WUHAN, 35, "<=", issuer=HUBEI)], WUHAN, 35, "stricter-parent"),
        # two own-issued targets: strictest, still 'own'
        ("pm25", [T("pm25", WUHAN, 38, "<="), T("pm25", WUHAN, 36, "<=")], WUHAN, 36, "own"),
        # a province-issued target is the only one for the city: 'own' (it is the city's target)
        ("rural_sewage_rate", [T("rural_sewage_rate", WUHAN, 58, issuer=HUBEI)], WUHAN, 58, "own"),
        # none for the city: inherited from the province
        ("rural_sewage_rate", [T("rural_sewage_rate", HUBEI, 46.58)], HUANGSHI, 46.58, "inherited"),
        # none for city or province: inherited from the nation, two levels up
        ("good_air_ratio", [T("good_air_ratio", NATION, 87.5)], QIANJIANG, 87.5, "inherited"),
        # numeric beats pending
        ("pm25", [T("pm25", WUHAN, None, "<=", form="pending"), T("pm25", WUHAN, 40, "<=")], WUHAN, 40, "own"),
    ],
)
def test_effective_target(catalog, regions, ind, targets, region, expected_value, expected_origin):
    eff = resolve(catalog, regions, ind, region, targets)
    assert eff.value == pytest.approx(expected_value) and eff.origin == expected_origin and not eff.pending
    assert eff.reason_zh and eff.reason_en


def test_strict_comparator_is_stricter_on_equal_values(catalog, regions):
    eff = resolve(
        catalog,
        regions,
        "drinking_water_ratio",
        WUHAN,
        [T("drinking_water_ratio", WUHAN, 96.4, ">="), T("drinking_water_ratio", WUHAN, 96.4, ">", issuer=HUBEI)],
    )
    assert eff.comparator == ">" and eff.origin == "stricter-parent"


def test_pending_only_and_inherited_pending(catalog, regions):
    eff = resolve(catalog, regions, "pm25", HUBEI, [T("pm25", HUBEI, None, "<=", form="pending")])
    assert eff.pending and eff.value is None and eff.origin == "own"
    eff = resolve(catalog, regions, "pm25", WUHAN, [T("pm25", HUBEI, None, "<=", form="pending")])
    assert eff.pending and eff.origin == "inherited" and eff.from_region == HUBEI


def test_relative_target_resolves_against_baseline(catalog, regions):
    co2 = T("co2_intensity", HUBEI, -1.2, "<=", form="relative", year=2020, baseline_year=2019, relative_unit="%")
    baseline = {("co2_intensity", HUBEI, 2019): 0.80}
    eff = effective_target(
        catalog["co2_intensity"], HUBEI, 2020, [co2], regions, lambda i, r, y: baseline.get((i, r, y))
    )
    assert eff.value == pytest.approx(0.80 * 0.988) and not eff.pending
    eff = effective_target(catalog["co2_intensity"], HUBEI, 2020, [co2], regions, no_baseline)
    assert eff.pending and eff.value is None  # without the baseline actual the target is pending
    eqi = T("eqi", WUHAN, 0, ">=", form="relative", baseline_year=2023, relative_unit="abs")
    eff = resolve(catalog, regions, "eqi", WUHAN, [eqi], lambda i, r, y: 70.41 if y == 2023 else None)
    assert eff.value == pytest.approx(70.41)


GAP_CASES = """\
indicator,actual,target,comparator,period,margin,status
rural_sewage_rate,57,58,>=,12,-1,not_met
rural_sewage_rate,58,58,>=,12,0,met
rural_sewage_rate,58,58,>,12,0,not_met
rural_sewage_rate,50,46.58,>=,6,3.42,on_track
rural_sewage_rate,40,46.58,>=,6,-6.58,behind
pm25,31,35,<=,12,4,met
pm25,38,35,<=,12,-3,not_met
pm25,56,42,<=,3,-14,behind
pm25,0,35,<=,12,35,met
water_below_v_ratio,0,0,<=,12,0,met
"""


@pytest.mark.parametrize("case", pd.read_csv(io.StringIO(GAP_CASES)).to_dict("records"))
def test_margin_and_status(catalog, regions, case):
    eff = resolve(
        catalog, regions, case["indicator"], WUHAN, [T(case["indicator"], WUHAN, case["target"], case["comparator"])]
    )
    gap = assess(catalog[case["indicator"]], case["actual"], eff, case["period"])
    assert gap.margin == pytest.approx(case["margin"]) and gap.status == case["status"]


def test_float_noise_is_not_a_miss(catalog, regions):
    eff = resolve(catalog, regions, "rural_sewage_rate", WUHAN, [T("rural_sewage_rate", WUHAN, 46.58)])
    gap = assess(catalog["rural_sewage_rate"], 40.0 + 6.58, eff, 12)
    assert gap.margin == 0 and gap.status == "met"


@pytest.mark.parametrize(
    "period, actual, expected, status",
    [
        (6, 800, 785.5, "on_track"),
        (6, 700, 785.5, "behind"),
        (3, 392.75, 392.75, "on_track"),
        (12, 1571, 1571, "met"),
        (12, 1500, 1571, "not_met"),
    ],
)
def test_count_pace_against_seasonal_schedule(catalog, regions, period, actual, expected, status):
    """1571 villages a year: 序时进度 at Q2 is 1571 × 6/12 = 785.5."""
    eff = resolve(catalog, regions, "village_env_rectification", HUBEI, [T("village_env_rectification", HUBEI, 1571)])
    gap = assess(catalog["village_env_rectification"], actual, eff, period)
    assert gap.expected == pytest.approx(expected) and gap.pace == pytest.approx(actual / expected)
    assert gap.status == status and gap.margin == pytest.approx(actual - 1571)


def test_missing_actual_and_zero_target(catalog, regions):
    eff = resolve(catalog, regions, "pm25", WUHAN, [T("pm25", WUHAN, 35, "<=")])
    assert assess(catalog["pm25"], None, eff, 12).status == "no_data"
    assert assess(catalog["pm25"], float("nan"), eff, 12).status == "no_data"
    zero = resolve(catalog, regions, "water_below_v_ratio", WUHAN, [T("water_below_v_ratio", WUHAN, 0, "<=")])
    gap = assess(catalog["water_below_v_ratio"], 2.5, zero, 12)
    assert gap.margin == -2.5 and gap.margin_pct is None and gap.status == "not_met"
    pending = resolve(catalog, regions, "pm25", WUHAN, [T("pm25", WUHAN, None, "<=", form="pending")])
    gap = assess(catalog["pm25"], 38, pending, 12)
    assert gap.status == "pending_target" and gap.margin is None and gap.actual == 38


def test_compute_gaps_table(catalog, regions):
    targets = [
        T("rural_sewage_rate", HUBEI, 46.58),
        T("rural_sewage_rate", WUHAN, 56),
        T("rural_sewage_rate", WUHAN, 58, issuer=HUBEI),
        T("pm25", HUBEI, None, "<=", form="pending"),
    ]
    obs = pd.DataFrame(
        [
            ("rural_sewage_rate", WUHAN, 2024, 12, 57.0),
            ("rural_sewage_rate", HUANGSHI, 2024, 12, 50.0),
            ("rural_sewage_rate", QIANJIANG, 2024, 12, 0.0),
            ("pm25", WUHAN, 2024, 12, 38.0),
            ("rural_sewage_rate", WUHAN, 2024, 6, 20.0),
            ("rural_sewage_rate", WUHAN, 2023, 12, 99.0),
        ],
        columns=["indicator_code", "region_code", "year", "period", "value"],
    )
    got = compute_gaps(
        catalog, regions, targets, obs, 2024, 12, [WUHAN, HUANGSHI, QIANJIANG, "420300"], ["rural_sewage_rate", "pm25"]
    )
    assert list(got.columns) == GAP_COLUMNS
    expected = pd.read_csv(
        io.StringIO("""\
region_code,indicator_code,actual,target,target_origin,margin,status
420100,pm25,38.0,,inherited,,pending_target
420200,pm25,,,inherited,,pending_target
420300,pm25,,,inherited,,pending_target
429005,pm25,,,inherited,,pending_target
420200,rural_sewage_rate,50.0,46.58,inherited,3.42,met
420100,rural_sewage_rate,57.0,58.0,stricter-parent,-1.0,not_met
429005,rural_sewage_rate,0.0,46.58,inherited,-46.58,not_met
420300,rural_sewage_rate,,46.58,inherited,,no_data
"""),
        dtype={"region_code": str},
    )
    cols = list(expected.columns)
    pd.testing.assert_frame_equal(got[cols].reset_index(drop=True), expected, check_dtype=False, atol=1e-9)


def test_a_parents_total_is_not_inherited(catalog, regions):
    """1571 villages is Hubei's total: Qianjiang's 39 is not 1532 short of it."""
    eff = resolve(
        catalog, regions, "village_env_rectification", QIANJIANG, [T("village_env_rectification", HUBEI, 1571)]
    )
    assert eff.pending and eff.value is None and eff.origin is None
    assert assess(catalog["village_env_rectification"], 39, eff, 12).status == "pending_target"
