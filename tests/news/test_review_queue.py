"""The editors' queues on the admin home: per role, counted, linked, bounded."""

import datetime as dt

import pytest

from news import drafts, services
from news.models import Article, whole_second_now
from news.queues import review_queue_list
from tests.factories import ArticleFactory, WriterFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
HOME = "/quan-tri/"


@pytest.fixture
def desk(writer, reviewer, category):
    """One article in each queue, plus a colleague's ones a writer must not see."""
    colleague = WriterFactory()
    later = whole_second_now() + dt.timedelta(days=1)
    made = {
        "pending": ArticleFactory(
            title="Bài gửi duyệt", status=Status.PENDING, created_by=writer
        ),
        "returned": ArticleFactory(
            title="Bài bị trả",
            status=Status.DRAFT,
            published_at=None,
            review_comment="Thêm nguồn.",
            created_by=writer,
        ),
        "scheduled": ArticleFactory(
            title="Bài hẹn giờ", published_at=later, created_by=writer
        ),
        "mine": ArticleFactory(
            title="Nháp riêng",
            status=Status.DRAFT,
            published_at=None,
            created_by=writer,
        ),
        "other": ArticleFactory(
            title="Bài của đồng nghiệp",
            status=Status.PENDING,
            published_at=None,
            created_by=colleague,
        ),
    }
    live = ArticleFactory(title="Bài đang công khai", category=category)
    draft = drafts.article_draft_start(article=live, user=writer)
    services.article_submit_for_review(article=draft, user=writer)
    made["drafts-of-live"] = draft
    return made


def counts(user):
    return {s.queue.key: s.count for s in review_queue_list(user=user)}


def test_a_reviewer_sees_every_waiting_article_counted(desk, reviewer):
    assert counts(reviewer) == {
        "pending": 2,
        "returned": 1,
        "scheduled": 1,
        "mine": 0,
        "drafts-of-live": 1,
    }


def test_a_writer_sees_only_their_own_articles(desk, writer):
    assert counts(writer) == {
        "pending": 1,
        "returned": 1,
        "scheduled": 1,
        "mine": 1,
        "drafts-of-live": 1,
    }


def test_the_admin_home_lists_the_queues_with_counts_and_links(reviewer_client, desk):
    html = reviewer_client.get(HOME).content.decode()

    assert "Việc chờ bạn" in html
    for label in (
        "Chờ duyệt",
        "Bị trả lại",
        "Đã hẹn giờ",
        "Bản nháp của tôi",
        "Bản sửa chờ duyệt của tin đã xuất bản",
    ):
        assert label in html
    assert '/quan-tri/news/article/?queue=pending">Chờ duyệt</a>' in html
    draft = desk["drafts-of-live"]
    assert f'href="/quan-tri/news/article/{draft.pk}/change/"' in html


def test_each_queue_link_lists_the_same_articles_it_counts(reviewer_client, desk):
    listing = reviewer_client.get("/quan-tri/news/article/?queue=pending")
    html = listing.content.decode()
    assert "Bài gửi duyệt" in html and "Bài của đồng nghiệp" in html
    assert "Nháp riêng" not in html and "Bài hẹn giờ" not in html


def test_a_writer_queue_link_does_not_show_a_colleagues_article(writer_client, desk):
    html = writer_client.get("/quan-tri/news/article/?queue=pending").content.decode()
    assert "Bài gửi duyệt" in html and "Bài của đồng nghiệp" not in html


def test_the_admin_home_queries_do_not_grow_with_the_queues(
    reviewer_client, reviewer, category, django_assert_max_num_queries
):
    reviewer_client.get(HOME)  # session and permissions read once
    for number in range(12):
        ArticleFactory(title=f"Chờ {number}", status=Status.PENDING)
        ArticleFactory(
            title=f"Trả {number}",
            status=Status.DRAFT,
            published_at=None,
            review_comment="Sửa.",
        )
    # Session, user, permissions, recent actions; the queues: one count
    # query, then one per non-empty queue.
    with django_assert_max_num_queries(12):
        response = reviewer_client.get(HOME)
    assert response.status_code == 200
    assert response.content.decode().count("review-queue__when") == 10
