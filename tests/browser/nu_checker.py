"""The Nu HTML Checker (vnu), run by test_accessibility.py on every public page type.

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
import warnings

import pytest
from django.test import Client

from parindex.models import Unit
from tests.browser.conftest import NODE_MODULES

JAR = "vnu-jar/build/dist/vnu.jar"


def missing() -> str:
    """Why the checker cannot run here ("" when it can); in CI it must."""
    jar = NODE_MODULES / JAR
    if not jar.exists():
        message = f"{jar} is missing: run `make install-dev` (needs npm)"
    elif shutil.which("java") is None:
        message = "java is missing (apt-get install default-jre-headless)"
    else:
        return ""
    if os.environ.get("CCHC_REQUIRE_BROWSER"):
        pytest.fail(message)
    return message


def nu_check(files: list) -> list[dict]:
    """The checker's messages on the files (one Java start for all of them)."""
    result = subprocess.run(
        ["java", "-jar", str(NODE_MODULES / JAR), "--format", "json"]
        + ["--also-check-svg", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    return json.loads(result.stderr)["messages"]


# A document with known errors, checked in the same run: proves the checker
# ran and reports what it finds (an empty report alone proves neither).
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


def nu_errors(files: list, folder) -> list[str]:
    """The checker's errors on the files, described (notes and warnings left
    out); skipped with a warning where the checker is not installed."""
    if reason := missing():
        warnings.warn(f"Nu HTML Checker not run: {reason}", stacklevel=2)
        return []
    canary = folder / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    messages = nu_check([*files, canary])
    assert {m["type"] for m in messages if m["url"].endswith("/canary.html")} == {
        "error",
        "info",
    }
    return [
        describe(m)
        for m in messages
        if m["type"] != "info" and not m["url"].endswith("/canary.html")
    ]


def save_unit_profiles(folder) -> list:
    """Every unit profile as served, into `folder` (no browser needed)."""
    client = Client()
    files = []
    for unit in Unit.objects.order_by("slug"):
        served = folder / f"unit-{unit.slug}-served.html"
        served.write_bytes(client.get(unit.get_absolute_url()).content)
        files.append(served)
    return files
