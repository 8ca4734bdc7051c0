"""news.search: words, documents, queries and highlighting (no database)."""

import unicodedata

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from news.search import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    clean_query_text,
    highlight,
    html_to_text,
    lexemes,
    parse_query,
    search_document,
    snippet,
)

NFD = "NFD"


def lexemes_of(document: str) -> dict[str, str]:
    """{lexeme: positions} of a tsvector literal."""
    result = {}
    for entry in document.split(" "):
        lexeme, positions = entry.rsplit(":", 1)
        result[lexeme.strip("'")] = positions
    return result


@pytest.mark.parametrize(
    "typed",
    ["da nang", "Đà Nẵng", "ĐÀ NẴNG", "đà nẵng", unicodedata.normalize(NFD, "Đà Nẵng")],
)
def test_every_spelling_of_da_nang_gives_the_same_folded_query(typed):
    assert parse_query(typed).tsquery() == "'da' & 'nang'"


def test_a_word_with_marks_has_a_folded_and_an_exact_lexeme():
    assert lexemes("Nẵng") == ("nang", "nẵng")
    assert lexemes(unicodedata.normalize(NFD, "NẴNG")) == ("nang", "nẵng")
    assert lexemes("Đ") == ("d", "đ")
    assert lexemes("PAR") == ("par",)


def test_document_weights_title_sapo_tags_body_and_shares_positions():
    document = lexemes_of(
        search_document(
            title="Đà Nẵng",
            sapo="Một cửa",
            body="<p>Hồ&nbsp;sơ</p>",
            tags=["Chuyển đổi số"],
            units=["Bộ Tư pháp"],
        )
    )
    assert document["da"] == document["đà"] == "3A"
    assert document["mot"] == document["một"] == "7B"
    assert document["chuyen"].endswith("C") and document["tu"].endswith("C")
    assert document["ho"] == document["hồ"] and document["ho"].endswith("D")


def test_document_leaves_a_gap_between_fields_so_no_phrase_spans_two():
    document = lexemes_of(search_document(title="một", sapo="cửa"))
    first = int(document["mot"][:-1])
    second = int(document["cua"][:-1])
    assert second - first > 1


def test_document_ignores_punctuation_emoji_and_over_long_words():
    document = lexemes_of(
        search_document(title="“Một cửa” 🎉 — " + "x" * 80 + " 2026!")
    )
    assert set(document) == {"mot", "một", "cua", "cửa", "2026"}


def test_document_quotes_are_sql_and_tsvector_safe():
    literal = search_document(title="O'Brien \\ test")
    assert "'o':" in literal and "'brien':" in literal
    assert "\\" not in literal


def test_html_to_text_keeps_words_of_adjacent_blocks_apart():
    assert html_to_text("<p>một</p><p>cửa &amp; hồ sơ</p>") == "một cửa & hồ sơ"


def test_quoted_phrase_becomes_an_ordered_tsquery():
    query = parse_query('"một cửa" hà nội')
    assert query.tsquery() == "('mot' <-> 'cua') & 'ha' & 'noi'"
    assert query.has_phrase
    assert query.exact_tsquery() == "'một' & 'cửa' & 'hà' & 'nội'"


@pytest.mark.parametrize("quote", ['"', "“"])
def test_typographic_and_unclosed_quotes_make_phrases(quote):
    assert parse_query(f"{quote}một cửa").tsquery() == "('mot' <-> 'cua')"


def test_words_joined_by_punctuation_are_a_phrase():
    assert parse_query("QĐ-BNV").tsquery() == "('qd' <-> 'bnv')"


def test_query_without_diacritics_has_no_exact_part():
    query = parse_query("da nang")
    assert query.exact_tsquery() is None
    assert query.adjacent_tsquery() == "'da' <-> 'nang'"


def test_any_word_mode_joins_terms_with_or():
    query = parse_query("đà nẵng", any_word=True)
    assert query.tsquery() == "'da' | 'nang'"
    assert query.adjacent_tsquery() is None


@pytest.mark.parametrize(
    ("typed", "unsearchable"),
    [
        ("", False),
        ("   ", False),
        ("\x00\x01", False),
        ("!!! ???", True),
        ("🎉🎉", True),
    ],
)
def test_input_without_letters_or_digits_has_no_terms(typed, unsearchable):
    query = parse_query(typed)
    assert not query
    assert query.unsearchable is unsearchable


def test_sql_looking_input_is_only_words():
    query = parse_query("'; DROP TABLE news_article; --")
    assert query.tsquery() == "'drop' & 'table' & ('news' <-> 'article')"


def test_long_input_is_cut_at_a_word_boundary():
    text, shortened = clean_query_text("cải cách " * 400)
    assert shortened
    assert len(text) <= MAX_QUERY_LENGTH
    assert text.endswith("cách")


def test_too_many_terms_are_cut():
    query = parse_query(" ".join(f"từ{n}" for n in range(40)))
    assert len(query.terms) == MAX_TERMS
    assert query.shortened


def test_control_characters_become_spaces():
    assert clean_query_text("đà\x00nẵng\u200b") == ("đà nẵng", False)


def test_highlight_marks_the_accented_original_and_escapes_the_rest():
    html = highlight("<b>ĐÀ NẴNG</b> và Đà  Nẵng", parse_query("da nang"))
    assert html == ("&lt;b&gt;<mark>ĐÀ NẴNG</mark>&lt;/b&gt; và <mark>Đà  Nẵng</mark>")


def test_highlight_marks_a_phrase_only_where_the_words_are_in_order():
    html = highlight("cửa một, rồi một cửa", parse_query('"một cửa"'))
    assert html == "cửa một, rồi <mark>một cửa</mark>"


def test_snippet_is_a_passage_around_the_first_match():
    body = " ".join(["chữ"] * 60) + " bộ phận một cửa " + " ".join(["từ"] * 60)
    passage = snippet(["Tóm tắt không liên quan.", body], parse_query("một cửa"))
    assert passage.startswith("… ") and passage.endswith(" …")
    assert "<mark>một cửa</mark>" in passage
    assert len(passage.split()) < 50


def test_snippet_falls_back_to_the_start_of_the_sapo():
    assert snippet(["Tóm tắt <ngắn>."], parse_query("zzz")) == "Tóm tắt &lt;ngắn&gt;."


@pytest.mark.django_db
@given(title=st.text(max_size=200), body=st.text(max_size=500), typed=st.text())
@hypothesis_settings(max_examples=80, deadline=None)
def test_any_text_makes_a_valid_tsvector_and_tsquery(title, body, typed):
    document = search_document(title=title, body=body)
    query = parse_query(typed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsvector", [document])
        if query:
            cursor.execute(
                "SELECT %s::tsvector @@ %s::tsquery", [document, query.tsquery()]
            )
