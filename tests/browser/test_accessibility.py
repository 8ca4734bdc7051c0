"""axe-core finds no WCAG 2.1 A/AA violation on the main page types."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from news.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def main_pages() -> dict[str, str]:
    article = Article.objects.published().get(slug__startswith="da-nang")
    return {
        "home": "/",
        "listing": "/tin-tuc/",
        "category": article.category.get_absolute_url(),
        "article": article.get_absolute_url(),
        "overview": "/chi-so-cchc/",
        "ranking": "/chi-so-cchc/2023/bo/?sort=-total",
        "profile": "/chi-so-cchc/don-vi/ha-noi/",
        "compare": "/chi-so-cchc/so-sanh/?don_vi=bo-tu-phap&don_vi=bo-tai-chinh",
        "open data": "/chi-so-cchc/du-lieu-mo/",
        "not found": "/trang-khong-ton-tai/",
        "accessibility statement": "/tuyen-bo-kha-nang-tiep-can/",
    }


def test_main_pages_have_no_wcag_violations(live_server, page_at_viewport):
    call_command("seed_demo", stdout=io.StringIO())
    axe = Axe()
    reports = {}
    for name, path in main_pages().items():
        page_at_viewport.goto(live_server.url + path)
        results = axe.run(
            page_at_viewport, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}}
        )
        if results.violations_count:
            reports[name] = results.generate_report()
    assert not reports, "\n".join(
        f"{name}: {report}" for name, report in reports.items()
    )
