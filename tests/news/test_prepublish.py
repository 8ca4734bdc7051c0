"""Pre-publish checks: blockers refuse publishing, warnings advise."""

import unicodedata

import pytest

from news.models import Article
from news.prepublish import SAPO_ADVISED_LENGTH, prepublish_checks, publishing_blockers
from tests.factories import ArticleFactory, ArticleLinkFactory

pytestmark = pytest.mark.django_db


def codes(checks):
    return {check.code: check.blocks for check in checks}


def test_a_complete_article_has_no_findings(article):
    ArticleLinkFactory(from_article=article)
    assert prepublish_checks(article) == []


def test_missing_alt_text_and_category_block_publishing():
    article = Article(
        title="Tin", sapo="Tóm tắt.", body="<p>Nội dung.</p>", hero_image="news/a.jpg"
    )
    found = codes(prepublish_checks(article, has_links=True))
    assert found == {"missing-alt": True, "no-category": True}
    assert {check.field for check in publishing_blockers(article)} == {
        "hero_alt",
        "category",
    }


@pytest.mark.parametrize(
    ("sapo", "code"),
    [("", "empty-sapo"), ("x" * (SAPO_ADVISED_LENGTH + 1), "long-sapo")],
)
def test_empty_or_long_sapo_is_a_warning(article, sapo, code):
    article.sapo = sapo
    found = codes(prepublish_checks(article, has_links=True))
    assert found == {code: False}


def test_sapo_of_the_advised_length_is_fine(article):
    article.sapo = "x" * SAPO_ADVISED_LENGTH
    assert prepublish_checks(article, has_links=True) == []


def test_no_curated_related_links_is_a_warning(article):
    assert codes(prepublish_checks(article)) == {"no-related": False}
    ArticleLinkFactory(from_article=article)
    assert prepublish_checks(article) == []


def test_decomposed_text_is_reported_and_fixed_on_save(article):
    decomposed = unicodedata.normalize("NFD", "<p>Cải cách hành chính</p>")
    article.body = decomposed
    found = prepublish_checks(article, has_links=True)
    assert codes(found) == {"not-nfc": False}
    assert "nội dung" in found[0].message

    article.save()
    article.refresh_from_db()
    assert article.body == unicodedata.normalize("NFC", decomposed)
    assert prepublish_checks(article, has_links=True) == []


def test_a_draft_may_be_saved_without_category_or_sapo():
    article = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, category=None, sapo=""
    )
    article.full_clean()
    assert Article.objects.filter(pk=article.pk, category=None).exists()
