import unicodedata

import pytest

from cchc_portal.vietnamese import fold, nfc, slugify, strip_tones


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đẩy mạnh cải cách hành chính", "day-manh-cai-cach-hanh-chinh"),
        ("Điện Biên", "dien-bien"),
        ("Đà Nẵng", "da-nang"),
        ("Thừa Thiên Huế", "thua-thien-hue"),
        ("TP. Hồ Chí Minh", "tp-ho-chi-minh"),
        ("Bộ Lao động - Thương binh và Xã hội", "bo-lao-dong-thuong-binh-va-xa-hoi"),
        ("  Chỉ số CCHC 2023!  ", "chi-so-cchc-2023"),
    ],
)
def test_slugify_transliterates_vietnamese(text, slug):
    assert slugify(text) == slug


def test_slugify_gives_the_same_slug_for_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Đẩy mạnh cải cách hành chính")
    assert slugify(decomposed) == "day-manh-cai-cach-hanh-chinh"


def test_slugify_cuts_long_titles_on_a_clean_boundary():
    slug = slugify("Cải cách thủ tục hành chính " * 20, max_length=50)
    assert len(slug) <= 50
    assert not slug.endswith("-")


@pytest.mark.parametrize(
    "variant",
    [
        "Đà Nẵng",
        "ĐÀ NẴNG",
        "đà nẵng",
        "da nang",
        "DA  NANG",
        unicodedata.normalize("NFD", "Đà Nẵng"),
    ],
)
def test_fold_makes_every_spelling_of_a_name_equal(variant):
    assert fold(variant) == "da nang"


def test_strip_tones_keeps_case_and_maps_d_with_stroke():
    assert strip_tones("Đồng bằng sông Cửu Long") == "Dong bang song Cuu Long"


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Huế")
    assert decomposed != "Huế"
    assert nfc(decomposed) == "Huế"
