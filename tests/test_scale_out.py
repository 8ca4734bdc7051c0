"""Two app servers sharing PostgreSQL and Redis: a publish through one is seen
at once through the other, including pages the other had already cached."""

import re

import pytest
import requests

from tests.servers import app_server, manage, own_postgres, own_redis, production_env

pytestmark = pytest.mark.slow

SETUP = """
from django.utils import timezone
from news.models import Article, Category
from tests.factories import ReviewerFactory
ReviewerFactory(username="duyetbai", password="mat-khau-thu-nghiem-2026")
category = Category.objects.create(name="Tin tức", slug="tin-tuc")
article = Article.objects.create(
    title="Tin công bố qua máy chủ thứ nhất", slug="tin-cong-bo", sapo="Tóm tắt.",
    body="<p>Nội dung.</p>", category=category, status=Article.Status.PENDING,
    byline="Huyền Anh",
)
print(article.pk)
"""


def log_in(session: requests.Session, base_url: str) -> None:
    page = session.get(f"{base_url}/quan-tri/login/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = session.post(
        f"{base_url}/quan-tri/login/?next=/quan-tri/",
        data={
            "csrfmiddlewaretoken": token,
            "username": "duyetbai",
            "password": "mat-khau-thu-nghiem-2026",
        },
        headers={"Referer": f"{base_url}/quan-tri/login/"},
    )
    assert response.url.endswith("/quan-tri/"), response.text[:500]


def test_publish_through_one_server_shows_at_once_on_the_other():
    with own_postgres() as postgres, own_redis() as (_, redis_url):
        env = production_env(
            DATABASE_URL=postgres.url, REDIS_URL=redis_url, DJANGO_PAGE_CACHE_HEADER="1"
        )
        manage("migrate", "--noinput", env=env)
        article_id = manage("shell", "-c", SETUP, env=env).strip().splitlines()[-1]
        article_url = f"/tin-tuc/tin-cong-bo-{article_id}/"

        with app_server(env) as first, app_server(env) as second:
            # The second server caches the home page and the (missing) article.
            assert (
                "Tin công bố qua máy chủ thứ nhất"
                not in requests.get(second + "/").text
            )
            assert requests.get(second + "/").headers["X-Page-Cache"] == "HIT"
            assert requests.get(second + article_url).status_code == 404

            editor = requests.Session()
            log_in(editor, first)
            changelist = editor.get(f"{first}/quan-tri/news/article/").text
            token = re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', changelist
            ).group(1)
            published = editor.post(
                f"{first}/quan-tri/news/article/",
                data={
                    "csrfmiddlewaretoken": token,
                    "action": "publish_selected",
                    "_selected_action": article_id,
                },
                headers={"Referer": f"{first}/quan-tri/news/article/"},
            )
            assert published.status_code == 200

            home = requests.get(second + "/")
            assert "Tin công bố qua máy chủ thứ nhất" in home.text
            assert requests.get(second + article_url).status_code == 200
