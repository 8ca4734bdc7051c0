"""The sitemap: an index of sections (sitemap.xml), one file per section.

robots.txt names the index; the Google News section (recent articles) is a
section of the index with its own template.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse

from cchc_portal.web.language import BilingualSitemap
from news.sitemaps import (
    ArticleSitemap,
    CategorySitemap,
    MonthArchiveSitemap,
    RecentNewsSitemap,
    TagSitemap,
)
from parindex.sitemaps import RankingSitemap, UnitSitemap


class PageSitemap(BilingualSitemap, Sitemap):
    """Pages that are not rows: home, listings, PAR INDEX overview and tools,
    in English too where they have an English page."""

    def items(self):
        return [
            "home",
            "news:article-list",
            "news:glossary",
            "accessibility-statement",
            "parindex:overview",
            "parindex:method",
            "parindex:compare",
            "parindex:open-data",
            "parindex:corrections",
            "alerts:privacy",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


NEWS_SECTION = "tin-moi"
SECTIONS = {
    "trang": PageSitemap,
    NEWS_SECTION: RecentNewsSitemap,
    "tin-bai": ArticleSitemap,
    "luu-tru": MonthArchiveSitemap,
    "chuyen-muc": CategorySitemap,
    "the": TagSitemap,
    "xep-hang": RankingSitemap,
    "don-vi": UnitSitemap,
}


def _sections_with_news(sections: dict) -> dict:
    """The sections without the Google News one when it would be empty.

    The sitemap schema wants at least one <url> in a <urlset>: with nothing
    published in the last two days the section is left out of the index.
    """
    if sections[NEWS_SECTION]().items().exists():
        return sections
    return {name: value for name, value in sections.items() if name != NEWS_SECTION}


def index(request):
    """/sitemap.xml: the sitemap index with each section's pages and lastmod."""
    return sitemap_views.index(
        request, _sections_with_news(SECTIONS), sitemap_url_name="sitemap-section"
    )


def section(request, section: str):
    """/sitemap-<section>.xml[?p=N]; the recent-news section in Google News form.

    An empty Google News section answers 404 (it is not in the index then).
    """
    sections = SECTIONS
    if section == NEWS_SECTION:
        sections = _sections_with_news(SECTIONS)
        template = "sitemaps/news.xml"
    else:
        template = "sitemap.xml"
    return sitemap_views.sitemap(
        request, sections, section=section, template_name=template
    )
