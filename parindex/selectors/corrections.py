"""The corrections page: every public correction with its changes, and withdrawals."""

from dataclasses import dataclass

from django.db.models import Prefetch

from parindex.models import Correction, CorrectionChange, Edition


@dataclass
class CorrectionLog:
    """Released editions with their corrections (changes included), newest
    first, and the withdrawn editions with their public notes."""

    corrected: list[Edition]
    withdrawn: list[Edition]


def correction_list_public() -> CorrectionLog:
    """Everything the public corrections page lists (three queries)."""
    # The unit gives the English name of a change on the English page (a join).
    changes = CorrectionChange.objects.select_related("unit").order_by("position")
    corrected = list(
        Edition.objects.released()
        .filter(corrections__isnull=False)
        .distinct()
        .select_related("framework")
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=Correction.objects.order_by("-number").prefetch_related(
                    Prefetch("changes", queryset=changes)
                ),
            )
        )
        .order_by("-year", "group")
    )
    withdrawn = list(Edition.objects.withdrawn().order_by("-withdrawn_at"))
    return CorrectionLog(corrected=corrected, withdrawn=withdrawn)


def edition_get_withdrawn(*, year: int, group: str) -> Edition | None:
    """The withdrawn edition of a year and group (its address shows why), or None."""
    return Edition.objects.withdrawn().filter(year=year, group=group).first()
