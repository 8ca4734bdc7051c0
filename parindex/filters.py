"""Filters for the ranking table (django-filter)."""

import django_filters

from parindex.models import Region, Result


class RankingFilter(django_filters.FilterSet):
    """?vung=<region slug>; an unknown value leaves the table unfiltered."""

    vung = django_filters.ModelChoiceFilter(
        label="Vùng kinh tế - xã hội",
        field_name="unit__region",
        to_field_name="slug",
        queryset=Region.objects.all(),
        empty_label="Tất cả các vùng",
    )

    class Meta:
        model = Result
        fields = []

    @property
    def region(self) -> Region | None:
        """The region actually applied (None when absent or invalid)."""
        if not self.is_bound or not self.form.is_valid():
            return None
        return self.form.cleaned_data.get("vung")
