"""sample_data/region_groups.csv: every group names real regions of its province, with a source."""

from __future__ import annotations

import pytest

from indicators.groups import RegionGroup, load_region_groups

HUBEI_PROVINCE_ADMINISTERED = {"429004", "429005", "429006", "429021"}  # 仙桃 潜江 天门 神农架林区


@pytest.fixture(scope="module")
def groups() -> dict[str, RegionGroup]:
    return load_region_groups()


def test_the_shipped_groups(groups):
    assert {"HB-13", "HB-17", "HN-14"} <= set(groups)
    for code, g in groups.items():
        assert g.code == code and g.name_zh and g.name_en and g.source, g


def test_every_member_is_a_known_city_of_the_group_s_province(groups, regions):
    for g in groups.values():
        assert g.province_code in regions.by_code and regions[g.province_code].level == "province", g
        assert g.members, g
        for m in g.members:
            assert m in regions.by_code, (g.code, m)
            assert regions[m].parent_code == g.province_code, (g.code, m)


def test_hubei_13_assessed_cities(groups, regions):
    hb13 = groups["HB-13"]
    assert len(hb13.members) == 13
    assert "420100" in hb13 and "422800" in hb13  # 武汉, 恩施州
    assert not HUBEI_PROVINCE_ADMINISTERED & set(hb13.members)


def test_hubei_17_and_hunan_14_are_every_city_of_the_province(groups, regions):
    for code, province, n in (("HB-17", "420000", 17), ("HN-14", "430000", 14)):
        children = {r.code for r in regions if r.parent_code == province}
        assert len(groups[code].members) == n and set(groups[code].members) == children, code
    assert set(groups["HB-13"].members) < set(groups["HB-17"].members)
    assert set(groups["HB-17"].members) - set(groups["HB-13"].members) == HUBEI_PROVINCE_ADMINISTERED


def test_the_loader_refuses_a_duplicate(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text(
        "code,name_zh,name_en,province_code,members,source\n"
        "X-1,甲,A,420000,420100|420200,s\nX-1,乙,B,420000,420100,s\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="X-1"):
        load_region_groups(path)
    path.write_text(
        "code,name_zh,name_en,province_code,members,source\nX-2,甲,A,420000,420100|420100,s\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="X-2"):
        load_region_groups(path)


def test_no_file_no_groups(tmp_path):
    assert load_region_groups(tmp_path / "absent.csv") == {}
