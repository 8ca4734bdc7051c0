"""Search documents stay current: saves, tags, units, bulk loads, migration."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from news.demo import BULK_SLUG_PREFIX
from news.models import Article
from news.search import parse_query
from tests.factories import ArticleFactory, TagFactory, UnitFactory

pytestmark = pytest.mark.django_db


def found(text: str) -> set[int]:
    """Ids of the public articles a search for text finds."""
    return set(
        Article.objects.published()
        .search(parse_query(text))
        .values_list("pk", flat=True)
    )


def weights_of(document: str) -> dict[str, list[str]]:
    """{lexeme: weight of each position} of a stored tsvector (D is unmarked)."""
    result = {}
    for entry in document.split(" "):
        lexeme, positions = entry.rsplit(":", 1)
        result[lexeme] = sorted(
            position.lstrip("0123456789") or "D" for position in positions.split(",")
        )
    return result


def test_saving_an_article_rebuilds_its_document(article):
    article.title = "Số hóa hồ sơ đất đai"
    article.save()
    assert found("dat dai") == {article.pk}
    assert found("day manh") == set()


def test_saving_other_fields_only_keeps_the_document(article):
    before = Article.objects.values_list("search_document", flat=True).get()
    article.featured = True
    article.save(update_fields=["featured"])
    assert Article.objects.values_list("search_document", flat=True).get() == before


def test_saving_a_searched_field_with_update_fields_rebuilds(article):
    article.sapo = "Thí điểm liên thông"
    article.save(update_fields=["sapo"])
    assert found("lien thong") == {article.pk}


def test_adding_removing_and_clearing_tags_updates_the_document(article):
    tag = TagFactory(name="Chính quyền điện tử")
    article.tags.add(tag)
    assert found("chinh quyen") == {article.pk}
    article.tags.remove(tag)
    assert found("chinh quyen") == set()
    article.tags.set([tag])
    assert found("chinh quyen") == {article.pk}
    article.tags.clear()
    assert found("chinh quyen") == set()


def test_tags_changed_from_the_tag_side_update_the_documents(category):
    tag = TagFactory(name="Tinh gọn bộ máy")
    first, second = ArticleFactory(category=category), ArticleFactory(category=category)
    tag.articles.add(first, second)
    assert found("tinh gon") == {first.pk, second.pk}
    tag.articles.remove(first)
    assert found("tinh gon") == {second.pk}
    tag.articles.clear()
    assert found("tinh gon") == set()


def test_renaming_a_tag_updates_its_articles(article):
    tag = TagFactory(name="Cải cách thể chế")
    article.tags.add(tag)
    tag.name = "Hoàn thiện thể chế"
    tag.save()
    assert found("hoan thien") == {article.pk}
    assert found('"cai cach the che"') == set()


def test_deleting_a_tag_removes_its_name_from_the_documents(article):
    tag = TagFactory(name="Kiểm soát thủ tục")
    article.tags.add(tag)
    tag.delete()
    assert found("kiem soat") == set()


def test_linking_renaming_and_deleting_a_unit_update_the_documents(article):
    unit = UnitFactory(name="Tỉnh Lâm Đồng", short_name="Lâm Đồng")
    article.units.add(unit)
    assert found("lam dong") == {article.pk}
    unit.name = "Tỉnh Lâm Đồng mới"
    unit.save()
    assert found("lam dong moi") == {article.pk}
    unit.articles.remove(article)
    assert found("lam dong") == set()
    article.units.add(unit)
    unit.delete()
    assert found("lam dong") == set()


def test_load_test_articles_are_searchable_with_their_tags():
    call_command("seed_demo", articles=30)
    bulk = Article.objects.filter(slug__startswith=BULK_SLUG_PREFIX)
    article = bulk.get(slug=f"{BULK_SLUG_PREFIX}7")
    tag_names = list(article.tags.values_list("name", flat=True))

    assert found("tin thu tai so 7") >= {article.pk}
    assert article.pk in found(tag_names[0])
    assert not bulk.filter(search_document__isnull=True).exists()
    # The words and weights a rebuild (as on save) gives; only the positions
    # may differ, the tags being listed in another order.
    loaded = article.search_document
    bulk.filter(pk=article.pk).refresh_search_documents()
    article.refresh_from_db()
    assert weights_of(article.search_document) == weights_of(loaded)


def test_rebuild_command_restores_missing_documents(article):
    Article.objects.update(search_document=None)
    assert found("day manh") == set()
    call_command("rebuild_search")
    assert found("day manh") == {article.pk}


def test_migration_fills_documents_of_existing_articles(article):
    tag = TagFactory(name="Thí điểm")
    article.tags.add(tag)
    Article.objects.update(search_document=None)
    migration = importlib.import_module("news.migrations.0006_article_search_document")

    migration.fill_search_documents(apps, schema_editor=None)

    assert found("day manh thi diem") == {article.pk}
