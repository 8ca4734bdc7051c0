"""The "Tin liên quan" chooser: what it offers and shows, what it refuses,
and what it says about a scheduled target."""

import datetime as dt

import pytest
from django.utils import timezone

from news.forms import LINK_REFUSED
from news.models import Article, ArticleLink, time_label
from news.prepublish import prepublish_checks
from tests.factories import ArticleFactory, CategoryFactory, TagFactory
from tests.news.admin_forms import article_form_data, change_url

pytestmark = pytest.mark.django_db


def chooser(client, term: str = "") -> list[str]:
    response = client.get(
        "/quan-tri/autocomplete/",
        {
            "app_label": "news",
            "model_name": "articlelink",
            "field_name": "to_article",
            "term": term,
        },
    )
    assert response.status_code == 200
    return [item["text"] for item in response.json()["results"]]


@pytest.fixture
def section(db):
    return CategoryFactory(name="Tin địa phương")


def test_the_chooser_shows_status_date_and_section_of_each_result(
    admin_client, section
):
    published = ArticleFactory(title="Hà Nội rút ngắn thời gian", category=section)
    later = timezone.now() + dt.timedelta(days=3)
    ArticleFactory(title="Hà Nội công bố kết quả", category=section, published_at=later)

    results = chooser(admin_client, "ha noi")

    assert (
        f"Hà Nội rút ngắn thời gian (đã xuất bản {time_label(published.published_at)}"
        " · Tin địa phương)" in results
    )
    assert f"Hà Nội công bố kết quả (hẹn giờ {time_label(later)} · Tin địa phương)" in (
        results
    )


def test_the_chooser_offers_no_draft_pending_or_expired_article(admin_client, section):
    now = timezone.now()
    ArticleFactory(title="Tin công khai về một cửa", category=section)
    ArticleFactory(title="Tin nháp về một cửa", status=Article.Status.DRAFT)
    ArticleFactory(title="Tin chờ duyệt về một cửa", status=Article.Status.PENDING)
    ArticleFactory(
        title="Tin hết hạn về một cửa",
        published_at=now - dt.timedelta(hours=2),
        expires_at=now - dt.timedelta(hours=1),
    )

    results = chooser(admin_client, "mot cua")

    assert [text.split(" (")[0] for text in results] == ["Tin công khai về một cửa"]


def links(*targets) -> dict:
    data = {"outgoing_links-TOTAL_FORMS": str(len(targets))}
    for number, target in enumerate(targets):
        data[f"outgoing_links-{number}-position"] = str(number + 1)
        data[f"outgoing_links-{number}-to_article"] = target.pk
    return data


@pytest.mark.parametrize("target", ["itself", "twice", "draft", "pending", "expired"])
def test_self_duplicate_and_hidden_targets_are_refused_with_one_message(
    admin_client, article, target
):
    other = ArticleFactory()
    hidden = {
        "draft": {"status": Article.Status.DRAFT},
        "pending": {"status": Article.Status.PENDING},
        "expired": {"expires_at": timezone.now() - dt.timedelta(minutes=5)},
    }
    chosen = {
        "itself": (article,),
        "twice": (other, other),
    }.get(target) or (ArticleFactory(**hidden[target]),)

    response = admin_client.post(
        change_url(article), article_form_data(article, **links(*chosen))
    )

    assert response.status_code == 200
    assert response.content.decode().count(LINK_REFUSED) == 1
    assert not ArticleLink.objects.exists()


def test_a_scheduled_target_is_accepted_with_a_warning_saying_when_it_appears(
    admin_client, article
):
    when = (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    scheduled = ArticleFactory(
        title="Kết quả Chỉ số CCHC sắp công bố", published_at=when
    )
    expected = (
        "“Tin liên quan” có bài hẹn giờ “Kết quả Chỉ số CCHC sắp công bố”: bài này "
        f"chỉ hiện trong mục đó từ {time_label(when)}."
    )

    response = admin_client.post(
        change_url(article), article_form_data(article, **links(scheduled)), follow=True
    )

    assert response.status_code == 200
    assert ArticleLink.objects.filter(to_article=scheduled).exists()
    assert expected in [str(message) for message in response.context["messages"]]
    # The pre-publish checks on the form say so too, rather than "no problem"
    # (the edit of a published article is its working draft).
    draft = Article.objects.get(draft_of=article)
    form = admin_client.get(change_url(draft)).content.decode()
    assert expected in form
    codes = [check.code for check in prepublish_checks(draft)]
    assert "related-scheduled" in codes and "no-related" not in codes


def test_the_form_shows_the_automatic_suggestions_that_fill_the_box(
    admin_client, section
):
    tag = TagFactory(name="Một cửa liên thông")
    article = ArticleFactory(title="Bài đang sửa", category=section, tags=[tag])
    curated = ArticleFactory(title="Tin đã chọn", category=section, tags=[tag])
    ArticleLink.objects.create(from_article=article, to_article=curated)
    same_tag = ArticleFactory(title="Tin cùng thẻ", tags=[tag])
    same_section = ArticleFactory(title="Tin cùng chuyên mục", category=section)
    ArticleFactory(title="Bản nháp cùng thẻ", tags=[tag], status=Article.Status.DRAFT)

    page = admin_client.get(change_url(article)).content.decode()

    box = page[page.index('aria-labelledby="goi-y-tin-lien-quan"') :]
    box = box[: box.index("</section>")]
    assert "Gợi ý tự động cho “Tin liên quan”" in box
    assert box.index("Tin cùng thẻ") < box.index("Tin cùng chuyên mục")
    assert f"(đã xuất bản {time_label(same_tag.published_at)}" in box
    assert same_section.get_absolute_url() in box
    assert "Tin đã chọn" not in box and "Bản nháp" not in box
    assert "Bài đang sửa" not in box
