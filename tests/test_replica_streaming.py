"""The read replica on a real streaming replica (Debian's PostgreSQL 15).

A primary and a replica made with `pg_basebackup -R`, on free loopback ports;
gunicorn with DATABASE_REPLICA_URL pointing at the replica. Skipped with a
note where the binaries are missing; `.ci/run` installs them and sets
CCHC_REQUIRE_PG_BINARIES=1, which turns the skip into a failure.
"""

import os
import re

import pytest
import requests

from tests.servers import (
    app_server,
    manage,
    pg_binaries_missing,
    production_env,
    streaming_pair,
    wait_for,
)
from tests.test_scale_out import SETUP, log_in

pytestmark = pytest.mark.slow

TITLE = "Tin công bố qua máy chủ thứ nhất"
PRIMARY_ONLY_TITLE = "Tiêu đề chỉ có trên máy chủ chính"


@pytest.fixture
def pair():
    missing = pg_binaries_missing()
    if missing:
        if os.environ.get("CCHC_REQUIRE_PG_BINARIES"):
            pytest.fail(f"CCHC_REQUIRE_PG_BINARIES is set but {missing}")
        pytest.skip(missing)
    with streaming_pair() as (primary, replica):
        yield primary, replica


def anonymous(url: str) -> requests.Response:
    response = requests.get(url, timeout=10)
    assert response.status_code == 200, response.text[:300]
    return response


def publish(base_url: str, article_id: str) -> None:
    editor = requests.Session()
    log_in(editor, base_url)
    changelist = editor.get(f"{base_url}/quan-tri/news/article/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', changelist)
    response = editor.post(
        f"{base_url}/quan-tri/news/article/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "action": "publish_selected",
            "_selected_action": article_id,
        },
        headers={"Referer": f"{base_url}/quan-tri/news/article/"},
    )
    assert "Đã xuất bản 1 tin bài" in response.text


def test_pages_read_the_replica_only_once_it_replayed_the_change(pair):
    primary, replica = pair
    primary.sql("CREATE DATABASE cchc")
    env = production_env(
        DATABASE_URL=primary.url("cchc"),
        DATABASE_REPLICA_URL=replica.url("cchc"),
        # Every anonymous page is rendered, so each one reads a database.
        DJANGO_PAGE_CACHE_SECONDS="0",
    )
    manage("migrate", "--noinput", "-v", "0", env=env)
    article_id = manage("shell", "-c", SETUP, env=env).strip().splitlines()[-1]
    count = "SELECT count(*) FROM news_article WHERE status = 'published'"
    on_replica = f"SELECT title FROM news_article WHERE id = {article_id}"
    wait_for(lambda: replica.sql(on_replica, "cchc") == TITLE, timeout=30)

    with app_server(env) as base_url:
        article_url = f"{base_url}/tin-tuc/tin-cong-bo-{article_id}/"
        assert TITLE not in anonymous(base_url + "/").text

        # Replay paused: the replica never sees the publication...
        replica.sql("SELECT pg_wal_replay_pause()")
        wait_for(
            lambda: replica.sql("SELECT pg_get_wal_replay_pause_state()") == "paused"
        )
        publish(base_url, article_id)
        assert primary.sql(count, "cchc") == "1"
        assert replica.sql(count, "cchc") == "0"
        # ...so anonymous pages read the primary, which has it.
        for _ in range(3):
            assert TITLE in anonymous(base_url + "/").text
            assert TITLE in anonymous(article_url).text

        replica.sql("SELECT pg_wal_replay_resume()")
        wait_for(lambda: replica.sql(count, "cchc") == "1", timeout=30)

        # Caught up, the replica serves: a change made on the primary behind
        # the app's back (no position recorded) stays invisible while replay
        # is paused again, which only a page read from the replica can show.
        replica.sql("SELECT pg_wal_replay_pause()")
        primary.sql(
            f"UPDATE news_article SET title = '{PRIMARY_ONLY_TITLE}' "
            f"WHERE id = {article_id}",
            "cchc",
        )
        page = anonymous(article_url).text
        assert TITLE in page and PRIMARY_ONLY_TITLE not in page
        replica.sql("SELECT pg_wal_replay_resume()")

        # The replica stops: the site keeps serving, from the primary.
        replica.stop()
        for _ in range(3):
            assert PRIMARY_ONLY_TITLE in anonymous(article_url).text
            assert anonymous(base_url + "/tin-tuc/").ok
        assert requests.get(base_url + "/healthz", timeout=10).text == "ok"
