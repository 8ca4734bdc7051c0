"""Workflow services: who may move an article where, and when it shows."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from news import permissions, services, workflow
from news.models import Article
from news.workflow import TRANSITIONS, Step
from tests.factories import (
    ArticleFactory,
    ArticleLinkFactory,
    CategoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


def draft(**kwargs):
    return ArticleFactory(status=Status.DRAFT, published_at=None, **kwargs)


def public_titles():
    return set(Article.objects.published().values_list("title", flat=True))


def test_writer_submits_a_draft_for_review(writer):
    article = draft(created_by=writer)

    services.article_submit_for_review(article=article, user=writer)

    article.refresh_from_db()
    assert article.status == Status.PENDING
    version = article.history.first()
    assert version.history_user == writer
    assert version.history_change_reason == services.REASON_SUBMITTED


@pytest.mark.parametrize(
    "step",
    [
        lambda article, user: services.article_publish(article=article, user=user),
        lambda article, user: services.articles_publish(articles=[article], user=user),
        lambda article, user: services.article_change_status(
            article=article, user=user, status=Status.PUBLISHED
        ),
    ],
    ids=["publish", "bulk-publish", "change-status"],
)
def test_writer_is_refused_publishing_by_every_path(writer, step):
    article = ArticleFactory(status=Status.PENDING, published_at=None)

    with pytest.raises(PermissionDenied):
        step(article, writer)

    article.refresh_from_db()
    assert article.status == Status.PENDING


def test_writer_cannot_unpublish_return_or_edit_a_published_article(writer):
    article = ArticleFactory(title="Bài đang công khai")
    with pytest.raises(PermissionDenied):
        services.article_unpublish(article=article, user=writer)
    pending = ArticleFactory(status=Status.PENDING, published_at=None)
    with pytest.raises(PermissionDenied):
        services.article_return_to_writer(article=pending, user=writer, comment="x")
    article.title = "Sửa trái phép"
    with pytest.raises(PermissionDenied):
        services.article_save(article=article, user=writer)
    assert public_titles() == {"Bài đang công khai"}


def test_a_status_change_cannot_ride_on_an_ordinary_save(reviewer):
    article = draft()
    article.status = Status.PUBLISHED
    with pytest.raises(ValidationError):
        services.article_save(article=article, user=reviewer)
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_anonymous_and_plain_staff_users_can_do_nothing():
    article = draft()
    for user in (AnonymousUser(), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.article_submit_for_review(article=article, user=user)
        with pytest.raises(PermissionDenied):
            services.article_publish(article=article, user=user)


def test_reviewer_publishes_now_and_the_comment_is_cleared(reviewer):
    article = ArticleFactory(
        status=Status.PENDING, published_at=None, review_comment="Sửa tiêu đề."
    )

    services.article_publish(article=article, user=reviewer)

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.published_at <= timezone.now()
    assert article.review_comment == ""
    assert article.is_public()
    assert article.history.first().history_change_reason == services.REASON_PUBLISHED


def test_publishing_without_a_category_is_refused_with_a_clear_message(reviewer):
    article = ArticleFactory(status=Status.PENDING, published_at=None, category=None)

    with pytest.raises(ValidationError) as error:
        services.article_publish(article=article, user=reviewer)

    assert any("Chưa chọn chuyên mục" in message for message in error.value.messages)
    assert Article.objects.get(pk=article.pk).status == Status.PENDING


def test_the_database_refuses_a_published_article_without_category(reviewer):
    article = ArticleFactory(category=None, status=Status.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(
            status=Status.PUBLISHED, published_at=timezone.now()
        )


def test_return_to_writer_keeps_the_reviewers_comment(reviewer):
    article = ArticleFactory(status=Status.PENDING, published_at=None)

    with pytest.raises(ValidationError):
        services.article_return_to_writer(article=article, user=reviewer, comment=" ")
    services.article_return_to_writer(
        article=article, user=reviewer, comment="Bổ sung số liệu quý III."
    )

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.review_comment == "Bổ sung số liệu quý III."
    assert article.history.first().history_change_reason == services.REASON_RETURNED


def test_only_pending_articles_can_be_returned_and_only_drafts_submitted(
    reviewer, writer
):
    with pytest.raises(ValidationError):
        services.article_return_to_writer(
            article=draft(), user=reviewer, comment="Sửa."
        )
    with pytest.raises(ValidationError):
        services.article_submit_for_review(
            article=ArticleFactory(status=Status.PENDING, published_at=None),
            user=writer,
        )


def test_unpublishing_takes_the_article_down_and_keeps_its_date(reviewer):
    article = ArticleFactory(title="Tin sẽ gỡ")
    published_at = article.published_at

    services.article_unpublish(article=article, user=reviewer)

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.published_at == published_at
    assert "Tin sẽ gỡ" not in public_titles()


def test_superuser_can_do_everything():
    admin = UserFactory(is_superuser=True)
    article = draft()
    services.article_submit_for_review(article=article, user=admin)
    services.article_return_to_writer(article=article, user=admin, comment="Sửa.")
    services.article_publish(article=article, user=admin)
    services.article_unpublish(article=article, user=admin)
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_scheduled_article_appears_at_its_time_and_expires_by_itself(reviewer):
    start = timezone.now()
    article = ArticleFactory(
        title="Tin hẹn giờ", status=Status.PENDING, published_at=None
    )
    article.expires_at = start + dt.timedelta(days=2)

    services.article_publish(
        article=article, user=reviewer, at=start + dt.timedelta(hours=3)
    )

    assert article.history.first().history_change_reason == (services.REASON_SCHEDULED)
    with time_machine.travel(start + dt.timedelta(hours=2, minutes=59), tick=False):
        assert "Tin hẹn giờ" not in public_titles()
    with time_machine.travel(start + dt.timedelta(hours=3, seconds=1), tick=False):
        assert "Tin hẹn giờ" in public_titles()
    with time_machine.travel(start + dt.timedelta(days=2, seconds=1), tick=False):
        assert "Tin hẹn giờ" not in public_titles()


def test_expiry_before_the_publication_time_is_refused(reviewer):
    start = timezone.now()
    article = ArticleFactory(status=Status.PENDING, published_at=None)
    article.expires_at = start + dt.timedelta(hours=1)
    with pytest.raises(ValidationError):
        services.article_publish(
            article=article, user=reviewer, at=start + dt.timedelta(hours=2)
        )
    assert Article.objects.get(pk=article.pk).status == Status.PENDING


def test_bulk_publish_is_all_or_nothing(reviewer):
    category = CategoryFactory()
    ready = ArticleFactory(
        title="Bài sẵn sàng",
        status=Status.PENDING,
        published_at=None,
        category=category,
    )
    missing = ArticleFactory(
        title="Bài thiếu chuyên mục",
        status=Status.PENDING,
        published_at=None,
        category=None,
    )

    with pytest.raises(ValidationError) as error:
        services.articles_publish(articles=[ready, missing], user=reviewer)

    assert "Bài thiếu chuyên mục" in " ".join(error.value.messages)
    assert Article.objects.get(pk=ready.pk).status == Status.PENDING
    missing.category = category
    missing.save()
    published = services.articles_publish(articles=[ready, missing], user=reviewer)
    assert {a.title for a in published} == {"Bài sẵn sàng", "Bài thiếu chuyên mục"}
    assert public_titles() >= {"Bài sẵn sàng", "Bài thiếu chuyên mục"}


def test_bulk_publish_rolls_back_when_a_later_article_fails_validation(reviewer):
    start = timezone.now()
    first = ArticleFactory(status=Status.PENDING, published_at=None)
    # Passes the pre-publish checks, fails the expiry rule once published now.
    second = ArticleFactory(
        status=Status.PENDING,
        published_at=None,
        expires_at=start - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        services.articles_publish(articles=[first, second], user=reviewer)
    assert Article.objects.get(pk=first.pk).status == Status.PENDING


def test_bulk_unpublish_takes_every_selected_article_down(reviewer):
    one, two = ArticleFactory(title="Một"), ArticleFactory(title="Hai")
    services.articles_unpublish(articles=[one, two], user=reviewer)
    assert not {"Một", "Hai"} & public_titles()


def test_publish_refuses_an_image_without_alt_text(reviewer):
    article = ArticleFactory(status=Status.PENDING, published_at=None)
    article.hero_image = "news/anh.jpg"
    article.hero_alt = ""
    with pytest.raises(ValidationError) as error:
        services.article_publish(article=article, user=reviewer)
    assert any("mô tả (alt)" in message for message in error.value.messages)


def test_curated_links_do_not_block_publishing(reviewer):
    article = ArticleFactory(status=Status.PENDING, published_at=None)
    services.article_publish(article=article, user=reviewer)
    linked = ArticleFactory(status=Status.PENDING, published_at=None)
    ArticleLinkFactory(from_article=linked, to_article=article)
    services.article_publish(article=linked, user=reviewer)
    assert Article.objects.filter(status=Status.PUBLISHED).count() == 2


# --- The workflow table ---------------------------------------------------------


def test_every_status_may_be_edited_and_every_step_leads_to_a_status():
    assert {source for source, _step in TRANSITIONS} == set(Status.values)
    assert all(workflow.move(status, Step.EDIT) for status in Status.values)
    assert {row.target for row in TRANSITIONS.values()} <= set(Status.values)


def test_each_step_but_editing_needs_one_permission_from_every_status():
    for step in Step:
        needed = {
            row.permission for (_, each), row in TRANSITIONS.items() if each == step
        }
        if step != Step.EDIT:
            assert needed == {workflow.step_permission(step)}, step


def test_the_admin_and_the_services_follow_the_same_table(reviewer):
    """Each status the admin offers is reached by the step the table names."""
    for status in Status.values:
        for target in permissions.allowed_statuses(reviewer, status):
            step = workflow.step_between(status, target)
            assert workflow.move(status, step).target == target
            if step != Step.EDIT:
                assert target != status


def test_a_published_article_cannot_go_back_to_review(reviewer, writer):
    article = ArticleFactory()
    with pytest.raises(ValidationError, match="Chỉ bài nháp mới gửi duyệt được"):
        services.article_change_status(
            article=article, user=reviewer, status=Status.PENDING
        )
    with pytest.raises(PermissionDenied):
        services.article_change_status(
            article=ArticleFactory(), user=UserFactory(), status=Status.PENDING
        )
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED


def test_a_status_outside_the_workflow_is_refused_and_changes_nothing(reviewer):
    for stored in (Status.DRAFT, Status.PENDING, Status.PUBLISHED):
        article = ArticleFactory(status=stored)
        with pytest.raises(ValidationError, match="không có trạng thái"):
            services.article_change_status(
                article=article, user=reviewer, status="archived"
            )
        assert Article.objects.get(pk=article.pk).status == stored


@pytest.mark.parametrize(
    ("stored", "target", "reason"),
    [
        (Status.DRAFT, Status.PENDING, services.REASON_SUBMITTED),
        (Status.DRAFT, Status.PUBLISHED, services.REASON_PUBLISHED),
        (Status.PENDING, Status.DRAFT, services.REASON_RETURNED),
        (Status.PENDING, Status.PUBLISHED, services.REASON_PUBLISHED),
        (Status.PUBLISHED, Status.DRAFT, services.REASON_UNPUBLISHED),
        (Status.PUBLISHED, Status.PUBLISHED, services.REASON_EDITED),
    ],
)
def test_change_status_takes_the_step_the_table_names(reviewer, stored, target, reason):
    article = ArticleFactory(status=stored)

    services.article_change_status(
        article=article, user=reviewer, status=target, comment="Sửa phần mở đầu."
    )

    assert Article.objects.get(pk=article.pk).status == target
    assert article.history.first().history_change_reason == reason
