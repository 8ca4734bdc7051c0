"""Accessibility defects a second checker (HTML_CodeSniffer) found in the markup."""

import re
from collections import Counter

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/chi-so-cchc/",
    "/chi-so-cchc/2024/tinh/",
    "/chi-so-cchc/2023/bo/",
    "/chi-so-cchc/don-vi/ha-noi/",
    "/chi-so-cchc/don-vi/tuyen-quang-2025/",
    "/chi-so-cchc/so-sanh/?don_vi=ha-noi&don_vi=da-nang",
]


@pytest.mark.parametrize("url", PAGES)
def test_no_aria_label_on_a_plain_span_and_no_empty_form_action(demo, client, url):
    html = client.get(url).content.decode()
    # aria-label is not read on an element without a role (WCAG 4.1.2).
    assert not re.findall(r"<span(?![^>]*\brole=)[^>]*\baria-label=", html)
    assert 'action=""' not in html


def test_missing_change_is_said_in_words_without_aria_label(demo, client):
    html = client.get("/chi-so-cchc/2024/tinh/").content.decode()
    assert "không có số liệu so sánh" in html or "mới" in html


def test_text_size_buttons_names_start_with_their_visible_text(client, db):
    html = client.get("/").content.decode()
    buttons = re.findall(
        r'<button type="button" data-text-size="\w+" '
        r'aria-label="([^"]+)"[^>]*>([^<]+)<',
        html,
    )
    assert len(buttons) == 3
    for name, visible in buttons:
        assert name.startswith(visible + " "), (name, visible)


def test_overview_names_each_table_region_and_heading_once(demo, client):
    html = client.get("/chi-so-cchc/").content.decode()
    labels = Counter(re.findall(r'role="region"\s+aria-label="([^"]+)"', html))
    assert labels and max(labels.values()) == 1, labels
    headings = Counter(
        re.sub(r"\s+", " ", h).strip()
        for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html, re.S)
    )
    assert max(headings.values()) == 1, headings
    assert "Dẫn đầu: Tỉnh" in html or "Dẫn đầu: " in html


def test_ranking_filter_form_posts_back_to_its_own_page(demo, client):
    html = client.get("/chi-so-cchc/2024/tinh/").content.decode()
    assert (
        '<form class="filter-form" method="get" action="/chi-so-cchc/2024/tinh/">'
        in html
    )
