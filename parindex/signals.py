"""Keep cached public pages in step with PAR INDEX data (runtime/page_cache.py)."""

from cchc_portal.runtime import page_cache
from parindex import models


def next_scheduled_change():
    return models.Edition.objects.next_release_time()


def connect() -> None:
    page_cache.watch(
        models.AnnualSummary,
        models.Area,
        models.AreaScore,
        models.Edition,
        models.Framework,
        models.Region,
        models.RegionalAverage,
        models.Result,
        models.Tier,
        models.Unit,
        models.UnitName,
        models.UnitSlug,
        models.UnitSuccession,
    )
    page_cache.register_schedule(next_scheduled_change)
