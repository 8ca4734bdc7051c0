"""Keyboard use and meaning beyond colour on the home, article and ranking pages.

Tabbing must reach every control once, in the order of the page (skip link,
header, language switch, search, text size, navigation, content, footer), and
each control must look different when it has focus. Sortable headers say how
the table is sorted, charts have a text alternative and a table, and tiers and
changes carry text or symbols as well as colour.
"""

import pytest
from playwright.sync_api import expect

from news.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

# Everything a browser may put in the tab order; tabbable() below keeps the
# ones that really are (enabled, shown, not tabindex=-1, not in closed details).
TABBABLE_JS = """
() => {
  const candidates = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]'
  );
  const focusStyle = (el) => {
    const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | ');
  };
  const region = (el) => {
    if (el.matches('.skip-link')) return 'skip link';
    if (el.closest('.brand')) return 'home link';
    if (el.closest('.language-switch')) return 'language';
    if (el.closest('.site-header .search-form')) return 'search';
    if (el.closest('[data-text-size-control]')) return 'text size';
    if (el.closest('.primary-nav')) return 'navigation';
    if (el.closest('main')) return 'content';
    if (el.closest('.site-footer')) return 'footer';
    return 'elsewhere';
  };
  const tabbable = [...candidates].filter((el) => {
    if (el.disabled || el.tabIndex < 0) return false;
    const closed = el.parentElement && el.parentElement.closest('details:not([open])');
    if (closed && !(el.matches('summary') && el.parentElement === closed)) return false;
    const style = getComputedStyle(el);
    return style.visibility === 'visible' && el.getClientRects().length > 0;
  });
  return tabbable.map((el, index) => {
    el.dataset.tabIndexProbe = index;
    return {
      region: region(el),
      label: (el.getAttribute('aria-label') || el.textContent || el.name || el.tagName)
        .trim().slice(0, 40),
      unfocused: focusStyle(el),
    };
  });
}
"""

FOCUSED_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.dataset.tabIndexProbe === undefined) {
    return null;
  }
  const s = getComputedStyle(el);
  return {
    index: Number(el.dataset.tabIndexProbe),
    focused: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | '),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    shadow: s.boxShadow !== 'none',
  };
}
"""

PAGE_ORDER = [
    "skip link",
    "home link",
    "language",
    "search",
    "text size",
    "navigation",
    "content",
    "footer",
]


def tab_through(page) -> None:
    """Press Tab from the top of the page to its end, checking every stop."""
    controls = page.evaluate(TABBABLE_JS)
    assert controls, page.url
    visited = []
    for _ in range(len(controls) + 1):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED_JS)
        if stop is None or (visited and stop["index"] == visited[0]):
            break
        visited.append(stop["index"])
        control = controls[stop["index"]]
        # A visible focus indicator: an outline or ring that is not there
        # when the control does not have focus.
        assert stop["outline"] or stop["shadow"], (page.url, control)
        assert stop["focused"] != control["unfocused"], (page.url, control)

    # Every control, once, in the order of the page.
    assert visited == list(range(len(controls))), [
        controls[index]["label"] for index in visited
    ]
    regions = []
    for control in controls:
        if not regions or regions[-1] != control["region"]:
            regions.append(control["region"])
    assert regions == PAGE_ORDER, (page.url, regions)


def test_keyboard_reaches_every_control_in_order_with_a_visible_focus(
    live_server, page_at_viewport, demo_site
):
    page = page_at_viewport
    article = Article.objects.published().get(slug__startswith="da-nang")
    for path in ["/", article.get_absolute_url(), "/chi-so-cchc/2024/tinh/"]:
        page.goto(live_server.url + path)
        tab_through(page)

    # The skip link, first in line, takes keyboard users to the content.
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#noi-dung")).to_be_focused()


def test_ranking_says_its_order_describes_its_charts_and_uses_more_than_colour(
    live_server, page, demo_site
):
    page.goto(live_server.url + "/chi-so-cchc/2024/tinh/")

    # Sortable headers: aria-sort on the sorted column only, and link names
    # that tell the current order and what a click does.
    sorted_header = page.locator("th[aria-sort]")
    expect(sorted_header).to_have_count(1)
    expect(sorted_header).to_have_attribute("aria-sort", "ascending")
    expect(
        page.get_by_role(
            "link", name="Xếp hạng (đang sắp xếp tăng dần; bấm để sắp xếp giảm dần)"
        )
    ).to_be_visible()
    by_total = page.get_by_role(
        "link", name="Tổng điểm (bấm để sắp xếp giảm dần)", exact=True
    )
    by_total.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=total")
    sorted_header = page.locator("th[aria-sort]")
    expect(sorted_header).to_have_attribute("aria-sort", "descending")
    expect(sorted_header).to_contain_text("Tổng điểm")
    expect(
        page.get_by_role(
            "link", name="Tổng điểm (đang sắp xếp giảm dần; bấm để sắp xếp tăng dần)"
        )
    ).to_be_visible()

    # Tiers are letters, changes are arrows with words, not only colours.
    tiers = page.locator("tbody .tier")
    expect(tiers.first).to_be_visible()
    for code in tiers.all_inner_texts():
        assert code.strip() in {"A", "B", "C"}
    ups, downs = page.locator("tbody .delta--up"), page.locator("tbody .delta--down")
    expect(ups.first).to_be_visible()
    expect(downs.first).to_be_visible()
    for text in ups.all_text_contents():
        assert "▲" in text and "tăng" in text, text
    for text in downs.all_text_contents():
        assert "▼" in text and "giảm" in text, text

    # The chart opens from the keyboard; it is an image with a name and a
    # description, beside the table that holds the same numbers.
    summary = page.get_by_text("Hiện biểu đồ")
    summary.focus()
    page.keyboard.press("Enter")
    chart = page.get_by_role("img", name="Chỉ số (%) theo đơn vị, PAR INDEX 2024")
    expect(chart.first).to_be_visible()
    assert chart.first.evaluate("svg => svg.querySelector('desc').textContent.trim()")
    expect(
        page.get_by_role("table", name="Bảng xếp hạng PAR INDEX 2024")
    ).to_be_visible()

    # A unit's profile: every chart is named and its section has a captioned
    # table with the figures.
    page.goto(live_server.url + "/chi-so-cchc/don-vi/ha-noi/")
    charts = page.locator("svg[role=img]")
    expect(charts.first).to_be_visible()
    for index in range(charts.count()):
        chart = charts.nth(index)
        name = chart.evaluate(
            "svg => svg.getAttribute('aria-labelledby').split(' ')"
            ".map(id => document.getElementById(id).textContent.trim()).join(' ')"
        )
        assert name.strip(), index
        assert chart.evaluate(
            "svg => !!svg.closest('section').querySelector('table caption')"
        ), name
