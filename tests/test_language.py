"""The English edition's machinery: the URL is the language.

Vietnamese addresses stay as they were; English pages live under /en/ with
translated routes; a cookie or Accept-Language never changes a page; views
without English pages answer an English 404 pointing to the Vietnamese page;
every page offers the other language, and hreflang pairs point both ways.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cchc_portal.catalogues import (
    compile_catalogue,
    po_files,
    python_messages,
    template_messages,
    untranslated_messages,
)
from cchc_portal.web.language import (
    ENGLISH,
    VIETNAMESE,
    counterpart_url,
    page_alternates,
)
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
SWITCH = re.compile(r'<ul class="language-switch".*?</ul>', re.S)


def language_switch(response) -> str:
    """The switch's markup, its whitespace collapsed."""
    return " ".join(SWITCH.search(response.content.decode()).group(0).split())


def hreflang_pairs(response) -> dict[str, str]:
    return dict(HREFLANG.findall(response.content.decode()))


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]*)"', response.content.decode()).group(1)


def test_vietnamese_addresses_stay_exactly_as_they_were():
    assert reverse("home") == "/"
    assert reverse("accessibility-statement") == "/tuyen-bo-kha-nang-tiep-can/"
    assert reverse("parindex:overview") == "/chi-so-cchc/"
    assert reverse("search:results") == "/tim-kiem/"
    assert reverse("news:article-list") == "/tin-tuc/"
    assert reverse("admin:index") == "/quan-tri/"


def test_english_addresses_live_under_en_with_english_routes():
    with translation.override(ENGLISH):
        assert reverse("home") == "/en/"
        assert reverse("accessibility-statement") == "/en/accessibility-statement/"
        assert reverse("parindex:overview") == "/en/par-index/"
        assert reverse("search:results") == "/en/search/"
        # Machinery and the admin have one address whatever the language.
        assert reverse("admin:index") == "/quan-tri/"
        assert reverse("healthz") == "/healthz"


def test_the_address_alone_picks_the_language_never_a_cookie_or_accept_language(
    client,
):
    client.cookies["django_language"] = "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert response.status_code == 200
    assert html_lang(response) == "vi"
    assert response["Content-Language"] == "vi"
    assert "Accept-Language" not in response.get("Vary", "")
    assert "django_language" not in response.cookies

    english = client.get("/en/", HTTP_ACCEPT_LANGUAGE="vi")
    assert html_lang(english) == "en"
    assert english["Content-Language"] == "en"
    assert "Accept-Language" not in english.get("Vary", "")


def test_a_request_leaves_no_english_behind_for_the_next_one(client):
    client.get("/en/accessibility-statement/")
    assert translation.get_language() == VIETNAMESE

    # A refusal made before any view (RequestSanityMiddleware) speaks Vietnamese.
    refused = client.generic("PUT", "/")
    assert refused.status_code == 405
    assert html_lang(refused) == "vi"


@pytest.mark.parametrize(
    "path", ["/fr/", "/fr/chi-so-cchc/", "/en-gb/", "/EN/", "/vi/", "/en/khong-co/"]
)
def test_an_unknown_language_prefix_or_english_address_is_a_404_never_a_500(
    client, path
):
    response = client.get(path)
    assert response.status_code == 404


def test_a_page_without_an_english_page_is_the_english_404_linking_the_vietnamese(
    client,
):
    category = CategoryFactory(slug="thoi-su")
    response = client.get(f"/en/chuyen-muc/{category.slug}/")

    assert response.status_code == 404
    assert html_lang(response) == "en"
    body = response.content.decode()
    assert "Page not found" in body
    assert (
        f'<a href="/chuyen-muc/{category.slug}/" hreflang="vi">'
        "Read this page in Vietnamese</a>"
    ) in body
    # The language switch goes to the same Vietnamese page, and a 404 has no hreflang.
    assert f'href="/chuyen-muc/{category.slug}/" hreflang="vi" lang="vi"' in (
        language_switch(response)
    )
    assert hreflang_pairs(response) == {}


def test_an_english_address_matching_no_route_links_to_the_vietnamese_home(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert '<a href="/" hreflang="vi">Read this page in Vietnamese</a>' in body


def test_every_page_offers_the_other_language(client):
    vietnamese = language_switch(client.get("/"))
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in vietnamese
    assert '<span aria-current="true" lang="vi">Tiếng Việt</span>' in vietnamese

    english = language_switch(client.get("/en/accessibility-statement/"))
    assert (
        '<a href="/tuyen-bo-kha-nang-tiep-can/" hreflang="vi" lang="vi">Tiếng Việt</a>'
        in english
    )


def test_a_vietnamese_only_page_switches_to_the_english_home(client):
    category = CategoryFactory(slug="thoi-su")
    response = client.get(f"/chuyen-muc/{category.slug}/")

    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in (
        language_switch(response)
    )
    # No English page, so no hreflang pair.
    assert hreflang_pairs(response) == {}


@pytest.mark.parametrize(
    ("vietnamese", "english"),
    [("/", "/en/"), ("/tuyen-bo-kha-nang-tiep-can/", "/en/accessibility-statement/")],
)
def test_hreflang_pairs_point_both_ways_with_vietnamese_as_default(
    client, vietnamese, english
):
    expected = {
        "vi": f"http://testserver{vietnamese}",
        "en": f"http://testserver{english}",
        "x-default": f"http://testserver{vietnamese}",
    }
    assert hreflang_pairs(client.get(vietnamese)) == expected
    assert hreflang_pairs(client.get(english)) == expected


def test_the_switch_and_the_hreflang_pairs_share_one_lookup_per_page(
    client, monkeypatch
):
    from cchc_portal.templatetags import portal_tags

    lookups = []

    def counted(request, given=None):
        lookups.append(request.path)
        return page_alternates(request, given)

    monkeypatch.setattr(portal_tags, "page_alternates", counted)
    response = client.get("/tuyen-bo-kha-nang-tiep-can/")

    assert "/en/accessibility-statement/" in language_switch(response)
    assert hreflang_pairs(response)["en"].endswith("/en/accessibility-statement/")
    assert lookups == ["/tuyen-bo-kha-nang-tiep-can/"]


def test_the_counterpart_of_a_route_is_that_route_translated():
    assert counterpart_url("/tuyen-bo-kha-nang-tiep-can/", ENGLISH) == (
        "/en/accessibility-statement/"
    )
    with translation.override(ENGLISH):
        assert counterpart_url("/en/accessibility-statement/", VIETNAMESE) == (
            "/tuyen-bo-kha-nang-tiep-can/"
        )
    # The admin and Vietnamese-only pages have no English counterpart.
    assert counterpart_url("/quan-tri/", ENGLISH) is None
    assert counterpart_url("/thuat-ngu/", ENGLISH) is None


def test_the_accessibility_statement_is_written_in_each_language(client):
    vietnamese = client.get("/tuyen-bo-kha-nang-tiep-can/").content.decode()
    english = client.get("/en/accessibility-statement/").content.decode()

    assert "<h1>Tuyên bố về khả năng tiếp cận</h1>" in vietnamese
    assert "<h1>Accessibility statement</h1>" in english
    assert "Tuyên bố" not in english.split("<main", 1)[1].split("</main>")[0]


@pytest.mark.usefixtures("page_cache_on")
def test_the_page_cache_keeps_each_language_apart(client):
    assert html_lang(client.get("/tuyen-bo-kha-nang-tiep-can/")) == "vi"
    assert html_lang(client.get("/en/accessibility-statement/")) == "en"
    # Served again, now from the cache: each still in its own language.
    assert html_lang(client.get("/en/accessibility-statement/")) == "en"
    assert html_lang(client.get("/tuyen-bo-kha-nang-tiep-can/")) == "vi"


def test_english_pages_format_numbers_and_dates_the_english_way():
    import datetime

    from django.utils import formats

    moment = datetime.datetime(2017, 5, 30, 21, 27)
    with translation.override(ENGLISH):
        assert formats.number_format(91.54, 2) == "91.54"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "30 May 2017, 21:27"
    with translation.override(VIETNAMESE):
        assert formats.number_format(91.54, 2) == "91,54"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "30/05/2017 21:27"


def test_every_string_marked_for_translation_has_an_english_translation():
    missing = untranslated_messages(ENGLISH)
    assert not missing, (
        "\n".join(
            f"{msgid!r} ({', '.join(sorted(places))})"
            for (_context, msgid, _plural), places in sorted(missing.items())
        )
        + "\n(list them as .po entries: manage.py compile_catalogues --untranslated en)"
    )


def test_the_string_finder_sees_template_and_python_marks():
    # A finder that found nothing would let the test above pass on anything.
    templates = template_messages()
    assert ("", "Bỏ qua, đến nội dung chính", "") in templates
    assert "base.html" in templates[("", "Bỏ qua, đến nội dung chính", "")]
    assert ("", "Trang chủ", "") in python_messages()


def test_every_catalogue_compiles_and_none_is_committed_compiled(tmp_path):
    import subprocess

    from django.conf import settings

    assert po_files(), "no catalogues found"
    for po in po_files():
        copy = tmp_path / po.relative_to(settings.BASE_DIR)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(po.read_bytes())
        compile_catalogue(copy)
        assert copy.with_suffix(".mo").stat().st_size > 0
    tracked = subprocess.run(
        ["git", "ls-files", "*.mo"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert tracked == "", "compiled catalogues are made at install time"


def test_robots_keep_crawlers_out_of_the_search_in_both_languages(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /tim-kiem/" in lines
    assert "Disallow: /en/search/" in lines


def test_link_previews_name_the_page_locale(client):
    vietnamese = client.get("/tuyen-bo-kha-nang-tiep-can/").content.decode()
    english = client.get("/en/accessibility-statement/").content.decode()

    assert '<meta property="og:locale" content="vi_VN">' in vietnamese
    assert '<meta property="og:locale" content="en_GB">' in english
    assert "Logo of the Public Administration Reform Portal" in english
