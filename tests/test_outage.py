"""Outages of PostgreSQL and Redis, with real servers the tests stop and start."""

import pytest

from tests.servers import (
    app_server,
    http_get,
    manage,
    own_postgres,
    own_redis,
    production_env,
    wait_for,
)

# Each test starts its own PostgreSQL and gunicorn; it does not use the test database.
pytestmark = pytest.mark.slow


def test_site_answers_503_while_postgres_is_down_and_recovers_by_itself():
    with own_postgres() as postgres:
        env = production_env(DATABASE_URL=postgres.url)
        manage("migrate", "--noinput", env=env)
        with app_server(env) as base_url:
            assert http_get(base_url + "/healthz") == (200, "ok")
            assert http_get(base_url + "/")[0] == 200

            postgres.stop()
            status, body = http_get(base_url + "/healthz")
            assert status == 503
            status, body = http_get(base_url + "/tin-tuc/")
            assert status == 503
            assert "tạm thời gián đoạn" in body
            assert "Traceback" not in body

            postgres.start()
            # No restart of gunicorn: the next requests reconnect.
            wait_for(lambda: http_get(base_url + "/healthz") == (200, "ok"), timeout=30)
            assert http_get(base_url + "/tin-tuc/")[0] == 200


def test_site_keeps_serving_from_the_database_when_redis_is_down():
    with own_postgres() as postgres, own_redis() as (redis_process, redis_url):
        env = production_env(DATABASE_URL=postgres.url, REDIS_URL=redis_url)
        manage("migrate", "--noinput", env=env)
        with app_server(env) as base_url:
            assert http_get(base_url + "/")[0] == 200
            redis_process.terminate()
            redis_process.wait(10)
            status, body = http_get(base_url + "/")
            assert status == 200
            assert "Cải cách hành chính" in body
