"""Which targets the signed-in account may write (DESIGN.md: Accounts and access): the pick lists offer only those,
and a write of any other is refused in the words of `data_loaders.permissions`, on the catalog and drafting pages.

Both ask `writable_regions`, the rule the data layer and the CLI apply: an analyst its province, an admin everywhere.
"""

from __future__ import annotations

import pandas as pd

from charts.safe_text import for_markdown
from data_loaders.permissions import refuse_targets_outside
from indicators.access import Account, writable_regions
from indicators.regions import RegionIndex
from indicators.targets import Target
from ui.wording import pick


def writable_targets(targets: pd.DataFrame, account: Account | None, regions: RegionIndex) -> pd.DataFrame:
    """The rows of a targets table (region_code column) the account may edit or retire; none for nobody."""
    if account is None:
        return targets.iloc[0:0]
    return targets[targets["region_code"].astype(str).isin(writable_regions(account, regions))]


def outside_lines(account: Account, targets: list[Target | None], regions: RegionIndex, lang_: str) -> list[str]:
    """A markdown list line for each target about a region outside the account's, each line once (an edit names
    the old and the new target); empty when every target is within them."""
    outside = refuse_targets_outside([x for x in targets if x is not None], account, regions)
    pairs = zip(outside["problem_zh"], outside["problem_en"], strict=True)
    return list(dict.fromkeys(f"- {for_markdown(pick(zh, en, lang_))}" for zh, en in pairs))
