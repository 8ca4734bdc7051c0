"""Playwright set-up for Debian's Chromium (`playwright install` cannot run here)."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

# pytest-django's live_server runs in a thread while sync Playwright owns an
# event loop in the test thread; ORM calls from the test need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}


BROWSER_TESTS_DIR = os.path.dirname(__file__)
# The page checkers pinned in package.json, installed by `make install-dev`.
NODE_MODULES = Path(BROWSER_TESTS_DIR).parents[1] / "node_modules"


def node_tool(path: str) -> Path:
    """A file of an npm package from package.json; skip (fail in CI) without it."""
    found = NODE_MODULES / path
    if not found.exists():
        message = f"{found} is missing: run `make install-dev` (needs npm)"
        if os.environ.get("CCHC_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return found


# Full-page screenshots for people to look at (git-ignored).
SCREENSHOTS = Path(BROWSER_TESTS_DIR) / "screenshots"


def pytest_collection_modifyitems(config, items):
    """Mark everything here `browser`; skip it when Chromium is absent (unless CI)."""
    browser_items = [
        item for item in items if str(item.path).startswith(BROWSER_TESTS_DIR)
    ]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if shutil.which(CHROMIUM_PATH) or os.path.exists(CHROMIUM_PATH):
        return
    if os.environ.get("CCHC_REQUIRE_BROWSER"):
        raise pytest.UsageError(
            f"CCHC_REQUIRE_BROWSER is set but {CHROMIUM_PATH} is missing"
        )
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM_PATH} not installed (apt-get install chromium)"
    )
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(params=["phone", "desktop"])
def viewport_name(request):
    """Run a journey once at a phone viewport and once at a desktop one."""
    return request.param


@pytest.fixture
def page_at_viewport(page, viewport_name):
    page.set_viewport_size(
        PHONE_VIEWPORT if viewport_name == "phone" else DESKTOP_VIEWPORT
    )
    return page


@pytest.fixture
def shoot(viewport_name):
    """Save a full-page screenshot named after the page and the viewport."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(
            path=SCREENSHOTS / f"{name}-{viewport_name}.png", full_page=True
        )

    return take


def watch_csp(context, violations: list[str]) -> None:
    """Record the CSP violations any page of a browser context (popups
    included) reports on its console."""

    def record(message):
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    context.on("console", record)


@pytest.fixture
def csp_violations() -> list[str]:
    return []


@pytest.fixture(autouse=True)
def fail_on_csp_violations(request):
    """Pages opened by a browser test must load without CSP violations."""
    if "page" not in request.fixturenames:
        yield
        return
    violations = request.getfixturevalue("csp_violations")
    watch_csp(request.getfixturevalue("page").context, violations)
    yield
    assert not violations, violations


@pytest.fixture
def new_page(request, browser, csp_violations):
    """Open a page in a new browser context (its own cookies, like another
    person's browser) at the test's viewport, watched for CSP violations.
    Context options (e.g. java_script_enabled=False) pass through."""
    contexts = []

    def open_page(**context_args):
        if "viewport_name" in request.fixturenames:
            phone = request.getfixturevalue("viewport_name") == "phone"
            context_args.setdefault(
                "viewport", PHONE_VIEWPORT if phone else DESKTOP_VIEWPORT
            )
        context = browser.new_context(**context_args)
        contexts.append(context)
        watch_csp(context, csp_violations)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def playwright(django_db_setup):
    """pytest-playwright's fixture, with Django's connections closed around it.

    Playwright's sync API runs an event loop in the test thread, and Django then
    keeps its connections in a separate context: a connection opened before that
    loop started would stay open, unused, and make the test database teardown
    fail ("being accessed by other users") at the end of the run. Depending on
    django_db_setup makes this start after, and stop before, the test database.
    """
    from playwright.sync_api import sync_playwright

    _close_idle_connections()
    driver = sync_playwright().start()
    yield driver
    _close_idle_connections()
    driver.stop()


def _close_idle_connections():
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
