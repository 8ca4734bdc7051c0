"""Released editions, and the previous edition every change (Δ) is measured against."""

from django.db.models import OuterRef, Subquery

from cchc_portal.runtime.blocks import cached_block
from parindex.models import Edition, EditionQuerySet


def edition_get_public(*, year: int, group: str) -> Edition | None:
    """The released edition of a year and group, ready for its ranking (or None).

    Read once per content generation (four queries): every sort and region
    of its ranking, its downloads and its API answer start from it.
    """
    return cached_block(
        "edition-public",
        year,
        group,
        compute=lambda: (
            Edition.objects.released()
            .for_ranking()
            .filter(year=year, group=group)
            .first()
        ),
    )


def edition_list_before(*, group, year) -> EditionQuerySet:
    """Released editions of a group before a year, the nearest first.

    The first one is the previous edition that every change (Δ) is measured
    against: ranking, unit profile and score cards. group and year may be
    OuterRef()s, for the previous edition of each row in one query.
    """
    return (
        Edition.objects.released().filter(group=group, year__lt=year).order_by("-year")
    )


def edition_list_released_years(*, group: str) -> list[int]:
    """Years with a released edition of `group`, for a ranking's year picker
    (read once per content generation: every ranking page of the group, in
    every sort and region, shows the same list)."""
    return cached_block(
        "edition-years",
        group,
        compute=lambda: list(
            Edition.objects.released()
            .filter(group=group)
            .values_list("year", flat=True)
        ),
    )


def edition_select_previous_year(group_ref: str, year_ref: str) -> Subquery:
    """The year of the previous edition of each row (see edition_list_before)."""
    before = edition_list_before(group=OuterRef(group_ref), year=OuterRef(year_ref))
    return Subquery(before.values("year")[:1])


def edition_is_comparable(edition: Edition, previous: Edition | None) -> bool:
    """Official figures are never compared with demo ones (or the reverse)."""
    return previous is not None and previous.is_demo == edition.is_demo


def edition_get_previous(edition: Edition) -> Edition | None:
    """The released edition of the same group just before this one (read once
    per content generation)."""
    return cached_block(
        "edition-previous",
        edition.group,
        edition.year,
        compute=lambda: (
            edition_list_before(group=edition.group, year=edition.year)
            .for_listing()
            .first()
        ),
    )


def rank_change(
    *, prior_rank: int | None, prior_count: int, rank: int, count: int
) -> int | None:
    """Places gained since the previous edition (negative: lost), or None.

    None as well when the two editions ranked different numbers of units:
    44th of 63 (2024) and 13th of 34 (2025, after the reorganisation) are
    not two points on one scale, so no change in rank is claimed. Points
    stay comparable and keep their change.
    """
    if prior_rank is None or prior_count != count:
        return None
    return prior_rank - rank
