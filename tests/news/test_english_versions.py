"""English versions of articles: the rows, how an editor starts one, and the
workflow they go through (the same as every article's)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from news import drafts, services, translations
from news.models import Article
from news.prepublish import publishing_blockers
from tests.factories import ArticleFactory, EnglishArticleFactory, TagFactory
from tests.news.admin_forms import article_form_data, change_url

pytestmark = pytest.mark.django_db

Status = Article.Status
ENGLISH = Article.Language.ENGLISH


def start_url(article: Article) -> str:
    return f"/quan-tri/news/article/{article.pk}/ban-tieng-anh/"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def original(category):
    article = ArticleFactory(
        title="Đẩy mạnh chuyển đổi số ở Quảng Ninh",
        category=category,
        tags=[TagFactory(name="Chuyển đổi số")],
        source_agency="Sở Nội vụ",
    )
    article.refresh_from_db()
    return article


# --- The rows ---------------------------------------------------------------------


def test_an_english_row_without_an_original_is_refused_by_the_database(category):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="Orphan", body="<p>x</p>", byline="A", language=ENGLISH
        )


def test_a_vietnamese_row_cannot_point_at_an_original(original):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="Bài khác", body="<p>x</p>", byline="A", translation_of=original
        )


def test_an_unknown_language_is_refused_by_the_database(original):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=original.pk).update(language="fr")


def test_one_english_version_per_original_in_the_database(original):
    EnglishArticleFactory(translation_of=original)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnglishArticleFactory(translation_of=original)


def test_the_original_of_an_english_version_must_be_vietnamese(original):
    english = EnglishArticleFactory(translation_of=original)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnglishArticleFactory(translation_of=english)
    with pytest.raises(ValidationError) as refused:
        EnglishArticleFactory.build(translation_of=english).full_clean()
    assert "translation_of" in refused.value.message_dict


def test_an_original_with_an_english_version_stays_vietnamese(original):
    EnglishArticleFactory(translation_of=original)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=original.pk).update(language=ENGLISH)


def test_an_original_with_an_english_version_is_not_deleted_with_it(original):
    from django.db.models import ProtectedError

    EnglishArticleFactory(translation_of=original)
    with pytest.raises(ProtectedError):
        original.delete()


def test_english_url_is_the_article_detail_in_english(original):
    english = EnglishArticleFactory(translation_of=original, title="Digital change")
    assert english.slug == "digital-change"
    assert english.get_absolute_url().endswith(f"digital-change-{english.pk}/")
    assert original.get_absolute_url() == f"/tin-tuc/{original.slug}-{original.pk}/"


# --- Starting one -----------------------------------------------------------------


def test_starting_an_english_version_shares_photo_section_tags_not_texts(
    original, writer
):
    english = translations.article_translation_start(original=original, user=writer)
    english.refresh_from_db()
    assert english.language == ENGLISH
    assert english.translation_of == original
    assert english.status == Status.DRAFT
    assert english.category == original.category
    assert list(english.tags.all()) == list(original.tags.all())
    assert english.source_agency == "Sở Nội vụ"
    assert (english.title, english.sapo, english.body, english.byline) == ("",) * 4
    assert english.slug == ""
    assert english.created_by == writer
    assert english.history.count() == 1
    assert english.history.first().history_change_reason == "Tạo bản tiếng Anh"


def test_a_second_english_version_is_refused_naming_the_first(original, writer):
    translations.article_translation_start(original=original, user=writer)
    with pytest.raises(ValidationError) as refused:
        translations.article_translation_start(original=original, user=writer)
    assert "đã có bản tiếng Anh" in " ".join(refused.value.messages)


def test_an_english_version_is_not_started_from_a_working_draft(original, reviewer):
    draft = drafts.article_draft_start(article=original, user=reviewer)
    with pytest.raises(ValidationError):
        translations.article_translation_start(original=draft, user=reviewer)


def test_editor_starts_the_english_version_from_the_original_admin_page(
    writer_client, writer, category
):
    own = ArticleFactory(
        title="Bài của tôi", status=Status.DRAFT, created_by=writer, category=category
    )
    page = writer_client.get(change_url(own)).content.decode()
    assert "Thêm bản tiếng Anh" in page
    response = writer_client.post(start_url(own), follow=True)
    english = Article.objects.get(translation_of=own)
    assert response.redirect_chain[-1][0] == change_url(english)
    assert any("Đã tạo bản tiếng Anh" in m for m in messages_of(response))
    assert "Bài gốc tiếng Việt" in response.content.decode()
    page = writer_client.get(change_url(own)).content.decode()
    assert "Thêm bản tiếng Anh" not in page and change_url(english) in page


def test_the_start_button_only_posts(reviewer_client, original):
    assert reviewer_client.get(start_url(original)).status_code == 405
    assert not Article.objects.filter(translation_of=original).exists()


# --- Its own workflow -------------------------------------------------------------


def test_english_version_is_written_submitted_and_published_by_a_reviewer(
    client, original, writer, reviewer
):
    english = translations.article_translation_start(original=original, user=writer)
    client.force_login(writer)
    data = article_form_data(
        english,
        title="Quang Ninh steps up digital transformation",
        sapo="The province moves procedures online.",
        body="<p>Quang Ninh has moved most procedures online.</p>",
        byline="Thu Ha",
        status=Status.PENDING,
    )
    response = client.post(change_url(english), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    english.refresh_from_db()
    assert english.status == Status.PENDING
    assert english.slug == "quang-ninh-steps-up-digital-transformation"
    assert english.language == ENGLISH and english.translation_of == original

    services.article_publish(article=english, user=reviewer)
    english.refresh_from_db()
    assert english.status == Status.PUBLISHED
    reasons = [v.history_change_reason for v in english.history.order_by("history_id")]
    assert reasons == ["Tạo bản tiếng Anh", "Gửi duyệt", "Xuất bản"]
    # The Vietnamese original is untouched by all of it.
    original_before = original.updated_at
    original.refresh_from_db()
    assert original.updated_at == original_before


def test_a_working_draft_of_an_english_version_is_english_and_goes_back_into_it(
    original, reviewer
):
    english = EnglishArticleFactory(translation_of=original, title="Old title")
    draft = drafts.article_draft_start(article=english, user=reviewer)
    assert draft.language == ENGLISH and draft.translation_of is None
    draft.title = "New title"
    services.article_save(article=draft, user=reviewer)
    live = services.article_publish(article=draft, user=reviewer)
    live.refresh_from_db()
    assert live.pk == english.pk and live.title == "New title"
    assert live.language == ENGLISH and live.translation_of == original


def test_the_vietnamese_alt_text_must_be_rewritten_before_publishing(original):
    english = EnglishArticleFactory.build(
        translation_of=original,
        category=original.category,
        hero_image="news/a.jpg",
        hero_alt="Ảnh hội nghị",
    )
    Article.objects.filter(pk=original.pk).update(
        hero_image="news/a.jpg", hero_alt="Ảnh hội nghị"
    )
    assert [c.code for c in publishing_blockers(english)] == ["untranslated-alt"]
    english.hero_alt = "The conference"
    assert publishing_blockers(english) == []


def test_a_curated_link_in_the_other_language_is_flagged_before_publishing(
    original,
):
    from news.prepublish import prepublish_checks
    from tests.factories import ArticleLinkFactory

    english = EnglishArticleFactory(translation_of=original)
    ArticleLinkFactory(from_article=english, to_article=ArticleFactory())
    codes = [check.code for check in prepublish_checks(english)]
    assert "related-other-language" in codes
    assert "related-other-language" not in [
        check.code for check in prepublish_checks(original)
    ]
