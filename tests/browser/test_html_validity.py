"""The Nu HTML Checker (vnu) finds no error on any public page type.

A second engine beside axe: it reads the HTML itself, and catches what axe
does not look at (ARIA attributes not allowed on an element, such as
`aria-label` on a plain `<span>`; an empty `action`; duplicate ids; bad
nesting). Each page is checked twice: as the server sends it (the parser
silently repairs some mistakes, which the browser's DOM then hides) and as
rendered after its scripts ran, at the phone and the desktop viewport.
Every unit profile is checked as served too: a defect may sit in what only
some units show (the aria-label on a `<span>` was on 80 of 114).
"""

import json
import os
import shutil
import subprocess

import pytest
from django.test import Client

from parindex.models import Unit
from tests.browser.conftest import DESKTOP_VIEWPORT, PHONE_VIEWPORT, node_tool
from tests.browser.test_accessibility import every_page_type

pytestmark = pytest.mark.django_db(transaction=True)


def java() -> str:
    found = shutil.which("java")
    if found is None:
        message = "java is missing (apt-get install default-jre-headless)"
        if os.environ.get("CCHC_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def nu_check(files: list) -> list[dict]:
    """The checker's messages on the files (one Java start for all of them)."""
    jar = node_tool("vnu-jar/build/dist/vnu.jar")
    result = subprocess.run(
        [java(), "-jar", str(jar), "--format", "json", "--also-check-svg"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    return json.loads(result.stderr)["messages"]


# A document with known errors, checked in the same run: the checker ran and
# reported on every file it was given, not only on none.
CANARY = (
    '<!doctype html><html lang="vi"><head><title>x</title></head><body>'
    '<form action=""><span aria-label="x">y</span></form></body></html>'
)


def describe(message: dict) -> str:
    where = message.get("url", "").rsplit("/", 1)[-1]
    return (
        f"{where}:{message.get('lastLine', '?')}: {message['type']}"
        f" {message.get('subType', '')}: {message['message']}"
        f"\n    {message.get('extract', '').strip()}"
    )


def test_every_public_page_type_is_valid_html_to_the_nu_checker(
    live_server, page, demo_site, tmp_path
):
    files = []
    pages = every_page_type()
    for viewport_name, viewport in {
        "phone": PHONE_VIEWPORT,
        "desktop": DESKTOP_VIEWPORT,
    }.items():
        page.set_viewport_size(viewport)
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            if viewport_name == "phone":
                served = tmp_path / f"{name}-served.html"
                served.write_bytes(response.body())
                files.append(served)
            rendered = tmp_path / f"{name}-rendered-{viewport_name}.html"
            rendered.write_text(page.content(), encoding="utf-8")
            files.append(rendered)
    client = Client()
    for unit in Unit.objects.order_by("slug"):
        served = tmp_path / f"unit-{unit.slug}-served.html"
        served.write_bytes(client.get(unit.get_absolute_url()).content)
        files.append(served)
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    files.append(canary)
    # The lineage chart is on the page checked, not only the unit's header.
    assert 'id="lich-su-hop-nhat"' in (
        tmp_path / "profile-successor-served.html"
    ).read_text(encoding="utf-8")

    messages = nu_check(files)
    assert {m["type"] for m in messages if m["url"].endswith("/canary.html")} == {
        "error",
        "info",
    }
    errors = [
        m
        for m in messages
        if m["type"] != "info" and not m["url"].endswith("/canary.html")
    ]
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(map(describe, errors))
