"""Working drafts of published articles: the live version stays until published."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from news import drafts, services
from news.models import Article, ArticleGalleryImage, ArticleLink, whole_second_now
from tests.factories import (
    ArticleFactory,
    ArticleLinkFactory,
    CategoryFactory,
    TagFactory,
    library_image,
)
from tests.news.admin_forms import article_form_data, change_url

pytestmark = pytest.mark.django_db

Status = Article.Status


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def live(category):
    article = ArticleFactory(
        title="Quy trình một cửa ở phường",
        body="<p>Bản cũ: thủ tục mất năm ngày.</p>",
        category=category,
        tags=[TagFactory(name="Một cửa")],
    )
    ArticleLinkFactory(from_article=article, to_article=ArticleFactory())
    article.refresh_from_db()
    return article


def public_state(client, article):
    """What anonymous readers get: the page, the feed and a search."""
    page = client.get(article.get_absolute_url()).content.decode()
    feed = client.get("/tin-tuc/rss/").content.decode()
    search = client.get("/tim-kiem/", {"q": "ba ngay"}).content.decode()
    return page, feed, search


def test_a_writers_edit_of_a_live_article_waits_for_the_reviewer(
    client, live, writer, reviewer, page_cache_on, committed
):
    """Page, feed and search show the old text (page cache on) until the
    reviewer publishes the draft; then all show the new one."""
    page, feed, search = public_state(client, live)
    assert "năm ngày" in page and live.get_absolute_url() not in search

    client.force_login(writer)
    data = article_form_data(
        live,
        title="Quy trình một cửa ở phường: rút còn ba ngày",
        body="<p>Bản mới: thủ tục còn ba ngày.</p>",
    )
    del data["status"]  # read-only for a writer on a live article
    link = live.outgoing_links.get()
    data.update(
        {
            "outgoing_links-TOTAL_FORMS": "1",
            "outgoing_links-INITIAL_FORMS": "1",
            "outgoing_links-0-id": link.pk,
            "outgoing_links-0-from_article": live.pk,
            "outgoing_links-0-position": "0",
            "outgoing_links-0-to_article": link.to_article_id,
        }
    )
    response = committed(lambda: client.post(change_url(live), data, follow=True))
    draft = Article.objects.get(draft_of=live)
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert "bản sửa chờ duyệt" in " ".join(messages_of(response))
    assert draft.created_by == writer and draft.status == Status.DRAFT
    assert list(draft.tags.values_list("name", flat=True)) == ["Một cửa"]
    assert draft.outgoing_links.count() == 1
    client.logout()

    page, feed, search = public_state(client, live)
    assert "năm ngày" in page and "ba ngày" not in page
    assert "rút còn ba ngày" not in feed
    assert live.get_absolute_url() not in search  # "ba ngày" is only in the draft
    live.refresh_from_db()
    assert live.title == "Quy trình một cửa ở phường"

    committed(lambda: services.article_submit_for_review(article=draft, user=writer))
    committed(lambda: services.article_publish(article=draft, user=reviewer))

    page, feed, search = public_state(client, live)
    assert "ba ngày" in page and "năm ngày" not in page
    assert "rút còn ba ngày" in feed
    assert live.get_absolute_url() in search
    assert not Article.objects.filter(draft_of=live).exists()
    live.refresh_from_db()
    assert live.status == Status.PUBLISHED
    assert list(live.tags.values_list("name", flat=True)) == ["Một cửa"]
    assert live.outgoing_links.count() == 1
    assert live.history.first().history_change_reason == drafts.REASON_DRAFT_PUBLISHED


def test_a_reviewer_publishes_the_draft_from_its_form_and_is_told_the_pages(
    reviewer_client, live, reviewer
):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    data = article_form_data(
        draft, body="<p>Đã cập nhật số liệu.</p>", status=Status.PUBLISHED
    )
    response = reviewer_client.post(change_url(draft), data, follow=True)

    assert response.redirect_chain[-1][0] == change_url(live)
    said = " ".join(messages_of(response))
    assert "Đã xuất bản bản sửa" in said
    assert "Các trang công khai đã được làm mới ngay" in said
    live.refresh_from_db()
    assert live.body == "<p>Đã cập nhật số liệu.</p>"
    assert not Article.objects.filter(pk=draft.pk).exists()


def test_a_scheduled_draft_replaces_the_live_version_at_that_minute(
    client, live, reviewer
):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    draft.body = "<p>Bản hẹn giờ.</p>"
    services.article_save(article=draft, user=reviewer)
    at = whole_second_now() + dt.timedelta(hours=2)

    services.article_publish(article=draft, user=reviewer, at=at)

    draft.refresh_from_db()
    assert draft.replaces_at == at
    assert drafts.next_replacement() == at
    assert "Bản cũ" in client.get(live.get_absolute_url()).content.decode()
    with time_machine.travel(at + dt.timedelta(seconds=5)):
        page = client.get(live.get_absolute_url()).content.decode()
    assert "Bản hẹn giờ." in page
    assert not Article.objects.filter(draft_of=live).exists()
    assert drafts.next_replacement() is None


def test_a_scheduled_draft_whose_live_article_was_taken_down_stays_a_draft(
    client, live, reviewer
):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    at = whole_second_now() + dt.timedelta(hours=1)
    services.article_publish(article=draft, user=reviewer, at=at)
    services.article_unpublish(article=live, user=reviewer)

    with time_machine.travel(at + dt.timedelta(seconds=5)):
        client.get("/")

    draft.refresh_from_db()
    assert draft.replaces_at is None
    assert "không thực hiện được" in draft.review_comment
    assert Article.objects.get(pk=live.pk).status == Status.DRAFT


# --- Bad input: refused in Vietnamese, nothing written -----------------------------


def test_publishing_a_draft_whose_live_article_changed_meanwhile_is_refused(
    live, reviewer
):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    # Changed by another way than the draft (a reviewer's direct save).
    live.title = "Sửa thẳng vào bài"
    services.article_save(article=live, user=reviewer)
    before = Article.objects.get(pk=live.pk)

    with pytest.raises(ValidationError) as error:
        services.article_publish(article=draft, user=reviewer)

    assert "sau khi bản sửa này được tạo" in " ".join(error.value.messages)
    after = Article.objects.get(pk=live.pk)
    assert (after.title, after.body, after.updated_at) == (
        before.title,
        before.body,
        before.updated_at,
    )
    assert Article.objects.filter(pk=draft.pk).exists()


def test_the_admin_form_refuses_publishing_a_draft_of_a_changed_live_article(
    reviewer_client, live, reviewer
):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    Article.objects.filter(pk=live.pk).update(updated_at=whole_second_now())

    response = reviewer_client.post(
        change_url(draft), article_form_data(draft, status=Status.PUBLISHED)
    )

    assert response.status_code == 200
    assert "sau khi bản sửa này được tạo" in response.content.decode()
    assert Article.objects.filter(pk=draft.pk, status=Status.DRAFT).exists()


def test_a_second_draft_of_one_live_article_is_refused(
    writer_client, live, writer, reviewer
):
    first = drafts.article_draft_start(article=live, user=reviewer)
    with pytest.raises(ValidationError) as error:
        drafts.article_draft_start(article=live, user=writer)
    assert "đã có một bản sửa đang làm" in error.value.messages[0]

    data = article_form_data(live, title="Bản sửa thứ hai")
    del data["status"]
    response = writer_client.post(change_url(live), data)
    assert response.status_code == 200
    assert "đã có một bản sửa đang làm" in response.content.decode()
    assert list(Article.objects.filter(draft_of=live)) == [first]


def test_the_database_keeps_one_draft_per_live_article(live, reviewer):
    drafts.article_draft_start(article=live, user=reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="Bản sửa lậu", body="", byline="x", draft_of=live, status="draft"
        )


def test_a_draft_is_never_published_by_itself(live, reviewer):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=draft.pk).update(
            status=Status.PUBLISHED, published_at=whole_second_now()
        )


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING])
def test_no_draft_of_an_unpublished_article(live, reviewer, status):
    Article.objects.filter(pk=live.pk).update(status=status)
    live.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        drafts.article_draft_start(article=live, user=reviewer)
    assert "không còn xuất bản" in error.value.messages[0]
    assert not Article.objects.filter(draft_of=live).exists()


def test_publishing_a_draft_of_an_article_taken_down_meanwhile_is_refused(
    live, reviewer
):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    services.article_unpublish(article=live, user=reviewer)

    with pytest.raises(ValidationError) as error:
        services.article_publish(article=draft, user=reviewer)

    assert "không còn xuất bản" in error.value.messages[0]
    assert Article.objects.get(pk=live.pk).status == Status.DRAFT
    assert Article.objects.filter(pk=draft.pk).exists()


def test_publishing_a_draft_of_an_article_deleted_meanwhile_is_refused(live, reviewer):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    Article.objects.filter(pk=live.pk).delete()

    with pytest.raises(ValidationError) as error:
        services.article_publish(article=draft, user=reviewer)

    assert error.value.messages == [drafts.GONE]
    assert not Article.objects.filter(pk=draft.pk).exists()


def test_no_draft_of_a_deleted_article(live, reviewer):
    Article.objects.filter(pk=live.pk).delete()
    with pytest.raises(ValidationError) as error:
        drafts.article_draft_start(article=live, user=reviewer)
    assert "đã bị xoá" in error.value.messages[0]


# --- Restore -----------------------------------------------------------------------


def test_restoring_a_live_article_creates_a_draft_to_review(live, reviewer):
    first = live.history.last()
    live.body = "<p>Bản hai.</p>"
    services.article_restore_version(
        article=live, version=live.history.first(), user=reviewer, publish_now=True
    )
    Article.objects.filter(pk=live.pk).update(body="<p>Bản hai.</p>")
    live.refresh_from_db()

    draft = services.article_restore_version(article=live, version=first, user=reviewer)

    assert draft.draft_of == live and draft.body == first.body
    assert Article.objects.get(pk=live.pk).body == "<p>Bản hai.</p>"


def test_restore_and_publish_now_writes_the_live_article(reviewer_client, live):
    first = live.history.last()
    Article.objects.filter(pk=live.pk).update(body="<p>Bản hai.</p>")
    url = f"/quan-tri/news/article/{live.pk}/history/{first.history_id}/"

    response = reviewer_client.post(url, {"_restore_publish": "1"}, follow=True)

    assert response.redirect_chain[-1][0] == change_url(live)
    assert Article.objects.get(pk=live.pk).body == first.body
    assert not Article.objects.filter(draft_of=live).exists()


def test_a_writer_cannot_restore_and_publish_now(writer_client, live):
    first = live.history.last()
    Article.objects.filter(pk=live.pk).update(body="<p>Bản hai.</p>")
    url = f"/quan-tri/news/article/{live.pk}/history/{first.history_id}/"
    assert "xuất bản ngay" not in writer_client.get(url).content.decode()

    response = writer_client.post(url, {"_restore_publish": "1"}, follow=True)

    assert "Không khôi phục được" in " ".join(messages_of(response))
    assert Article.objects.get(pk=live.pk).body == "<p>Bản hai.</p>"


def test_a_restore_across_a_slug_change_keeps_the_live_address(reviewer_client, live):
    old = live.history.last()
    Article.objects.filter(pk=live.pk).update(slug="duong-dan-moi")
    url = f"/quan-tri/news/article/{live.pk}/history/{old.history_id}/"
    assert "Đường dẫn giữ nguyên" in reviewer_client.get(url).content.decode()

    response = reviewer_client.post(url, {"_restore": "1"}, follow=True)

    draft = Article.objects.get(draft_of=live)
    assert draft.slug == "duong-dan-moi"
    said = " ".join(messages_of(response))
    assert "Đường dẫn giữ nguyên “duong-dan-moi”" in said
    assert Article.objects.get(pk=live.pk).slug == "duong-dan-moi"


def test_a_restore_while_a_draft_exists_is_refused_and_writes_nothing(
    reviewer_client, live, reviewer
):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    url = f"/quan-tri/news/article/{live.pk}/history/{live.history.last().history_id}/"

    response = reviewer_client.post(url, {"_restore": "1"}, follow=True)

    assert "đã có một bản sửa đang làm" in " ".join(messages_of(response))
    assert list(Article.objects.filter(draft_of=live)) == [draft]


# --- History and the stale-edit guard ---------------------------------------------


def test_history_shows_the_live_version_and_the_working_draft(
    reviewer_client, live, reviewer
):
    draft = drafts.article_draft_start(article=live, user=reviewer)

    html = reviewer_client.get(f"/quan-tri/news/article/{live.pk}/history/").content
    html = html.decode()
    assert "Đang công khai:" in html
    assert "Bản sửa đang làm:" in html and change_url(draft) in html
    draft_history = reviewer_client.get(
        f"/quan-tri/news/article/{draft.pk}/history/"
    ).content.decode()
    assert "Đây là bản sửa" in draft_history


def test_the_stale_edit_guard_covers_the_draft(reviewer_client, live, reviewer):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    opened = article_form_data(draft)
    draft.title = "Sửa ở thẻ khác"
    services.article_save(article=draft, user=reviewer)

    response = reviewer_client.post(change_url(draft), {**opened, "title": "Sửa muộn"})

    assert response.status_code == 200
    assert "sau khi bạn mở trang" in response.content.decode()
    assert Article.objects.get(pk=draft.pk).title == "Sửa ở thẻ khác"


def test_a_draft_links_and_tags_edit_stay_off_the_live_article(live, reviewer):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    draft.tags.set([TagFactory(name="Mới")])
    ArticleLink.objects.filter(from_article=draft).delete()

    assert list(live.tags.values_list("name", flat=True)) == ["Một cửa"]
    assert live.outgoing_links.count() == 1
    assert not Article.objects.published().filter(pk=draft.pk).exists()


# --- Bulk actions ------------------------------------------------------------------


CHANGELIST = "/quan-tri/news/article/"


def test_bulk_publish_of_a_draft_refreshes_the_live_articles_pages(
    reviewer_client, live, reviewer
):
    old_category = live.category
    draft = drafts.article_draft_start(article=live, user=reviewer)
    draft.category = CategoryFactory(name="Chính phủ số")
    draft.body = "<p>Bản sửa hàng loạt.</p>"
    services.article_save(article=draft, user=reviewer)
    other = ArticleFactory(status=Status.PENDING, published_at=None)

    response = reviewer_client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [draft.pk, other.pk]},
        follow=True,
    )

    said = " ".join(messages_of(response))
    assert "Đã xuất bản 2 tin bài" in said
    assert f'href="{live.get_absolute_url()}"' in said
    assert f'href="{old_category.get_absolute_url()}"' in said
    assert 'href="/chuyen-muc/chinh-phu-so/"' in said
    assert Article.objects.get(pk=live.pk).body == "<p>Bản sửa hàng loạt.</p>"
    assert Article.objects.get(pk=other.pk).is_public()


def test_bulk_publish_with_a_draft_over_a_changed_live_article_publishes_none(
    reviewer_client, live, reviewer
):
    draft = drafts.article_draft_start(article=live, user=reviewer)
    Article.objects.filter(pk=live.pk).update(updated_at=whole_second_now())
    other = ArticleFactory(status=Status.PENDING, published_at=None)

    response = reviewer_client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [draft.pk, other.pk]},
        follow=True,
    )

    said = " ".join(messages_of(response))
    assert "Chưa xuất bản bài nào" in said
    assert f"“{draft.title}”" in said and "sau khi bản sửa này được tạo" in said
    assert Article.objects.get(pk=other.pk).status == Status.PENDING
    assert Article.objects.filter(pk=draft.pk).exists()


def test_saving_a_draft_keeps_every_cached_page(
    client, live, reviewer, page_cache_on, settings, committed
):
    settings.PAGE_CACHE_HEADER = True
    url = live.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "MISS"

    draft = committed(lambda: drafts.article_draft_start(article=live, user=reviewer))
    tag = TagFactory(name="Thẻ của bản sửa")
    committed(lambda: draft.tags.set([tag]))
    draft.body = "<p>Bản sửa chưa duyệt.</p>"
    committed(lambda: services.article_save(article=draft, user=reviewer))
    photo = library_image()
    committed(lambda: ArticleGalleryImage.objects.create(article=draft, image=photo))

    assert client.get(url)["X-Page-Cache"] == "HIT"
    committed(lambda: services.article_publish(article=draft, user=reviewer))
    after = client.get(url)
    assert after["X-Page-Cache"] == "MISS"
    assert "Bản sửa chưa duyệt." in after.content.decode()


def test_the_live_article_form_points_to_its_working_draft_and_back(
    reviewer_client, live, reviewer
):
    draft = drafts.article_draft_start(article=live, user=reviewer)

    live_form = reviewer_client.get(change_url(live)).content.decode()
    draft_form = reviewer_client.get(change_url(draft)).content.decode()

    assert "Bài có bản sửa đang làm" in live_form
    assert f'href="{change_url(draft)}"' in live_form
    assert "Bản sửa của bài đang công khai" in draft_form
    assert f'href="{change_url(live)}"' in draft_form
    assert "thay bản công khai ngay khi xuất bản" in draft_form


def test_the_gallery_goes_live_with_the_draft_and_stays_when_a_draft_leaves_it_alone(
    live, reviewer
):
    first, second = library_image(), library_image()
    ArticleGalleryImage.objects.create(article=live, image=first, position=1)
    untouched = drafts.article_draft_start(article=live, user=reviewer)
    assert [i.image for i in untouched.gallery_items.all()] == [first]
    drafts.article_draft_publish(draft=untouched, user=reviewer)
    assert [i.image for i in live.gallery_items.all()] == [first]

    edited = drafts.article_draft_start(
        article=live, user=reviewer, gallery=[second, first]
    )
    assert [i.image for i in live.gallery_items.all()] == [first]
    drafts.article_draft_publish(draft=edited, user=reviewer)
    assert [i.image for i in live.gallery_items.all()] == [second, first]
