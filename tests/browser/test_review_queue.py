"""A reviewer goes from the queue on the admin home to publishing in three steps."""

import pytest

from news import drafts, services
from news.models import Article
from tests.browser.actions import log_in
from tests.factories import ArticleFactory, ReviewerFactory, WriterFactory

pytestmark = pytest.mark.django_db(transaction=True)

Status = Article.Status


def waiting_new_article(writer):
    article = ArticleFactory(
        title="Bài mới chờ duyệt",
        body="<p>Nội dung bài mới.</p>",
        status=Status.DRAFT,
        published_at=None,
        created_by=writer,
    )
    services.article_submit_for_review(article=article, user=writer)
    return article, article, "Nội dung bài mới."


def waiting_draft_of_live(writer):
    live = ArticleFactory(title="Bài đang công khai", body="<p>Bản cũ.</p>")
    draft = drafts.article_draft_start(article=live, user=writer)
    draft.body = "<p>Bản sửa đã duyệt.</p>"
    services.article_save(article=draft, user=writer)
    services.article_submit_for_review(article=draft, user=writer)
    return live, draft, "Bản sửa đã duyệt."


@pytest.mark.parametrize(
    ("make", "queue"),
    [
        (waiting_new_article, "Chờ duyệt"),
        (waiting_draft_of_live, "Bản sửa chờ duyệt của tin đã xuất bản"),
    ],
    ids=["new-article", "draft-of-live"],
)
def test_reviewer_publishes_from_the_queue_in_three_steps(
    live_server, page, make, queue
):
    writer = WriterFactory()
    reviewer = ReviewerFactory(username="duyetbai")
    public, waiting, text = make(writer)
    log_in(page, live_server, reviewer.username)
    steps = 0

    section = page.locator(".review-queue__section", has_text=queue)
    section.get_by_role("link", name=waiting.title).click()
    steps += 1
    page.locator("#id_status").select_option(Status.PUBLISHED)
    steps += 1
    page.locator("input[name=_save]").click()
    steps += 1
    page.wait_for_load_state()

    assert steps <= 3
    public.refresh_from_db()
    assert public.is_public()
    page.goto(live_server.url + public.get_absolute_url())
    assert text in page.locator(".article__body").inner_text()
