"""The glossary's abbreviations are search synonyms of their meanings, both ways."""

import pytest

from news.models import GlossaryTerm
from news.search import Synonyms, highlight, parse_query
from tests.factories import ArticleFactory
from tests.search.test_search_page import result_titles, search

pytestmark = pytest.mark.django_db

GLOSSARY = [
    ("CCHC", "cải cách hành chính"),
    ("TTHC", "thủ tục hành chính"),
    ("UBND", "Ủy ban nhân dân"),
    ("PAR INDEX", "Chỉ số cải cách hành chính"),
]


@pytest.fixture
def glossary(db):
    for abbreviation, meaning in GLOSSARY:
        GlossaryTerm.objects.create(abbreviation=abbreviation, meaning=meaning)


@pytest.fixture
def articles(glossary):
    return {
        "short": ArticleFactory(title="Kết quả CCHC của tỉnh", sapo="Tóm tắt."),
        "long": ArticleFactory(
            title="Đẩy mạnh cải cách hành chính ở cơ sở", sapo="Tóm tắt."
        ),
        "tthc": ArticleFactory(title="Cắt giảm TTHC về đất đai", sapo="Tóm tắt."),
        "ubnd": ArticleFactory(
            title="Ủy ban nhân dân phường tiếp dân", sapo="Tóm tắt."
        ),
        "other": ArticleFactory(title="Hội nghị chuyển đổi số", sapo="Tóm tắt."),
    }


@pytest.mark.parametrize(
    "typed",
    [
        "CCHC",
        "cchc",
        "cải cách hành chính",
        "cai cach hanh chinh",
        '"cải cách hành chính"',
    ],
)
def test_abbreviation_and_meaning_find_each_other(client, articles, typed):
    titles = set(result_titles(search(client, q=typed)))
    assert titles == {articles["short"].title, articles["long"].title}


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("thu tuc hanh chinh dat dai", "tthc"),
        ("TTHC", "tthc"),
        ("UBND phường", "ubnd"),
        ("ubnd", "ubnd"),
        ("uỷ ban nhân dân", "ubnd"),
    ],
)
def test_other_glossary_entries_expand_too(client, articles, typed, found):
    assert result_titles(search(client, q=typed)) == [articles[found].title]


def test_a_word_outside_the_glossary_is_not_expanded(client, articles):
    assert result_titles(search(client, q="hành chính cơ sở")) == [
        articles["long"].title
    ]


def test_a_new_glossary_entry_is_used_at_once(client, articles):
    assert result_titles(search(client, q="CĐS")) == []
    GlossaryTerm.objects.create(abbreviation="CĐS", meaning="chuyển đổi số")
    assert result_titles(search(client, q="CĐS")) == [articles["other"].title]


def test_a_meaning_holding_another_entry_is_known_by_its_abbreviation():
    query = parse_query("chỉ số CCHC 2024", synonyms=Synonyms(GLOSSARY))
    text = "PAR INDEX, Chỉ số cải cách hành chính, chỉ số CCHC"
    assert str(highlight(text, query)) == (
        "<mark>PAR INDEX</mark>, <mark>Chỉ số cải cách hành chính</mark>, "
        "<mark>chỉ số CCHC</mark>"
    )


def test_the_synonym_is_highlighted_in_results(client, articles):
    html = search(client, q="cchc").content.decode()
    assert "<mark>cải cách hành chính</mark>" in html
