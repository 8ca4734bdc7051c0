"""Every admin page the roles use speaks Vietnamese and writes one date format.

The pages are found by following the links each role sees from the admin
index (lists, add forms, the first object of each list, its history and the
article's version page), plus the list filters with counts and a form sent
with an error. The page text, tooltips and accessible names are searched for
strings Django and the admin's add-ons leave in English (or in odd
Vietnamese) when no catalog covers them; locale/vi/LC_MESSAGES does.
"""

import html
import json
import re

import pytest
from django.contrib.auth import get_user_model

from news.roles import EDITOR, REVIEWER
from parindex.roles import DATA_OFFICER, DATA_REVIEWER
from tests.factories import ArticleFactory, TagFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

KNOWN_ENGLISH = [
    "Please correct the error",
    "Please correct the errors",
    "Error:",
    "Show counts",
    "Hide counts",
    "Skip to main content",
    "Toggle theme",
    "Breadcrumbs",
    "Toggle navigation",
    "Sidebar",
    "Filter navigation items",
    "Model name",
    "Add link",
    "Change or view list link",
    "Select all objects on this page",
    "Select this object for an action",
    "Access attempts",
    "Access logs",
    "Access failures",
    "Attempt Time",
    "IP Address",
    "User Agent",
    "Logout Time",
    "Locked Out",
    "Axes",
    "Change history",
    "Changed by",
    "Change reason",
    "Date/time",
    "Edit token",
    "Hero image pending",
    "Forgotten your login",
    "View selected",
    # Odd Vietnamese in Django's own catalog.
    "Bản ghi nhớ",
    "BẢN GHI NHỚ",
    "Thêm vào tin bài",
    "Đi đến",  # "Go", the action button
    "của 1 được chọn",
]
# "14:53 01/12/2026": the time before the date (the portal writes 01/12/2026 14:53).
TIME_FIRST = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})? \d{1,2}/\d{1,2}/\d{4}\b")
SKIPPED = re.compile(r"/(delete|logout|password_change/done|jsi18n|autocomplete)/")
ADMIN_LINK = re.compile(r'href="(/quan-tri/[^"#?]*)"')


def shown_text(page: str) -> str:
    """What a person reads or hears: text, tooltips, accessible names."""
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    parts = re.findall(r">([^<]+)<", page)
    parts += re.findall(r'(?:title|aria-label|placeholder)="([^"]*)"', page)
    parts += re.findall(r'type="submit"[^>]*value="([^"]*)"', page)
    return "\n".join(html.unescape(part) for part in parts)


def english_on(page: str) -> list[str]:
    text = shown_text(page)
    found = [phrase for phrase in KNOWN_ENGLISH if phrase in text]
    return found + TIME_FIRST.findall(text)


def crawl(client) -> dict[str, str]:
    """Admin pages reachable from the index in two steps, by their URL."""
    pages: dict[str, str] = {}
    queue = ["/quan-tri/"]
    while queue and len(pages) < 80:
        url = queue.pop(0)
        if url in pages or SKIPPED.search(url):
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
        depth = url.rstrip("/").count("/")
        if depth > 4:
            continue  # an object's page: its links lead to more of the same
        for link in ADMIN_LINK.findall(pages[url]):
            if link not in pages and link not in queue:
                queue.append(link)
    return pages


@pytest.fixture
def content(db):
    tag = TagFactory(name="Một cửa")
    UnitFactory(name="Tỉnh Thử Nghiệm")
    article = ArticleFactory(title="Tin về một cửa", tags=[tag])
    article.title = "Tin về bộ phận một cửa"
    article.save()
    return article


@pytest.mark.parametrize(
    "role", [EDITOR, REVIEWER, DATA_OFFICER, DATA_REVIEWER, "superuser"]
)
def test_every_admin_page_a_role_uses_is_in_vietnamese(client, content, role):
    if role == "superuser":
        user = get_user_model().objects.create_superuser(
            "quantri", "quantri@example.gov.vn", "mat-khau-quan-tri-2026"
        )
    else:
        user = UserFactory(roles=[role])
    client.force_login(user)
    pages = crawl(client)
    version = content.history.order_by("history_id").first()
    for url in (
        f"/quan-tri/news/article/{content.pk}/history/",
        f"/quan-tri/news/article/{content.pk}/history/{version.history_id}/",
        "/quan-tri/news/article/?_facets=True",
    ):
        response = client.get(url)
        if response.status_code == 200:
            pages[url] = response.content.decode()
    if user.has_perm("news.add_tag"):
        refused = client.post("/quan-tri/news/tag/add/", {"name": "", "slug": ""})
        assert refused.status_code == 200
        pages["tag form with an error"] = refused.content.decode()
        assert (
            "Hãy sửa các lỗi được đánh dấu bên dưới." in pages["tag form with an error"]
        )
    assert len(pages) > 5

    english = {url: found for url, page in pages.items() if (found := english_on(page))}

    assert english == {}


def test_the_editor_dialogs_and_admin_scripts_get_vietnamese_words(admin_client):
    response = admin_client.get("/quan-tri/jsi18n/")
    catalog = json.loads(
        re.search(
            r"const newcatalog = (\{.*?\});", response.content.decode(), re.S
        ).group(1)
    )
    assert catalog["Edit Link"] == "Sửa liên kết"
    assert catalog["Update"] == "Cập nhật"
    assert catalog["Insert Table"] == "Chèn bảng"
    assert catalog["%(sel)s of %(cnt)s selected"] == ["Đã chọn %(sel)s trên %(cnt)s"]


def po_entries(path) -> dict:
    """{msgid or (msgctxt, msgid): msgstr} of a .po file as written here
    (one line per string; plural entries keyed by their singular)."""
    entries = {}
    for block in path.read_text().split("\n\n"):
        line = r'^(msgctxt|msgid|msgstr(?:\[0\])?) "(.*)"$'
        fields = dict(re.findall(line, block, re.M))
        if fields.get("msgid"):
            key = fields["msgid"]
            if "msgctxt" in fields:
                key = f"{fields['msgctxt']}\x04{key}"
            value = fields.get("msgstr", fields.get("msgstr[0]"))
            entries[key.replace('\\"', '"')] = value.replace('\\"', '"')
    return entries


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_mo_files_match_their_po_files(domain):
    import gettext

    from django.conf import settings

    folder = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES"
    with open(folder / f"{domain}.mo", "rb") as file:
        compiled = gettext.GNUTranslations(file)
    catalog = {
        (key if isinstance(key, str) else key[0]): value
        for key, value in compiled._catalog.items()
        if key != "" and (isinstance(key, str) or key[1] == 0)
    }
    assert po_entries(folder / f"{domain}.po") == catalog, "run `make messages`"
