"""axe-core, with its best-practice rules, finds nothing on any page type, nor
does the Nu HTML Checker (tests/browser/nu_checker.py).

Every public page type and the admin article form, at the phone and the
desktop viewport; the HTML checker reads the public pages as served and as
rendered, and every unit profile. The same visit writes a full-page
screenshot of the main pages at both viewports to tests/browser/screenshots/
(git-ignored), for people to look at.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from cchc_portal.alerts import tokens
from cchc_portal.alerts.models import Subscriber, Subscription, TargetKind
from news.models import Article
from news.services import article_set_related
from parindex.models import Unit
from tests.browser.actions import fits_the_screen, log_in
from tests.browser.conftest import node_tool
from tests.browser.nu_checker import nu_errors, save_unit_profiles
from tests.factories import ArticleFactory, TagFactory, WriterFactory

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What the public pages are held to: WCAG 2.2 AA as far as axe tests it, and
# axe's best practices (landmarks, heading order, unique region names...).
AXE_TAGS = [*WCAG_21_AA, "wcag22aa", "best-practice"]


def axe() -> Axe:
    """axe-core as pinned in package.json (newer than the Python package's)."""
    return Axe.from_file(node_tool("axe-core/axe.min.js"))


def public_pages() -> dict[str, str]:
    """Page name (also the screenshot's) → path, on the demo data."""
    article = Article.objects.published().get(slug__startswith="da-nang")
    return {
        "home": "/",
        "listing": "/tin-tuc/",
        "category": article.category.get_absolute_url(),
        "article": article.get_absolute_url(),
        "search": "/tim-kiem/?q=da+nang",
        "search-no-results": "/tim-kiem/?q=kh%C3%B4ng+c%C3%B3+b%C3%A0i+n%C3%A0o+xyzw",
        "search-form-error": "/tim-kiem/?q=da+nang&tu_ngay=31%2F02%2F2026",
        "overview": "/chi-so-cchc/",
        "ranking": "/chi-so-cchc/2024/tinh/?sort=-total",
        "ranking-ministries": "/chi-so-cchc/2023/bo/",
        "profile": "/chi-so-cchc/don-vi/ha-noi/",
        "compare": "/chi-so-cchc/so-sanh/?don_vi=ha-noi&don_vi=da-nang",
        "open-data": "/chi-so-cchc/du-lieu-mo/",
        "corrections": "/chi-so-cchc/dinh-chinh/",
        "not-found": "/trang-khong-ton-tai/",
        "accessibility-statement": "/tuyen-bo-kha-nang-tiep-can/",
    }


def every_page_type() -> dict[str, str]:
    """`public_pages()` and the rest of the public page types: tag, month
    archive, a merged unit and its successor (with the lineage chart), the
    alerts pages, the mailed-link ones for a subscriber made here, and the
    English edition's pages."""
    pages = public_pages()
    article = Article.objects.published().get(slug__startswith="da-nang")
    month = timezone.localtime(article.published_at)
    unit = Unit.objects.get(slug="ha-noi")
    subscriber = Subscriber.objects.create(email="cong-dan@example.vn")
    Subscription.objects.create(
        subscriber=subscriber,
        kind=TargetKind.UNIT,
        unit=unit,
        target_key=f"{TargetKind.UNIT}:{unit.pk}",
        consent_text="Tôi đồng ý (dữ liệu demo).",
        consent_at=timezone.now(),
    )
    confirm = tokens.make(tokens.CONFIRM, pk=subscriber.pk, email=subscriber.email)
    manage = tokens.make(tokens.MANAGE, pk=subscriber.pk, email=subscriber.email)
    return {
        **pages,
        "tag": article.tags.first().get_absolute_url(),
        "month": f"/tin-tuc/{month.year}/{month.month:02}/",
        "profile-merged": "/chi-so-cchc/don-vi/ha-giang/",
        "profile-successor": "/chi-so-cchc/don-vi/tuyen-quang-2025/",
        "alerts-subscribe": "/nhan-tin/dang-ky/?loai=don-vi&muc=ha-noi",
        "alerts-sent": "/nhan-tin/da-gui/",
        "alerts-confirm": f"/nhan-tin/xac-nhan/{confirm}/",
        "alerts-manage-request": "/nhan-tin/quan-ly/",
        "alerts-manage": f"/nhan-tin/quan-ly/{manage}/",
        "privacy": "/nhan-tin/bao-ve-du-lieu-ca-nhan/",
        **english_pages(),
    }


def english_pages() -> dict[str, str]:
    """Every page type of the English edition (/en/), on the demo data's
    English versions and units."""
    original = Article.objects.published().get(slug__startswith="da-nang")
    english = Article.objects.published(language="en").get(translation_of=original)
    return {
        "en-home": "/en/",
        "en-listing": "/en/news/",
        "en-article": english.get_absolute_url(),
        "en-search": "/en/search/?q=da+nang+digital",
        "en-search-no-results": "/en/search/?q=xyzw+nothing",
        "en-overview": "/en/par-index/",
        "en-ranking-ministries": "/en/par-index/2023/ministries/",
        "en-ranking": "/en/par-index/2024/provinces/?sort=-area-3",
        "en-profile": "/en/par-index/units/ha-noi/",
        "en-profile-merged": "/en/par-index/units/ha-giang/",
        "en-profile-successor": "/en/par-index/units/tuyen-quang-2025/",
        "en-profile-ministry": "/en/par-index/units/bo-tu-phap/",
        "en-compare": "/en/par-index/compare/?don_vi=ha-noi&don_vi=quang-ninh",
        "en-method": "/en/par-index/methods/",
        "en-open-data": "/en/par-index/open-data/",
        "en-corrections": "/en/par-index/corrections/",
        "en-accessibility-statement": "/en/accessibility-statement/",
        "en-not-found": "/en/no-such-page/",
    }


# Pages whose screenshots are kept for people to look at.
SCREENSHOT_PAGES = {
    "home",
    "listing",
    "article",
    "search",
    "search-form-error",
    "overview",
    "ranking",
    "profile",
    "compare",
    "en-home",
    "en-article",
    "en-ranking",
}


def writers_draft(writer) -> Article:
    """A writer's draft with everything the form can hold: tags, units, links."""
    draft = ArticleFactory(
        created_by=writer,
        title="Bản nháp: Hà Nội mở rộng một cửa liên thông",
        status=Article.Status.DRAFT,
        published_at=None,
        tags=[TagFactory(name="Một cửa liên thông (thử)")],
    )
    draft.units.set(Unit.objects.filter(slug__in=["ha-noi", "da-nang"]))
    related = Article.objects.published().order_by("-published_at")[:2]
    article_set_related(article=draft, related=list(related))
    return draft


def axe_report(page, checker: Axe) -> str:
    """axe's report of the violations on the page, or "" when there is none."""
    results = checker.run(
        page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}
    )
    return results.generate_report() if results.violations_count else ""


def test_every_page_type_passes_axe_and_the_public_ones_the_html_checker(
    live_server, page_at_viewport, viewport_name, demo_site, settings, shoot, tmp_path
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    page = page_at_viewport
    checker = axe()
    reports = {}
    html_files = []
    for name, path in every_page_type().items():
        response = page.goto(live_server.url + path)
        if report := axe_report(page, checker):
            reports[name] = report
        assert fits_the_screen(page), name
        if name in SCREENSHOT_PAGES:
            shoot(page, name)
        # As sent (once: it does not depend on the viewport) and as rendered.
        if viewport_name == "phone":
            served = tmp_path / f"{name}-served.html"
            served.write_bytes(response.body())
            html_files.append(served)
        rendered = tmp_path / f"{name}-rendered-{viewport_name}.html"
        rendered.write_text(page.content(), encoding="utf-8")
        html_files.append(rendered)
    if viewport_name == "phone":
        # The lineage chart is on the page checked, not only the unit's header.
        assert 'id="lich-su-hop-nhat"' in (
            tmp_path / "profile-successor-served.html"
        ).read_text(encoding="utf-8")
        html_files += save_unit_profiles(tmp_path)
    if errors := nu_errors(html_files, tmp_path):
        reports["Nu HTML Checker"] = f"{len(errors)} errors:\n" + "\n".join(errors)

    # The search variants show what their names say.
    page.goto(live_server.url + public_pages()["search-no-results"])
    expect(page.get_by_text("Không tìm thấy tin bài nào")).to_be_visible()
    page.goto(live_server.url + public_pages()["search-form-error"])
    expect(page.get_by_label("Từ ngày")).to_have_attribute("aria-invalid", "true")
    # The subscribe form sent empty: its errors too.
    page.goto(live_server.url + "/nhan-tin/dang-ky/?loai=don-vi&muc=ha-noi")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_text("Hãy nhập địa chỉ thư điện tử.")).to_be_visible()
    if report := axe_report(page, checker):
        reports["alerts-subscribe-errors"] = report

    # The admin article form, as a writer: a new article, then a full draft.
    draft = writers_draft(WriterFactory(username="bientap"))
    log_in(page, live_server, "bientap")
    for name, path in {
        "admin-article-add": "/quan-tri/news/article/add/",
        "admin-article-change": f"/quan-tri/news/article/{draft.pk}/change/",
    }.items():
        page.goto(live_server.url + path)
        # The editor and the autocompletes are built, and named, by scripts.
        expect(page.get_by_role("textbox", name="Nội dung")).to_be_visible()
        expect(page.get_by_role("combobox", name="Chuyên mục")).to_be_visible()
        if report := axe_report(page, checker):
            reports[name] = report
        assert fits_the_screen(page), name
        shoot(page, name)

    assert not reports, "\n".join(
        f"{name}: {report}" for name, report in reports.items()
    )
