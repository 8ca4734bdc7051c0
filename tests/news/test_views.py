"""Public news pages: what readers see, redirects, 404s and paging."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from news.models import Article
from news.views import ARTICLES_PER_PAGE
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    GlossaryTermFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def test_article_page_shows_everything_a_reader_needs(client, category):
    parent = CategoryFactory(name="Tin tức")
    category.parent = parent
    category.save()
    tag = TagFactory(name="Chuyển đổi số")
    article = ArticleFactory(
        title="Đẩy mạnh cải cách hành chính",
        sapo="Tóm tắt về cải cách.",
        body="<p>Nội dung chính của bài.</p>",
        byline="Huyền Anh",
        source_agency="Bộ Nội vụ",
        category=category,
        published_at=dt.datetime(2026, 5, 30, 14, 27, tzinfo=dt.UTC),
        tags=[tag],
        change_note="Bổ sung số liệu.",
    )

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    # 14:27 UTC is 21:27 in Hanoi.
    assert "30/05/2026 21:27" in html
    assert '<h1 class="article__title">Đẩy mạnh cải cách hành chính</h1>' in html
    assert "Tóm tắt về cải cách." in html
    assert "Nội dung chính của bài." in html
    assert '<p class="article__byline">Huyền Anh</p>' in html
    assert "Nguồn: Bộ Nội vụ" in html
    assert "Cập nhật lúc" in html and "Bổ sung số liệu." in html
    assert f'href="{tag.get_absolute_url()}"' in html
    assert 'aria-label="Vị trí trang"' in html
    assert f'<li><a href="{parent.get_absolute_url()}">Tin tức</a></li>' in html
    assert "facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver" in html
    assert f'href="{article.get_print_url()}"' in html
    assert '<script src="https://' not in html


@pytest.mark.parametrize(
    "wrong_slug", ["ten-cu", "day-manh", "day-manh-cai-cach-hanh-chinh-x"]
)
def test_stale_or_wrong_slug_answers_301_to_the_current_url(
    client, article, wrong_slug
):
    response = client.get(f"/tin-tuc/{wrong_slug}-{article.pk}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_renamed_article_keeps_its_old_links_working(client, article):
    old_url = article.get_absolute_url()
    article.slug = "cai-cach-hanh-chinh-2026"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == f"/tin-tuc/cai-cach-hanh-chinh-2026-{article.pk}/"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.PENDING},
        {"published_at": timezone.now() + dt.timedelta(days=1)},
        {
            "published_at": timezone.now() - dt.timedelta(days=2),
            "expires_at": timezone.now() - dt.timedelta(days=1),
        },
    ],
    ids=["draft", "pending", "scheduled", "expired"],
)
def test_unpublished_article_answers_404_to_the_public(client, category, fields):
    article = ArticleFactory(category=category, **fields)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(article.get_print_url()).status_code == 404
    listing = client.get("/tin-tuc/").content.decode()
    assert article.title not in listing


def test_unknown_article_answers_404(client, db):
    assert client.get("/tin-tuc/khong-co-999999/").status_code == 404


def test_news_list_shows_cards_newest_first_with_xem_them_link(client, category):
    now = timezone.now()
    for number in range(ARTICLES_PER_PAGE + 3):
        ArticleFactory(
            title=f"Tin số {number}",
            category=category,
            published_at=now - dt.timedelta(hours=number + 1),
        )

    response = client.get("/tin-tuc/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Tin số 0<") < html.index("Tin số 1<")
    assert "Tin số 12<" not in html
    assert 'href="?page=2" rel="next" data-load-more>Xem thêm</a>' in html
    second = client.get("/tin-tuc/?page=2").content.decode()
    assert "Tin số 12<" in second and "Tin số 0<" not in second
    assert "data-load-more>" not in second
    assert 'href="?page=1" rel="prev"' in second


@pytest.mark.parametrize(
    "page", ["abc", "0", "-1", "99999", "99999999999999999999", "1.5", ""]
)
def test_bad_page_numbers_answer_a_page_or_404_never_500(client, article, page):
    response = client.get(f"/tin-tuc/?page={page}")
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert "Không tìm thấy trang" in response.content.decode()


def test_last_page_keyword_answers_the_last_page(client, article):
    response = client.get("/tin-tuc/?page=last")
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_category_page_lists_its_and_its_subsections_articles(client, category):
    child = CategoryFactory(name="Tin địa phương", parent=category)
    ArticleFactory(title="Tin của chuyên mục", category=category)
    ArticleFactory(title="Tin của chuyên mục con", category=child)
    ArticleFactory(title="Tin chuyên mục khác")

    response = client.get(category.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Cải cách thủ tục hành chính</h1>" in html
    assert "Tin của chuyên mục<" in html
    assert "Tin của chuyên mục con<" in html
    assert "Tin chuyên mục khác" not in html
    assert f'href="{child.get_absolute_url()}"' in html


def test_unknown_category_and_tag_answer_404(client, db):
    assert client.get("/chuyen-muc/khong-co/").status_code == 404
    assert client.get("/the/khong-co/").status_code == 404


def test_tag_page_lists_the_articles_carrying_the_tag(client, category):
    tag = TagFactory(name="Đà Nẵng")
    ArticleFactory(title="Tin có thẻ", category=category, tags=[tag])
    ArticleFactory(title="Tin không thẻ", category=category)

    html = client.get("/the/da-nang/").content.decode()

    assert "Thẻ: Đà Nẵng" in html
    assert "Tin có thẻ" in html and "Tin không thẻ" not in html


@pytest.mark.parametrize(
    "carried_by",
    ["nothing", "draft", "pending", "scheduled", "expired"],
)
def test_a_tag_without_a_public_article_has_no_page_feed_or_sitemap_entry(
    client, category, carried_by
):
    tag = TagFactory(name="Thẻ mới của người viết")
    now = timezone.now()
    articles = {
        "draft": {"status": Article.Status.DRAFT},
        "pending": {"status": Article.Status.PENDING},
        "scheduled": {"published_at": now + dt.timedelta(days=2)},
        "expired": {"expires_at": now - dt.timedelta(minutes=1)},
    }
    if carried_by in articles:
        ArticleFactory(category=category, tags=[tag], **articles[carried_by])

    assert client.get(tag.get_absolute_url()).status_code == 404
    assert client.get(f"{tag.get_absolute_url()}rss/").status_code == 404
    assert tag.get_absolute_url() not in client.get("/sitemap-the.xml").content.decode()


def test_a_tag_appears_once_a_reviewer_publishes_an_article_carrying_it(
    client, category
):
    tag = TagFactory(name="Thẻ mới của người viết")
    article = ArticleFactory(
        category=category, tags=[tag], status=Article.Status.PENDING
    )
    assert client.get(tag.get_absolute_url()).status_code == 404
    assert tag.name not in client.get("/tim-kiem/?q=tin").content.decode()

    article.status = Article.Status.PUBLISHED
    article.save()

    assert client.get(tag.get_absolute_url()).status_code == 200
    assert client.get(f"{tag.get_absolute_url()}rss/").status_code == 200
    assert tag.get_absolute_url() in client.get("/sitemap-the.xml").content.decode()
    assert tag.name in client.get("/tim-kiem/?q=tin").content.decode()


def test_month_archive_uses_hanoi_time(client, category):
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    # 00:30 on 1 June in Hanoi is still 31 May in UTC.
    ArticleFactory(
        title="Tin đầu tháng sáu",
        category=category,
        published_at=dt.datetime(2026, 6, 1, 0, 30, tzinfo=hanoi),
    )
    ArticleFactory(
        title="Tin cuối tháng năm",
        category=category,
        published_at=dt.datetime(2026, 5, 31, 23, 0, tzinfo=hanoi),
    )

    june = client.get("/tin-tuc/2026/6/").content.decode()
    may = client.get("/tin-tuc/2026/5/").content.decode()

    assert "Tin tức tháng 06/2026" in june
    assert "Tin đầu tháng sáu" in june and "Tin cuối tháng năm" not in june
    assert "Tin cuối tháng năm" in may and "Tin đầu tháng sáu" not in may


@pytest.mark.parametrize(
    "url", ["/tin-tuc/2026/13/", "/tin-tuc/2026/0/", "/tin-tuc/0/1/"]
)
def test_impossible_months_answer_404(client, db, url):
    assert client.get(url).status_code == 404


def test_month_without_public_article_answers_404(client, category):
    ArticleFactory(
        category=category,
        published_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC),
    )
    ArticleFactory(
        category=category,
        status=Article.Status.DRAFT,
        published_at=None,
    )

    assert client.get("/tin-tuc/2026/3/").status_code == 200
    assert client.get("/tin-tuc/2026/4/").status_code == 404
    assert client.get("/tin-tuc/1990/1/").status_code == 404
    assert client.get("/tin-tuc/2199/12/").status_code == 404


def test_zero_padded_month_redirects_permanently_to_the_one_url(client, category):
    ArticleFactory(
        category=category, published_at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
    )

    response = client.get("/tin-tuc/2026/01/?page=1")

    assert response.status_code == 301
    assert response["Location"] == "/tin-tuc/2026/1/?page=1"
    assert client.get("/tin-tuc/2026/1/").status_code == 200


def test_month_links_skip_to_the_nearest_months_with_articles(client, category):
    for month in (1, 6, 11):
        ArticleFactory(
            category=category,
            published_at=dt.datetime(2025, month, 15, tzinfo=dt.UTC),
        )

    html = client.get("/tin-tuc/2025/6/").content.decode()
    links = re.findall(r'href="(/tin-tuc/\d+/\d+/)"', html)

    assert "/tin-tuc/2025/1/" in links and "/tin-tuc/2025/11/" in links
    assert not {"/tin-tuc/2025/5/", "/tin-tuc/2025/7/"} & set(links)
    first = client.get("/tin-tuc/2025/1/").content.decode()
    assert "Tháng 12/2024" not in first and "Tháng 06/2025" in first


def test_home_page_has_featured_latest_and_a_block_per_menu_category(client, category):
    hidden = CategoryFactory(name="Không trên menu", show_in_nav=False)
    now = timezone.now()
    ArticleFactory(
        title="Tin nổi bật hôm nay",
        category=category,
        featured=True,
        published_at=now - dt.timedelta(minutes=5),
    )
    ArticleFactory(title="Tin mới nhất", category=hidden)
    ArticleFactory(title="Tin nháp", category=category, status=Article.Status.DRAFT)

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="featured__title"' in html and "Tin nổi bật hôm nay" in html
    assert "Tin mới nhất" in html
    assert f'id="chuyen-muc-{category.slug}"' in html
    assert f'id="chuyen-muc-{hidden.slug}"' not in html
    assert "Tin nháp" not in html


def test_home_section_link_names_its_category_as_written(client, db):
    news = CategoryFactory(name="Tin tức", show_in_nav=True)
    par = CategoryFactory(name="Chỉ số PAR INDEX", show_in_nav=True)
    ArticleFactory(category=news)
    ArticleFactory(category=par)

    html = client.get("/").content.decode()

    for category in (news, par):
        link = (
            f'<a href="{category.get_absolute_url()}">Xem tất cả: {category.name}</a>'
        )
        assert link in html
    assert "tin tin tức" not in html and "par index" not in html


def test_menu_categories_appear_in_the_primary_navigation(client, category):
    CategoryFactory(name="Chuyên mục ẩn", show_in_nav=False)

    html = client.get("/tuyen-bo-kha-nang-tiep-can/").content.decode()

    nav = html[html.index('class="primary-nav"') :]
    assert nav.index("Trang chủ") < nav.index("Cải cách thủ tục hành chính")
    assert f'href="{category.get_absolute_url()}"' in nav
    assert "Chuyên mục ẩn" not in nav
    current = " ".join(client.get(category.get_absolute_url()).content.decode().split())
    assert f'href="{category.get_absolute_url()}" aria-current="page"' in current


def test_first_use_of_a_glossary_abbreviation_is_explained_on_screen_and_in_print(
    client, category
):
    GlossaryTermFactory(abbreviation="CCHC", meaning="cải cách hành chính")
    article = ArticleFactory(
        category=category,
        body='<p>CCHC là ưu tiên. CCHC năm nay.</p><p><a href="/x">CCHC</a></p>',
    )

    for url in (article.get_absolute_url(), article.get_print_url()):
        html = client.get(url).content.decode()

        assert html.count('<abbr title="cải cách hành chính">CCHC</abbr>') == 1
        assert (
            '<abbr title="cải cách hành chính">CCHC</abbr> là ưu tiên. CCHC năm nay.'
            in html
        )


def test_glossary_page_lists_terms_with_stable_anchors(client, db):
    term = GlossaryTermFactory(abbreviation="HĐND", meaning="Hội đồng nhân dân")
    html = client.get("/thuat-ngu/").content.decode()
    assert '<dt id="hdnd"><abbr title="Hội đồng nhân dân">HĐND</abbr></dt>' in html
    assert term.get_absolute_url() == "/thuat-ngu/#hdnd"


def test_article_time_links_to_its_month_in_hanoi_time(client, category):
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    article = ArticleFactory(
        category=category, published_at=dt.datetime(2026, 6, 1, 0, 30, tzinfo=hanoi)
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/tin-tuc/2026/6/" class="article__time"' in html


def test_print_view_shows_the_article_without_lists(client, article):
    # A neighbour in the category: the article page lists it under both
    # "Tin liên quan" and "Đọc thêm"; the print page must not.
    ArticleFactory(title="Tin cùng chuyên mục", category=article.category)
    assert (
        'id="tin-lien-quan"' in client.get(article.get_absolute_url()).content.decode()
    )

    response = client.get(article.get_print_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert article.title in html
    assert 'name="robots" content="noindex"' in html
    assert "Tin cùng chuyên mục" not in html
    assert "Tin liên quan" not in html and "Đọc thêm" not in html


def test_uploaded_media_is_served_when_enabled(client, settings, isolated_media_root):
    (isolated_media_root / "news").mkdir(parents=True)
    (isolated_media_root / "news" / "a.txt").write_text("ảnh")
    response = client.get("/media/news/a.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "ảnh"
    client.raise_request_exception = False
    assert client.get("/media/../settings.py").status_code in (400, 404)
    assert client.get("/media/news/khong-co.jpg").status_code == 404


def test_home_block_of_a_menu_category_includes_its_subsections(client, category):
    child = CategoryFactory(name="Tin địa phương", parent=category)
    now = timezone.now()
    ArticleFactory(title="Tin chuyên mục con", category=child, published_at=now)
    ArticleFactory(
        title="Tin chuyên mục cha",
        category=category,
        published_at=now - dt.timedelta(hours=2),
    )

    html = client.get("/").content.decode()

    block = html[html.index(f'id="chuyen-muc-{category.slug}"') :]
    assert block.index("Tin chuyên mục con") < block.index("Tin chuyên mục cha")


@pytest.mark.parametrize(("flag", "served"), [("", True), ("0", False)])
def test_django_serve_media_switches_the_apps_media_url(flag, served):
    """Behind a proxy that serves /media/, DJANGO_SERVE_MEDIA=0 drops the route."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_SERVE_MEDIA=flag,
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",  # never connected
        DJANGO_SETTINGS_MODULE="cchc_portal.settings",
    )
    script = (
        "import django; django.setup()\n"
        "from django.urls import Resolver404, resolve\n"
        "try:\n    resolve('/media/news/a.jpg'); print('served')\n"
        "except Resolver404:\n    print('not served')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("served" if served else "not served")
