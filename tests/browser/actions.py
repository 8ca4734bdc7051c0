"""What people do in the browser, shared by the browser tests."""

from tests.factories import PASSWORD


def log_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in to the admin through its login page."""
    page.goto(live_server.url + "/quan-tri/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/quan-tri/")


def pick(page, select_id: str, search: str, option_text: str) -> None:
    """Choose in an admin autocomplete (select2) the way an editor does."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    field = page.locator(
        f"#{select_id} + .select2 .select2-search__field, "
        ".select2-dropdown .select2-search__field"
    ).first
    field.fill(search)
    page.locator(".select2-results__option", has_text=option_text).first.click()


def fits_the_screen(page) -> bool:
    """Nothing spills sideways: the page never scrolls horizontally."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
