"""Every page type reflows at phone widths at every text-size step and at 200 %.

WCAG 1.4.10: no horizontal scrolling at 320 CSS px, except inside a labelled
table box (`.table-wrap`, a focusable region) or the phone menu row. The
site's own A−/A/A+ control is stepped through on each page, as a reader
does; 200 % browser zoom of a 1280 × 900 window is a 640 × 450 CSS viewport.
"""

import pytest

from news.models import Article, Tag
from tests.browser.test_accessibility import public_pages

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [320, 360, 412]
ZOOM_200 = {"width": 640, "height": 450}
STEPS = [-1, 0, 1, 2, 3]  # site.js MIN_STEP..MAX_STEP

# What spills past the right edge, outside the boxes that may scroll.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrollers = ".table-wrap, .primary-nav__list";
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(scrollers) && !el.matches(scrollers)) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) {
      wide.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
        + " " + Math.round(box.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def reflow_pages() -> dict[str, str]:
    pages = {
        name: path
        for name, path in public_pages().items()
        if name not in {"search-no-results"}
    }
    article = Article.objects.published().newest_first().first()
    tag = Tag.objects.filter(articles__in=[article]).first()
    published = article.published_at
    from django.utils import timezone

    month = timezone.localtime(published)
    pages.update(
        {
            "print": article.get_print_url(),
            "month": f"/tin-tuc/{month.year}/{month.month}/",
            "glossary": "/thuat-ngu/",
            "method": "/chi-so-cchc/phuong-phap/",
        }
    )
    if tag is not None:
        pages["tag"] = tag.get_absolute_url()
    return pages


def set_step(page, step: int) -> None:
    """Press the site's own buttons until the text-size step is `step`.

    The print view has no control: the step saved by the others applies there,
    so it is set as site.js sets it.
    """
    reset = page.get_by_role("button", name="Cỡ chữ mặc định")
    if not reset.is_visible():
        page.evaluate(
            "step => step"
            " ? document.documentElement.setAttribute('data-text-size', String(step))"
            " : document.documentElement.removeAttribute('data-text-size')",
            step,
        )
        return
    reset.click()
    name = "Tăng cỡ chữ" if step > 0 else "Giảm cỡ chữ"
    for _ in range(abs(step)):
        page.get_by_role("button", name=name).click()
    current = page.evaluate(
        "document.documentElement.getAttribute('data-text-size') || '0'"
    )
    assert current == str(step)


def skip_link_hidden(page) -> bool:
    return page.evaluate(
        """() => {
          const box = document.querySelector('.skip-link').getBoundingClientRect();
          return box.bottom <= 0 || box.right <= 0 || box.width <= 1;
        }"""
    )


def test_every_page_type_reflows_at_every_text_size_without_sideways_scrolling(
    live_server, page, demo_site
):
    page.set_default_timeout(5000)
    failures = []
    pages = reflow_pages()
    sizes = [{"width": width, "height": 740} for width in WIDTHS] + [ZOOM_200]
    for size in sizes:
        page.set_viewport_size(size)
        for name, path in pages.items():
            page.goto(live_server.url + path)
            for step in STEPS:
                set_step(page, step)
                found = page.evaluate(OVERFLOW)
                label = f"{name} at {size['width']} px, step {step}"
                if found["scroll"] > found["width"]:
                    failures.append(f"{label}: {found}")
                if not skip_link_hidden(page):
                    failures.append(f"{label}: the skip link shows")
            set_step(page, 0)
    assert not failures, "\n".join(failures)


def test_skip_link_appears_when_focused(live_server, page, demo_site):
    page.set_viewport_size({"width": 320, "height": 740})
    page.goto(live_server.url + "/")
    set_step(page, 3)
    page.goto(live_server.url + "/")
    assert skip_link_hidden(page)
    page.keyboard.press("Tab")
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["x"] + box["width"] <= 320


# Rows of the area tables: height in lines of the row's name.
ROW_LINES = """(label) => {
  const box = [...document.querySelectorAll('.table-wrap')]
    .find(el => el.getAttribute('aria-label').startsWith(label));
  return [...box.querySelectorAll('tbody tr')].map(row => {
    const name = row.querySelector('th');
    const line = parseFloat(getComputedStyle(name).lineHeight);
    return {lines: row.getBoundingClientRect().height / line,
            width: name.getBoundingClientRect().width};
  });
}"""


@pytest.mark.parametrize("width", [320, 360])
def test_area_tables_keep_area_names_readable_on_phones(
    live_server, page, demo_site, width
):
    page.set_viewport_size({"width": width, "height": 740})
    tables = {
        "/chi-so-cchc/don-vi/ha-noi/": "Điểm theo lĩnh vực so với trung bình nhóm",
        "/chi-so-cchc/so-sanh/?don_vi=ha-noi&don_vi=da-nang": "Chỉ số thành phần (%)",
    }
    for path, label in tables.items():
        page.goto(live_server.url + path)
        for step in (0, 3):
            set_step(page, step)
            rows = page.evaluate(ROW_LINES, label)
            assert rows, label
            # Before: 72 px names, rows up to 453 px tall (18 lines). The
            # height counts the cell padding (about half a line).
            tallest = max(row["lines"] for row in rows)
            limit = 6 if step == 0 else 9
            assert tallest <= limit, (
                f"{label} at {width} px, step {step}: {tallest:.1f}"
            )
            assert min(row["width"] for row in rows) >= 0.5 * width, label
            assert page.evaluate(OVERFLOW)["scroll"] <= width
        set_step(page, 0)


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) total += entry.value;
    }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("width", [360, 1280])
def test_text_size_buttons_cause_no_layout_shift(live_server, page, demo_site, width):
    page.set_viewport_size({"width": width, "height": 740})
    for path in ["/", "/chi-so-cchc/2024/tinh/"]:
        page.goto(live_server.url + path)
        # Before: the buttons appeared when site.js ran, CLS 0.055.
        assert page.evaluate(LAYOUT_SHIFT) < 0.01, path
