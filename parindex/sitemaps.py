"""Sitemap sections for PAR INDEX: released rankings and unit profiles."""

from django.contrib.sitemaps import Sitemap

from cchc_portal.web.language import BilingualSitemap
from parindex.models import Edition, Unit


class RankingSitemap(BilingualSitemap, Sitemap):
    """Released editions (one ranking page each, in each language)."""

    def items(self):
        return Edition.objects.released().order_by("-year", "group")

    def lastmod(self, item: Edition):
        return item.updated_at


class UnitSitemap(BilingualSitemap, Sitemap):
    """Every unit profile, former units included (their history stays public),
    in each language."""

    def items(self):
        return Unit.objects.only("id", "slug").order_by("slug")
