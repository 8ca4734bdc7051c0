"""'Tin liên quan': curated links first, then shared tags, then category."""

import datetime as dt

import pytest
from django.utils import timezone

from news import selectors
from news.models import Article, ArticleLink
from news.services import article_set_related
from tests.factories import (
    ArticleFactory,
    ArticleLinkFactory,
    CategoryFactory,
    EnglishArticleFactory,
    TagFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def older(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def related_titles(article):
    article = Article.objects.for_detail().get(pk=article.pk)
    return [item.title for item in selectors.article_list_related(article=article)]


def test_curated_links_come_first_in_the_editors_order(article):
    first = ArticleFactory(title="Liên kết một", published_at=older(50))
    second = ArticleFactory(title="Liên kết hai", published_at=older(1))
    ArticleLinkFactory(from_article=article, to_article=second, position=2)
    ArticleLinkFactory(from_article=article, to_article=first, position=1)

    assert related_titles(article)[:2] == ["Liên kết một", "Liên kết hai"]


def test_link_to_an_unpublished_article_is_never_shown(client, article):
    draft = ArticleFactory(title="Bài nháp", status=Article.Status.DRAFT)
    scheduled = ArticleFactory(title="Bài hẹn giờ", published_at=older(-5))
    ArticleLinkFactory(from_article=article, to_article=draft)
    ArticleLinkFactory(from_article=article, to_article=scheduled)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Bài nháp" not in html and "Bài hẹn giờ" not in html


def test_top_up_uses_shared_tags_then_category_and_never_the_article_itself(category):
    tag_a, tag_b = TagFactory(), TagFactory()
    article = ArticleFactory(title="Bài chính", category=category, tags=[tag_a, tag_b])
    curated = ArticleFactory(title="Liên kết", category=CategoryFactory())
    ArticleLinkFactory(from_article=article, to_article=curated)
    two_tags = ArticleFactory(
        title="Chung hai thẻ", tags=[tag_a, tag_b], published_at=older(30)
    )
    one_tag = ArticleFactory(title="Chung một thẻ", tags=[tag_b], published_at=older(2))
    ArticleFactory(
        title="Cùng chuyên mục mới", category=category, published_at=older(3)
    )
    ArticleFactory(
        title="Cùng chuyên mục cũ", category=category, published_at=older(40)
    )
    ArticleFactory(
        title="Cùng chuyên mục rất cũ", category=category, published_at=older(90)
    )
    ArticleFactory(title="Không liên quan", published_at=older(1))
    ArticleFactory(title="Nháp chung thẻ", tags=[tag_a], status=Article.Status.DRAFT)
    assert two_tags and one_tag

    assert related_titles(article) == [
        "Liên kết",
        "Chung hai thẻ",
        "Chung một thẻ",
        "Cùng chuyên mục mới",
        "Cùng chuyên mục cũ",
    ]


def test_curated_article_also_sharing_tags_is_listed_once(category):
    tag = TagFactory()
    article = ArticleFactory(category=category, tags=[tag])
    other = ArticleFactory(
        title="Vừa liên kết vừa chung thẻ", category=category, tags=[tag]
    )
    ArticleLinkFactory(from_article=article, to_article=other)

    assert related_titles(article) == ["Vừa liên kết vừa chung thẻ"]


def test_set_related_keeps_order_and_skips_self_and_duplicates(article):
    one, two = ArticleFactory(), ArticleFactory()
    article_set_related(article=article, related=[two, article, one, two])
    links = ArticleLink.objects.filter(from_article=article)
    assert [(link.to_article, link.position) for link in links] == [(two, 0), (one, 1)]
    article_set_related(article=article, related=[one])
    assert [link.to_article for link in article.outgoing_links.all()] == [one]


def test_read_more_lists_latest_in_category_not_already_related(client, category):
    article = ArticleFactory(category=category)
    # Curated links in the same category: newer than nothing else there but
    # "Đọc thêm này", so only their being related keeps them out of "Đọc thêm".
    for number in range(5):
        ArticleLinkFactory(
            from_article=article,
            to_article=ArticleFactory(title=f"Liên kết số {number}", category=category),
        )
    ArticleFactory(
        title="Đọc thêm này", sapo="Sapo của bài đọc thêm.", category=category
    )

    html = client.get(article.get_absolute_url()).content.decode()

    related = html[html.index('id="tin-lien-quan"') : html.index('id="doc-them"')]
    section = html[html.index('id="doc-them"') :]
    assert all(f"Liên kết số {number}" in related for number in range(5))
    assert "Đọc thêm này" in section and "Sapo của bài đọc thêm." in section
    assert "Liên kết số" not in section


def test_both_lists_read_together_match_the_lists_read_apart(category):
    """article_get_lists (the article page, one SQL statement) gives exactly
    what the steps of article_list_related and article_list_read_more give,
    with or without curated links, shared tags, shared units or enough
    articles in the category, in either language, among expired, scheduled and
    draft articles."""
    tag, other_tag = TagFactory(), TagFactory()
    unit, other_unit = UnitFactory(), UnitFactory()
    other = CategoryFactory()
    for number in range(14):
        item = ArticleFactory(
            category=[category, other, other][number % 3],
            tags=[[tag], [], [tag, other_tag], [other_tag]][number % 4],
            published_at=older(number + 1),
        )
        if number % 5 in (1, 2):
            item.units.set([unit] if number % 2 else [unit, other_unit])
    ArticleFactory(category=category, tags=[tag], expires_at=older(1))
    ArticleFactory(category=category, tags=[tag], published_at=older(-3))
    ArticleFactory(category=category, tags=[tag], status=Article.Status.DRAFT)
    curated = ArticleFactory(category=other)
    with_links = ArticleFactory(category=category, tags=[tag])
    with_links.units.set([unit])
    ArticleLinkFactory(from_article=with_links, to_article=curated)
    ArticleLinkFactory(
        from_article=with_links,
        to_article=ArticleFactory(status=Article.Status.DRAFT),
        position=1,
    )
    lonely = ArticleFactory(category=CategoryFactory())
    english = [
        EnglishArticleFactory(category=category, tags=[tag], published_at=older(n))
        for n in range(1, 4)
    ]
    articles = [with_links, lonely, *english, *Article.objects.published()]
    for article in articles:
        article = Article.objects.for_detail().get(pk=article.pk)
        related = selectors.article_list_related(article=article)
        read_more = selectors.article_list_read_more(
            article=article, exclude={item.pk for item in related}
        )
        lists = selectors.article_get_lists(article=article)
        assert lists.related == related, article.title
        assert lists.read_more == read_more, article.title
        assert [item.category for item in lists.read_more] == [
            item.category for item in read_more
        ]


def test_both_lists_come_with_their_categories_in_one_query(
    category, django_assert_num_queries
):
    tag = TagFactory()
    article = ArticleFactory(category=category, tags=[tag])
    ArticleLinkFactory(from_article=article, to_article=ArticleFactory())
    for number in range(8):
        ArticleFactory(category=category, tags=[tag] if number % 2 else [])
    article = Article.objects.for_detail().get(pk=article.pk)
    with django_assert_num_queries(1):
        lists = selectors.article_get_lists(article=article)
        shown = [
            (item.pk, item.category.name) for item in lists.related + lists.read_more
        ]
    assert len(shown) == selectors.RELATED_LIMIT + selectors.READ_MORE_LIMIT
    assert shown == [
        (item.pk, Article.objects.get(pk=item.pk).category.name)
        for item in lists.related + lists.read_more
    ]
