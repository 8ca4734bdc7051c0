"""What readers see: the words of the PAR INDEX pages, in both languages, read
as sentences. Templates are wrapped at 120 characters, and a line break in
the wrong place sends a space before a full stop or comma ("đơn vị này .")."""

import html
import re

import pytest

from parindex.models import Edition, Unit

pytestmark = pytest.mark.django_db

# A space before punctuation, except in figures (" .5") and the separators
# the pages write on purpose (" · ", " … ").
SPACE_BEFORE_PUNCTUATION = re.compile(r"\S\s+[;,.:)](?![\d.])")


def main_text(response) -> str:
    main = response.content.decode().split("<main", 1)[1].split("</main>")[0]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", "", main).split()))


def test_no_par_index_page_puts_a_space_before_punctuation(client, demo_site):
    english_groups = {"bo": "ministries", "tinh": "provinces"}
    paths = ["/chi-so-cchc/", "/en/par-index/", "/chi-so-cchc/phuong-phap/"]
    paths += ["/en/par-index/methods/", "/chi-so-cchc/dinh-chinh/"]
    paths += ["/chi-so-cchc/so-sanh/?don_vi=da-nang-2025&don_vi=ha-noi"]
    for unit in Unit.objects.order_by("slug"):
        paths += [
            f"/chi-so-cchc/don-vi/{unit.slug}/",
            f"/en/par-index/units/{unit.slug}/",
        ]
    for edition in Edition.objects.released():
        group = english_groups[edition.group]
        paths += [
            f"/chi-so-cchc/{edition.year}/{edition.group}/",
            f"/en/par-index/{edition.year}/{group}/",
        ]
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        if spots := SPACE_BEFORE_PUNCTUATION.findall(main_text(response)):
            found[path] = spots[:3]
    assert not found, found
