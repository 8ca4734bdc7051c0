"""Playwright set-up for Debian's Chromium (`playwright install` cannot run here)."""

import os
import shutil

import pytest

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


@pytest.fixture(autouse=True)
def fail_on_csp_violations(request):
    """Pages opened by a browser test must load without CSP violations."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = []

    def record(message):
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", record)
    yield
    assert not violations, violations


@pytest.fixture(scope="session", autouse=True)
def end_leftover_database_sessions(django_db_setup, django_db_blocker):
    """End test-database sessions left open by other contexts before it is dropped.

    Sync Playwright runs tests inside greenlets and Django keeps a connection
    per context, so a connection opened on one side of that switch is never
    closed by the other; PostgreSQL then refuses to drop the test database
    ("being accessed by other users") at the end of the run.
    """
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
