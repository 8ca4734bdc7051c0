"""Role boundaries, proven through the admin views with the requests a browser sends."""

import datetime as dt
import unicodedata

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news import admin as news_admin
from news import services
from news.models import Article, Tag
from tests.factories import (
    ArticleFactory,
    ArticleLinkFactory,
    CategoryFactory,
    ReviewerFactory,
    TagFactory,
    UnitFactory,
    UserFactory,
    WriterFactory,
)
from tests.news.admin_forms import (
    ADD_URL,
    CHANGELIST_URL,
    article_form_data,
    change_url,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


def pending(**kwargs):
    return ArticleFactory(status=Status.PENDING, published_at=None, **kwargs)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Biên tập viên ---------------------------------------------------------------


def test_writer_writes_a_draft_in_the_admin(writer_client, writer, category):
    response = writer_client.post(
        ADD_URL,
        article_form_data(title="Bài của biên tập viên", category=category.pk),
        follow=True,
    )

    assert response.status_code == 200
    article = Article.objects.get(title="Bài của biên tập viên")
    assert article.status == Status.DRAFT
    assert article.history.first().history_user == writer


def test_writer_may_save_a_draft_without_category(writer_client):
    writer_client.post(ADD_URL, article_form_data(title="Nháp chưa phân loại"))
    assert Article.objects.get(title="Nháp chưa phân loại").category is None


def test_writer_is_offered_only_draft_and_pending(writer_client):
    html = writer_client.get(ADD_URL).content.decode()
    assert '<option value="pending">Chờ duyệt</option>' in html
    assert 'value="published"' not in html


def test_writer_posting_published_on_a_new_article_is_refused(writer_client, category):
    response = writer_client.post(
        ADD_URL,
        article_form_data(
            title="Bài tự xuất bản", category=category.pk, status=Status.PUBLISHED
        ),
    )

    assert response.status_code == 200
    assert "Bạn không có quyền chuyển bài sang trạng thái này" in (
        response.content.decode()
    )
    assert not Article.objects.filter(title="Bài tự xuất bản").exists()


def test_writer_posting_published_on_a_pending_article_is_refused(
    writer_client, writer
):
    article = pending(created_by=writer, title="Bài chờ duyệt")

    response = writer_client.post(
        change_url(article), article_form_data(article, status=Status.PUBLISHED)
    )

    assert response.status_code == 200
    assert "Bạn không có quyền chuyển bài sang trạng thái này" in (
        response.content.decode()
    )
    article.refresh_from_db()
    assert article.status == Status.PENDING
    assert not article.is_public()


def test_writer_cannot_schedule_or_feature_through_a_forged_post(writer_client, writer):
    article = ArticleFactory(created_by=writer, status=Status.DRAFT, published_at=None)
    future = timezone.now() + dt.timedelta(days=1)

    response = writer_client.post(
        change_url(article),
        article_form_data(article, published_at=future, featured="on"),
    )

    assert response.status_code == 302  # saved, without the forged fields
    article.refresh_from_db()
    assert article.published_at is None
    assert article.featured is False


def test_writer_submits_for_review(writer_client, category, writer):
    article = ArticleFactory(
        created_by=writer, status=Status.DRAFT, published_at=None, category=category
    )

    response = writer_client.post(
        change_url(article),
        article_form_data(article, status=Status.PENDING),
        follow=True,
    )

    article.refresh_from_db()
    assert article.status == Status.PENDING
    assert any("Đã gửi bài để duyệt" in text for text in messages_of(response))


def test_writer_edits_a_published_article_as_a_draft_the_live_one_unchanged(
    writer_client, writer, article
):
    page = writer_client.get(change_url(article))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="title"' in html and 'name="status"' not in html
    assert "sửa rồi bấm Lưu để tạo bản sửa" in html

    data = article_form_data(article, title="Sửa qua bản sửa")
    del data["status"]
    response = writer_client.post(change_url(article), data)

    draft = Article.objects.get(draft_of=article)
    assert response.status_code == 302 and response.url == change_url(draft)
    assert (draft.title, draft.created_by, draft.status) == (
        "Sửa qua bản sửa",
        writer,
        Status.DRAFT,
    )
    article.refresh_from_db()
    assert article.title == "Đẩy mạnh cải cách hành chính"


def test_writer_posting_draft_on_a_published_article_does_not_take_it_down(
    writer_client, article
):
    writer_client.post(
        change_url(article), article_form_data(article, status=Status.DRAFT)
    )
    assert Article.objects.get(pk=article.pk).is_public()


def test_writer_cannot_delete(writer_client, writer):
    article = ArticleFactory(created_by=writer, status=Status.DRAFT, published_at=None)
    delete_url = f"/quan-tri/news/article/{article.pk}/delete/"

    assert writer_client.get(delete_url).status_code == 403
    assert writer_client.post(delete_url, {"post": "yes"}).status_code == 403
    response = writer_client.post(
        CHANGELIST_URL,
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Article.objects.filter(pk=article.pk).exists()


def test_writer_has_no_publish_actions_and_forged_ones_do_nothing(
    writer_client, writer
):
    waiting = pending(created_by=writer, title="Chưa duyệt")
    online = ArticleFactory(created_by=writer, title="Đang công khai")
    html = writer_client.get(CHANGELIST_URL).content.decode()
    assert "publish_selected" not in html and "delete_selected" not in html

    for action in ("publish_selected", "unpublish_selected"):
        writer_client.post(
            CHANGELIST_URL,
            {"action": action, "_selected_action": [waiting.pk, online.pk]},
        )

    assert Article.objects.get(pk=waiting.pk).status == Status.PENDING
    assert Article.objects.get(pk=online.pk).is_public()


def test_writer_adds_tags_but_cannot_change_categories_or_glossary(
    writer_client, category
):
    writer_client.post("/quan-tri/news/tag/add/", {"name": "Thẻ mới", "slug": ""})
    assert Tag.objects.filter(name="Thẻ mới").exists()
    response = writer_client.post(
        f"/quan-tri/news/category/{category.pk}/change/",
        {"name": "Đổi tên", "slug": category.slug, "order": 1},
    )
    assert response.status_code == 403
    assert writer_client.get("/quan-tri/news/glossaryterm/add/").status_code == 403


def test_writer_cannot_return_a_pending_article_to_draft(writer_client, writer):
    article = pending(created_by=writer)
    response = writer_client.post(
        change_url(article),
        article_form_data(article, status=Status.DRAFT, review_comment="Tự rút."),
    )
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).status == Status.PENDING


def test_staff_without_a_role_cannot_open_the_articles(client):
    client.force_login(UserFactory())
    assert client.get(CHANGELIST_URL).status_code == 403
    assert client.post(ADD_URL, article_form_data()).status_code == 403


# --- Duyệt bài -------------------------------------------------------------------


def test_reviewer_publishes_and_is_told_which_pages_were_refreshed(
    reviewer_client, category
):
    tag = TagFactory(name="Một cửa")
    article = pending(title="Tin được duyệt", category=category, tags=[tag])

    response = reviewer_client.post(
        change_url(article),
        article_form_data(article, status=Status.PUBLISHED),
        follow=True,
    )

    article.refresh_from_db()
    assert article.is_public()
    refreshed = next(m for m in messages_of(response) if "làm mới" in m)
    for url in (
        article.get_absolute_url(),
        "/",
        "/tin-tuc/",
        category.get_absolute_url(),
        tag.get_absolute_url(),
    ):
        assert f'href="{url}"' in refreshed


def test_reviewer_schedules_with_a_future_time(reviewer_client, category):
    article = pending(title="Tin hẹn giờ", category=category)
    later = timezone.now() + dt.timedelta(days=1)

    response = reviewer_client.post(
        change_url(article),
        article_form_data(article, status=Status.PUBLISHED, published_at=later),
        follow=True,
    )

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and not article.is_public()
    assert any("hẹn giờ" in text for text in messages_of(response))
    assert reviewer_client.get(article.get_absolute_url()).status_code == 404


def test_publishing_without_category_shows_the_blocker_in_the_form(reviewer_client):
    article = pending(title="Thiếu chuyên mục", category=None)

    page = reviewer_client.get(change_url(article)).content.decode()
    assert "Phải sửa trước khi xuất bản" in page and "Chưa chọn chuyên mục" in page
    response = reviewer_client.post(
        change_url(article), article_form_data(article, status=Status.PUBLISHED)
    )

    assert response.status_code == 200
    assert "Chọn chuyên mục trước khi xuất bản." in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Status.PENDING


def test_change_form_lists_warnings_for_the_reviewer(reviewer_client, category):
    article = pending(category=category, sapo="")
    html = reviewer_client.get(change_url(article)).content.decode()
    assert "Lưu ý:" in html
    assert "Sapo đang trống" in html
    assert "Chưa chọn “Tin liên quan”" in html
    ArticleLinkFactory(from_article=article)
    article.sapo = "Tóm tắt."
    article.save()
    html = reviewer_client.get(change_url(article)).content.decode()
    assert "bài sẵn sàng để xuất bản" in html


def test_return_to_writer_requires_a_comment_then_shows_it_to_the_writer(
    reviewer_client, reviewer, client, writer
):
    article = pending(created_by=writer, title="Cần sửa")
    refused = reviewer_client.post(
        change_url(article), article_form_data(article, status=Status.DRAFT)
    )
    assert refused.status_code == 200
    assert "Hãy ghi nhận xét cho người viết" in refused.content.decode()

    reviewer_client.post(
        change_url(article),
        article_form_data(
            article, status=Status.DRAFT, review_comment="Thêm nguồn số liệu."
        ),
    )

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    client.force_login(writer)
    html = client.get(change_url(article)).content.decode()
    assert "Nhận xét của người duyệt (Trần Minh Đức)" in html
    assert "Thêm nguồn số liệu." in html


def test_reviewer_unpublishes_and_the_article_leaves_the_site(reviewer_client, article):
    url = article.get_absolute_url()
    response = reviewer_client.post(
        change_url(article),
        article_form_data(article, status=Status.DRAFT),
        follow=True,
    )
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    assert any("làm mới" in text for text in messages_of(response))
    reviewer_client.logout()
    assert reviewer_client.get(url).status_code == 404


def publish_through_draft(client, article, **changes):
    """Edit a live article in the admin (a draft), then publish the draft."""
    client.post(change_url(article), article_form_data(article, **changes))
    draft = Article.objects.get(draft_of=article)
    return client.post(
        change_url(draft),
        article_form_data(draft, status=Status.PUBLISHED),
        follow=True,
    )


def test_editing_a_published_article_keeps_it_online(reviewer_client, article):
    published_at = article.published_at.replace(microsecond=0)

    reviewer_client.post(
        change_url(article), article_form_data(article, title="Tiêu đề đã sửa")
    )
    article.refresh_from_db()
    assert article.title == "Đẩy mạnh cải cách hành chính"
    draft = Article.objects.get(draft_of=article)
    reviewer_client.post(
        change_url(draft),
        article_form_data(draft, status=Status.PUBLISHED),
    )

    article.refresh_from_db()
    assert article.title == "Tiêu đề đã sửa"
    assert article.is_public()
    assert article.published_at == published_at


@pytest.mark.parametrize(
    ("field", "delta", "message"),
    [
        ("published_at", dt.timedelta(days=1), "dời thời điểm xuất bản"),
        ("expires_at", -dt.timedelta(minutes=1), "Thời điểm hết hạn đã qua"),
    ],
)
def test_an_edit_that_would_hide_a_public_article_is_refused(
    reviewer_client, article, field, delta, message
):
    response = reviewer_client.post(
        change_url(article),
        article_form_data(article, **{field: timezone.now() + delta}),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Article.objects.get(pk=article.pk).is_public()


def test_reviewer_deletes_after_the_confirmation_page(reviewer_client, article):
    delete_url = f"/quan-tri/news/article/{article.pk}/delete/"
    confirmation = reviewer_client.get(delete_url)
    assert confirmation.status_code == 200
    assert Article.objects.filter(pk=article.pk).exists()

    reviewer_client.post(delete_url, {"post": "yes"})

    assert not Article.objects.filter(pk=article.pk).exists()


def test_bulk_publish_is_all_or_nothing_in_the_admin(reviewer_client, category):
    ready = pending(title="Sẵn sàng", category=category)
    broken = pending(title="Không có chuyên mục", category=None)

    response = reviewer_client.post(
        CHANGELIST_URL,
        {"action": "publish_selected", "_selected_action": [ready.pk, broken.pk]},
        follow=True,
    )

    text = " ".join(messages_of(response))
    assert "Chưa xuất bản bài nào" in text and "Không có chuyên mục" in text
    assert Article.objects.get(pk=ready.pk).status == Status.PENDING

    response = reviewer_client.post(
        CHANGELIST_URL,
        {"action": "publish_selected", "_selected_action": [ready.pk]},
        follow=True,
    )
    assert Article.objects.get(pk=ready.pk).is_public()
    assert any("Đã xuất bản 1 tin bài" in text for text in messages_of(response))


def test_bulk_unpublish_in_the_admin(reviewer_client, category):
    one = ArticleFactory(category=category)
    two = ArticleFactory(category=category)
    reviewer_client.post(
        CHANGELIST_URL,
        {"action": "unpublish_selected", "_selected_action": [one.pk, two.pk]},
    )
    assert not Article.objects.published().filter(pk__in=[one.pk, two.pk]).exists()


def test_bulk_unpublish_says_how_many_were_taken_down(reviewer_client, category):
    online = [ArticleFactory(category=category) for _ in range(2)]
    waiting = pending(category=category)
    response = reviewer_client.post(
        CHANGELIST_URL,
        {
            "action": "unpublish_selected",
            "_selected_action": [a.pk for a in [*online, waiting]],
        },
        follow=True,
    )
    assert "Đã gỡ 2 tin bài." in messages_of(response)
    assert Article.objects.get(pk=waiting.pk).status == Status.PENDING


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("publish_selected", Status.PUBLISHED, "Các tin bài đã chọn đều đã xuất bản."),
        (
            "unpublish_selected",
            Status.DRAFT,
            "Không có tin bài nào đang xuất bản để gỡ.",
        ),
    ],
)
def test_bulk_actions_with_nothing_to_change_say_so(
    reviewer_client, category, action, status, message
):
    article = ArticleFactory(category=category, status=status)
    before = article.history.count()
    response = reviewer_client.post(
        CHANGELIST_URL,
        {"action": action, "_selected_action": [article.pk]},
        follow=True,
    )
    assert messages_of(response) == [message]
    assert article.history.count() == before


def test_bulk_unpublish_refused_by_the_service_changes_nothing_and_says_why(
    reviewer_client, category, monkeypatch
):
    def refuse(*, articles, user):
        raise PermissionDenied("Bạn không có quyền gỡ tin bài.")

    monkeypatch.setattr(services, "articles_unpublish", refuse)
    article = ArticleFactory(category=category)
    response = reviewer_client.post(
        CHANGELIST_URL,
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
        follow=True,
    )
    assert messages_of(response) == ["Chưa gỡ bài nào: Bạn không có quyền gỡ tin bài."]
    assert Article.objects.get(pk=article.pk).is_public()


@pytest.mark.parametrize(
    ("action", "status"),
    [("publish_selected", Status.PENDING), ("unpublish_selected", Status.PUBLISHED)],
)
def test_bulk_actions_name_the_refreshed_pages_without_a_query_per_article(
    reviewer_client, monkeypatch, action, status
):
    section = CategoryFactory(name="Chuyên mục con", parent=CategoryFactory())
    articles = [
        ArticleFactory(
            status=status,
            published_at=None if status == Status.PENDING else timezone.now(),
            category=section,
            tags=[TagFactory(name=f"Thẻ {number}")],
        )
        for number in range(6)
    ]
    for article in articles:
        article.units.add(UnitFactory())
    queries = []
    listed = news_admin.public_page_list

    def counted(*, article):
        with CaptureQueriesContext(connection) as captured:
            pages = listed(article=article)
        queries.extend(captured.captured_queries)
        return pages

    monkeypatch.setattr(news_admin, "public_page_list", counted)

    response = reviewer_client.post(
        CHANGELIST_URL,
        {"action": action, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )

    text = " ".join(messages_of(response))
    assert "Các trang công khai đã được làm mới ngay" in text
    assert all(f"Thẻ {number}" in text for number in range(6))
    assert "Chuyên mục con" in text
    assert [query["sql"] for query in queries] == []


def test_superuser_publishes_from_the_add_form(admin_client, category):
    admin_client.post(
        ADD_URL,
        article_form_data(
            title="Tin của quản trị", category=category.pk, status=Status.PUBLISHED
        ),
    )
    assert Article.objects.get(title="Tin của quản trị").is_public()


def test_decomposed_vietnamese_is_normalised_on_save_and_the_editor_told(
    reviewer_client, category
):
    body = unicodedata.normalize("NFD", "<p>Điện Biên đẩy mạnh cải cách</p>")
    title = unicodedata.normalize("NFD", "Điện Biên")

    response = reviewer_client.post(
        ADD_URL,
        article_form_data(title=title, body=body, category=category.pk),
        follow=True,
    )

    article = Article.objects.get(slug="dien-bien")
    assert article.title == "Điện Biên"
    assert article.body == unicodedata.normalize("NFC", body)
    assert any("Unicode dựng sẵn (NFC)" in text for text in messages_of(response))


# --- Two editors at once ----------------------------------------------------------


def test_a_stale_form_is_refused_and_names_the_other_editor(client, writer, category):
    # A writer's colleague with the right to change the draft: a reviewer.
    colleague = ReviewerFactory(first_name="Lê Văn Bình")
    article = ArticleFactory(
        title="Bài chung",
        status=Status.DRAFT,
        published_at=None,
        category=category,
        created_by=writer,
    )
    my_form = article_form_data(article, sapo="Sapo của tôi.")

    client.force_login(colleague)
    client.post(change_url(article), article_form_data(article, sapo="Sapo của Bình."))
    client.force_login(writer)
    response = client.post(change_url(article), my_form)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Bài này đã được Lê Văn Bình lưu lúc" in html
    assert "chưa được lưu để không ghi đè" in html
    assert Article.objects.get(pk=article.pk).sapo == "Sapo của Bình."


def test_a_stale_form_from_another_tab_of_the_same_editor_is_refused(
    writer_client, category, writer
):
    article = ArticleFactory(
        created_by=writer, status=Status.DRAFT, published_at=None, category=category
    )
    old_tab = article_form_data(article, title="Tab cũ")
    writer_client.post(change_url(article), article_form_data(article, title="Tab mới"))

    response = writer_client.post(change_url(article), old_tab)

    assert "chính bạn (ở một cửa sổ hoặc thẻ khác)" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Tab mới"


def test_a_form_without_its_version_token_is_refused(reviewer_client, article):
    response = reviewer_client.post(
        change_url(article),
        article_form_data(article, title="Không mã", edit_token=None),
    )
    assert response.status_code == 200
    assert "chưa được lưu để không ghi đè" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title != "Không mã"


def test_the_change_form_carries_the_version_token(reviewer_client, article):
    html = reviewer_client.get(change_url(article)).content.decode()
    token = article.updated_at.isoformat()
    assert f'<input type="hidden" name="edit_token" value="{token}"' in html


def test_a_fresh_form_after_reload_saves(client, writer, category):
    article = ArticleFactory(
        created_by=writer, status=Status.DRAFT, published_at=None, category=category
    )
    client.force_login(writer)
    client.post(change_url(article), article_form_data(article, sapo="Lần một."))
    article.refresh_from_db()
    client.post(change_url(article), article_form_data(article, sapo="Lần hai."))
    assert Article.objects.get(pk=article.pk).sapo == "Lần hai."


def test_scheduled_through_the_admin_appears_then_expires_by_itself(
    reviewer_client, client, category
):
    start = timezone.now()
    article = pending(title="Tin hẹn giờ qua quản trị", category=category)
    reviewer_client.post(
        change_url(article),
        article_form_data(
            article,
            status=Status.PUBLISHED,
            published_at=start + dt.timedelta(hours=2),
            expires_at=start + dt.timedelta(days=1),
        ),
    )
    reviewer_client.logout()
    url = Article.objects.get(pk=article.pk).get_absolute_url()

    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        assert client.get(url).status_code == 404
        assert "Tin hẹn giờ qua quản trị" not in client.get("/").content.decode()
    with time_machine.travel(start + dt.timedelta(hours=2, minutes=1), tick=False):
        assert client.get(url).status_code == 200
        assert "Tin hẹn giờ qua quản trị" in client.get("/").content.decode()
    with time_machine.travel(start + dt.timedelta(days=1, minutes=1), tick=False):
        assert client.get(url).status_code == 404


def test_view_on_site_links_only_articles_readers_can_see(reviewer_client, article):
    draft = pending()
    draft_page = reviewer_client.get(change_url(draft)).content.decode()
    assert f'href="{draft.get_preview_url()}"' in draft_page
    assert 'class="viewsitelink"' not in draft_page  # would answer 404
    public_page = reviewer_client.get(change_url(article)).content.decode()
    assert (
        f'<a href="{article.get_absolute_url()}" class="viewsitelink">' in public_page
    )


def test_moving_a_published_article_names_the_old_category_page_too(
    reviewer_client, article
):
    old_category = article.category
    new_category = CategoryFactory(name="Chính phủ số")

    response = publish_through_draft(reviewer_client, article, category=new_category.pk)

    refreshed = next(m for m in messages_of(response) if "làm mới" in m)
    assert f'href="{new_category.get_absolute_url()}"' in refreshed
    assert f'href="{old_category.get_absolute_url()}"' in refreshed


# --- Whose drafts -------------------------------------------------------------------


def test_a_writer_lists_and_edits_only_their_own_drafts(writer_client, writer):
    colleague = WriterFactory(first_name="Lê Văn Bình")
    mine = ArticleFactory(
        created_by=writer, title="Nháp của tôi", status=Status.DRAFT, published_at=None
    )
    theirs = pending(created_by=colleague, title="Bài của đồng nghiệp")
    online = ArticleFactory(created_by=colleague, title="Bài đã đăng")

    listing = writer_client.get(CHANGELIST_URL).content.decode()
    assert mine.title in listing and online.title in listing
    assert theirs.title not in listing
    assert writer_client.get(change_url(mine)).status_code == 200

    # Neither the page nor a forged save reaches a colleague's draft.
    page = writer_client.get(change_url(theirs), follow=True)
    assert theirs.title not in page.content.decode()
    writer_client.post(change_url(theirs), article_form_data(theirs, title="Sửa trộm"))
    assert Article.objects.get(pk=theirs.pk).title == "Bài của đồng nghiệp"
    with pytest.raises(PermissionDenied, match="biên tập viên khác"):
        services.article_save(article=theirs, user=writer)


def test_reviewers_edit_every_writers_article(reviewer_client, writer):
    article = pending(created_by=writer, title="Bài chờ duyệt")
    response = reviewer_client.post(
        change_url(article), article_form_data(article, sapo="Sapo đã sửa.")
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).sapo == "Sapo đã sửa."


def test_a_new_article_records_its_writer(writer_client, writer, category):
    writer_client.post(ADD_URL, article_form_data(title="Bài mới của tôi"))
    assert Article.objects.get(title="Bài mới của tôi").created_by == writer
