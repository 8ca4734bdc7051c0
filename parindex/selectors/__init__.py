"""Reads that feed the PAR INDEX pages, downloads, API and widgets: one module a page.

Every function runs a fixed number of queries whatever the number of units
and editions (sorting, deltas and averages are computed on the fetched rows).
Selectors return data only: links, ARIA state, charts and HTTP answers are
made by the views, the template tags and parindex.charts.

Names read `<entity>_<verb>[_<what>]`: `edition_get_ranking`, `unit_list_score_cards`.
"""

from parindex.selectors.compare import (
    Comparison,
    unit_get_comparison,
    unit_list_with_results,
)
from parindex.selectors.corrections import (
    CorrectionLog,
    correction_list_public,
    edition_get_withdrawn,
)
from parindex.selectors.editions import (
    edition_get_previous,
    edition_get_public,
    edition_is_comparable,
    edition_list_before,
    edition_list_released_years,
    edition_select_previous_year,
)
from parindex.selectors.lineage import Lineage, unit_get_lineage
from parindex.selectors.open_data import (
    edition_get_layout,
    edition_get_metadata,
    edition_get_table,
    result_to_row,
)
from parindex.selectors.overview import GroupGlance, Overview, edition_get_overview
from parindex.selectors.ranking import (
    AREA_SORT_PREFIX,
    DEFAULT_SORT,
    SORTS,
    Ranking,
    RankingRow,
    edition_get_ranking,
    sort_format,
    sort_is_descending_by_default,
    sort_parse,
)
from parindex.selectors.unit_profile import (
    AreaLine,
    Profile,
    ResultYearRow,
    unit_get,
    unit_get_profile,
)
from parindex.selectors.widgets import (
    Headline,
    ScoreCard,
    edition_list_headlines,
    edition_list_latest_leaders,
    unit_get_latest_result,
    unit_list_score_cards,
)

__all__ = [
    "AREA_SORT_PREFIX",
    "DEFAULT_SORT",
    "SORTS",
    "AreaLine",
    "Comparison",
    "Lineage",
    "CorrectionLog",
    "GroupGlance",
    "Headline",
    "Overview",
    "Profile",
    "Ranking",
    "RankingRow",
    "ResultYearRow",
    "ScoreCard",
    "correction_list_public",
    "edition_get_layout",
    "edition_get_metadata",
    "edition_get_overview",
    "edition_get_previous",
    "edition_get_public",
    "edition_get_ranking",
    "edition_get_table",
    "edition_get_withdrawn",
    "edition_is_comparable",
    "edition_list_before",
    "edition_list_headlines",
    "edition_list_latest_leaders",
    "edition_list_released_years",
    "edition_select_previous_year",
    "result_to_row",
    "sort_format",
    "sort_is_descending_by_default",
    "sort_parse",
    "unit_get",
    "unit_get_comparison",
    "unit_get_lineage",
    "unit_get_latest_result",
    "unit_get_profile",
    "unit_list_score_cards",
    "unit_list_with_results",
]
