"""Article history: every save recorded (who, when, which fields), diff, restore."""

import pytest
from django.contrib.auth.models import Permission

from news import services
from news.models import Article, ArticleLink
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    TagFactory,
    UnitFactory,
    UserFactory,
    WriterFactory,
)
from tests.news.admin_forms import article_form_data, change_url

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def article(category):
    """An article waiting for review: reviewers' saves write it in place (the
    edit of a published one becomes a working draft, tests/news/test_drafts.py)."""
    return ArticleFactory(
        title="Đẩy mạnh cải cách hành chính",
        category=category,
        status=Status.PENDING,
        published_at=None,
    )


def history_url(article):
    return f"/quan-tri/news/article/{article.pk}/history/"


def version_url(article, version):
    return f"/quan-tri/news/article/{article.pk}/history/{version.history_id}/"


def with_link(data, target, position=1):
    return {
        **data,
        "outgoing_links-TOTAL_FORMS": "1",
        "outgoing_links-0-position": str(position),
        "outgoing_links-0-to_article": target.pk,
    }


def test_an_admin_save_is_one_version_with_its_tags_and_links(
    reviewer_client, reviewer, article
):
    tag = TagFactory(name="Chuyển đổi số")
    target = ArticleFactory(title="Bài được liên kết")
    before = article.history.count()

    reviewer_client.post(
        change_url(article),
        with_link(
            article_form_data(article, title="Tiêu đề mới", tags=[tag.pk]), target
        ),
    )

    assert article.history.count() == before + 1
    version = article.history.first()
    assert version.title == "Tiêu đề mới"
    assert version.history_user == reviewer
    assert version.history_change_reason == services.REASON_EDITED
    assert list(version.tags.values_list("tag_id", flat=True)) == [tag.pk]
    assert list(version.related.values_list("to_article_id", flat=True)) == [target.pk]
    history_page = reviewer_client.get(history_url(article)).content.decode()
    assert "Tiêu đề, Thẻ, Tin liên quan" in history_page


def test_a_new_article_starts_its_history_as_created(reviewer_client, category):
    reviewer_client.post(
        "/quan-tri/news/article/add/",
        article_form_data(title="Bài mới", category=category.pk),
    )
    article = Article.objects.get(title="Bài mới")
    versions = list(article.history.all())
    assert [(v.history_type, v.history_change_reason) for v in versions] == [
        ("+", services.REASON_CREATED)
    ]


def test_history_page_shows_who_when_which_step_and_which_fields(
    reviewer_client, article
):
    tag = TagFactory(name="Một cửa")
    reviewer_client.post(
        change_url(article),
        article_form_data(article, sapo="Sapo mới.", tags=[tag.pk]),
    )

    response = reviewer_client.get(history_url(article))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Lịch sử thay đổi" in html
    assert "Trần Minh Đức" in html
    assert services.REASON_EDITED in html
    assert "Sapo, Thẻ" in html


def test_version_page_shows_the_differences_with_the_current_article(
    reviewer_client, article
):
    reviewer_client.post(
        change_url(article),
        article_form_data(
            article,
            title="Tiêu đề sau khi sửa",
            body="<p>Đoạn một.</p><p>Đoạn hai mới.</p>",
        ),
    )
    old = article.history.order_by("history_date").first()

    response = reviewer_client.get(version_url(article, old))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Khác biệt giữa phiên bản này và bài hiện tại" in html
    assert "Đẩy mạnh cải cách hành chính" in html  # the version's title
    assert "Tiêu đề sau khi sửa" in html  # the current title
    assert "Chỉ có ở bài hiện tại:</span> Đoạn hai mới." in html
    assert "Chỉ có ở phiên bản này:</span> Nội dung bài viết." in html
    assert 'name="_restore"' in html


def test_restore_brings_back_content_tags_and_links_and_keeps_the_status(
    reviewer_client, article
):
    tag = TagFactory(name="Thẻ cũ")
    target = ArticleFactory(title="Liên kết cũ")
    reviewer_client.post(
        change_url(article),
        with_link(article_form_data(article, tags=[tag.pk]), target),
    )
    article.refresh_from_db()
    good = article.history.first()
    link = ArticleLink.objects.get(from_article=article)
    data = article_form_data(
        article, title="Bản sửa hỏng", body="<p>Sai.</p>", tags=None
    )
    data.update(
        {
            "outgoing_links-TOTAL_FORMS": "1",
            "outgoing_links-INITIAL_FORMS": "1",
            "outgoing_links-0-id": link.pk,
            "outgoing_links-0-from_article": article.pk,
            "outgoing_links-0-position": "1",
            "outgoing_links-0-to_article": target.pk,
            "outgoing_links-0-DELETE": "on",
        }
    )
    reviewer_client.post(change_url(article), data)
    article.refresh_from_db()
    assert article.title == "Bản sửa hỏng" and not article.tags.exists()
    assert not ArticleLink.objects.filter(from_article=article).exists()

    response = reviewer_client.post(
        version_url(article, good), {"_restore": "1"}, follow=True
    )

    article.refresh_from_db()
    assert article.title == "Đẩy mạnh cải cách hành chính"
    assert article.body == "<p>Nội dung bài viết.</p>"
    assert list(article.tags.all()) == [tag]
    assert [
        link.to_article for link in ArticleLink.objects.filter(from_article=article)
    ] == [target]
    assert article.status == Status.PENDING
    latest = article.history.first()
    assert latest.history_change_reason.startswith(services.REASON_RESTORED)
    assert list(latest.tags.values_list("tag_id", flat=True)) == [tag.pk]
    messages = [str(m) for m in response.context["messages"]]
    assert any("Đã khôi phục nội dung phiên bản" in m for m in messages)


def test_restore_keeps_the_current_status(reviewer, category):
    article = ArticleFactory(status=Status.DRAFT, published_at=None, category=category)
    first = article.history.first()
    services.article_publish(article=article, user=reviewer)
    article.title = "Đổi tên"
    services.article_save(article=article, user=reviewer)

    services.article_restore_version(
        article=article, version=first, user=reviewer, publish_now=True
    )

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.title == first.title


def test_writer_restores_a_published_article_only_as_a_draft(
    client, reviewer, category
):
    article = ArticleFactory(title="Tên đầu", category=category)
    version = article.history.first()
    article.title = "Tên sau"
    services.article_save(article=article, user=reviewer)
    client.force_login(WriterFactory())

    assert client.get(history_url(article)).status_code == 200
    page = client.get(version_url(article, version)).content.decode()
    assert 'name="_restore"' in page and 'name="_restore_publish"' not in page
    client.post(version_url(article, version), {"_restore": "1"})

    assert Article.objects.get(pk=article.pk).title == "Tên sau"
    assert Article.objects.get(draft_of=article).title == "Tên đầu"


def test_view_only_account_is_told_it_cannot_edit_not_that_reviewers_restore(
    client, category, reviewer
):
    article = ArticleFactory(
        title="Tên đầu", status=Status.DRAFT, published_at=None, category=category
    )
    first = article.history.first()
    article.title = "Tên sau"
    services.article_save(article=article, user=reviewer)
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)

    html = client.get(version_url(article, first)).content.decode()

    assert 'name="_restore"' not in html
    assert "tài khoản của bạn không có quyền sửa tin bài" in html
    assert "người duyệt bài" not in html


def test_no_restore_button_when_only_fields_a_restore_keeps_differ(
    reviewer_client, reviewer, category
):
    article = ArticleFactory(status=Status.DRAFT, published_at=None, category=category)
    draft = article.history.first()
    services.article_publish(article=article, user=reviewer)

    html = reviewer_client.get(version_url(article, draft)).content.decode()

    assert "Trạng thái" in html and "Thời điểm xuất bản" in html  # the differences
    assert 'name="_restore"' not in html
    assert "Không có gì để khôi phục" in html

    article.title = "Tên sau khi xuất bản"
    services.article_save(article=article, user=reviewer)
    html = reviewer_client.get(version_url(article, draft)).content.decode()
    assert 'name="_restore"' in html
    assert "Không có gì để khôi phục" not in html


def test_writer_restores_a_version_of_a_draft(client, category):
    writer = WriterFactory()
    article = ArticleFactory(
        title="Tên đầu",
        status=Status.DRAFT,
        published_at=None,
        category=category,
        created_by=writer,
    )
    first = article.history.first()
    article.title = "Tên sau"
    services.article_save(article=article, user=writer)
    client.force_login(writer)

    client.post(version_url(article, first), {"_restore": "1"})

    article.refresh_from_db()
    assert article.title == "Tên đầu"
    assert article.history.first().history_user == writer


def test_restore_is_refused_when_the_versions_category_is_gone(
    reviewer_client, reviewer
):
    old_category, new_category = CategoryFactory(), CategoryFactory()
    article = ArticleFactory(title="Bài chuyển mục", category=old_category)
    first = article.history.first()
    article.category = new_category
    services.article_save(article=article, user=reviewer)
    old_category.delete()

    response = reviewer_client.post(
        version_url(article, first), {"_restore": "1"}, follow=True
    )

    messages = [str(m) for m in response.context["messages"]]
    assert any("Không khôi phục được" in m for m in messages)
    article.refresh_from_db()
    assert article.category == new_category


def test_a_version_of_another_article_is_404(reviewer_client, article):
    other = ArticleFactory()
    response = reviewer_client.get(version_url(article, other.history.first()))
    assert response.status_code == 404


def test_history_page_queries_do_not_grow_with_versions(
    reviewer_client, reviewer, article, django_assert_max_num_queries
):
    tag = TagFactory()
    for number in range(30):
        article.title = f"Lần sửa {number}"
        services.article_save(article=article, user=reviewer)
        if number % 3 == 0:
            article.tags.add(tag)
    with django_assert_max_num_queries(12):
        response = reviewer_client.get(history_url(article))
    assert response.status_code == 200
    assert "Trang 1/2" in response.content.decode()


def test_deleting_an_article_is_recorded_with_who_did_it(
    reviewer_client, reviewer, article
):
    reviewer_client.post(
        f"/quan-tri/news/article/{article.pk}/delete/", {"post": "yes"}
    )
    deleted = Article.history.filter(id=article.pk, history_type="-").get()
    assert deleted.history_user == reviewer


def test_units_are_part_of_each_version_and_of_a_restore(reviewer_client, article):
    first, second = (
        UnitFactory(name="Tỉnh Điện Biên"),
        UnitFactory(name="Tỉnh Lai Châu"),
    )
    reviewer_client.post(
        change_url(article), article_form_data(article, units=[first.pk])
    )
    article.refresh_from_db()
    with_first = article.history.first()
    assert list(with_first.units.values_list("unit_id", flat=True)) == [first.pk]

    reviewer_client.post(
        change_url(article), article_form_data(article, units=[second.pk])
    )
    history_page = reviewer_client.get(history_url(article)).content.decode()
    assert "Đơn vị liên quan" in history_page
    differences = reviewer_client.get(version_url(article, with_first)).content.decode()
    assert "Tỉnh Điện Biên" in differences and "Tỉnh Lai Châu" in differences

    reviewer_client.post(version_url(article, with_first), {"_restore": "1"})
    assert list(article.units.all()) == [first]


def test_tags_added_from_the_tag_side_record_a_version_of_the_article(article):
    tag = TagFactory(name="Một cửa liên thông")
    before = article.history.count()
    tag.articles.add(article)
    assert article.history.count() == before + 1
    assert list(article.history.first().tags.values_list("tag_id", flat=True)) == [
        tag.pk
    ]


def test_an_edited_paragraph_is_compared_word_by_word_without_raw_entities(
    reviewer_client, article
):
    article.body = (
        "<p>·&nbsp;&nbsp;&nbsp;Tỉnh rút ngắn thời gian giải quyết hồ sơ "
        "xuống còn ba ngày làm việc.</p><p>Đoạn không đổi.</p>"
    )
    article.save()
    reviewer_client.post(
        change_url(article),
        article_form_data(
            article,
            body="<p>·&nbsp;&nbsp;&nbsp;Tỉnh rút ngắn thời gian giải quyết hồ sơ "
            "xuống còn hai ngày làm việc.</p><p>Đoạn không đổi.</p>",
        ),
    )
    old = article.history.order_by("-history_date")[1]

    html = reviewer_client.get(version_url(article, old)).content.decode()

    assert "&amp;nbsp;" not in html and "&nbsp;" not in html
    assert "Đoạn đã sửa:" in html
    assert '<del><span class="visually-hidden">[bỏ: </span>ba' in html
    assert '<ins><span class="visually-hidden">[thêm: </span>hai' in html
    assert "Đoạn không đổi." not in html  # unchanged blocks are not listed
