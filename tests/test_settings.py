"""Settings come from the environment; production refuses to start half-configured."""

import gc
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A DATABASE_URL that is never connected to: these tests only load settings.
UNUSED_DATABASE = "postgres://nobody@127.0.0.1:1/none"
README = (ROOT / "README.md").read_text()


def run_python(*args, **env):
    """Run Python in a fresh interpreter with only these project variables."""
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    clean_env.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly these variables."""
    return run_python(
        "-c",
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.CACHES['default']['BACKEND'], "
        "s.DATABASES['default']['HOST'], s.TIME_ZONE, s.LANGUAGE_CODE)",
        DJANGO_SETTINGS_MODULE="cchc_portal.settings",
        **env,
    )


PRINT_DEBUG = "from django.conf import settings; print(settings.DEBUG)"


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "cchc.example.gov.vn"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 50}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_naming_the_missing_variable(env, missing):
    result = load_settings(DATABASE_URL=UNUSED_DATABASE, **env)
    assert result.returncode != 0
    assert missing in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_wsgi_server_never_defaults_to_development_mode():
    result = run_python("-c", "import cchc_portal.wsgi", DATABASE_URL=UNUSED_DATABASE)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_manage_py_in_a_bare_checkout_runs_in_development_mode():
    result = run_python(
        "manage.py",
        "shell",
        "--no-imports",
        "-c",
        PRINT_DEBUG,
        DATABASE_URL=UNUSED_DATABASE,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    assert "development mode" in result.stderr


def test_manage_py_with_part_of_a_production_environment_still_refuses():
    result = run_python(
        "manage.py",
        "shell",
        "-c",
        PRINT_DEBUG,
        DATABASE_URL=UNUSED_DATABASE,
        DJANGO_SECRET_KEY="x" * 50,
    )
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_production_settings_load_with_secret_and_hosts():
    result = load_settings(
        DATABASE_URL=UNUSED_DATABASE,
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="cchc.example.gov.vn",
    )
    assert result.returncode == 0, result.stderr
    debug, cache_backend, host, time_zone, language = result.stdout.split()
    assert debug == "False"
    assert cache_backend.endswith("LocMemCache")
    assert host == "127.0.0.1"
    assert (time_zone, language) == ("Asia/Ho_Chi_Minh", "vi")


def test_redis_url_switches_the_cache_to_redis():
    result = load_settings(
        DATABASE_URL=UNUSED_DATABASE,
        DJANGO_DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "django_redis.cache.RedisCache"


def test_deployment_checklist_is_clean_under_production_variables():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_URL"))
    }
    env.update(
        DJANGO_SECRET_KEY="k3Y-" + "a8Zq" * 14,
        DJANGO_ALLOWED_HOSTS="cchc.example.gov.vn",
        DJANGO_HTTPS="1",
        DJANGO_STATIC_MANIFEST="1",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_replica_url_adds_a_mirrored_replica_and_its_router():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; "
            "print(s.DATABASES['replica']['HOST'], s.DATABASES['replica']['TEST'], "
            "s.DATABASE_ROUTERS)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cchc_portal.settings",
            "DATABASE_URL": UNUSED_DATABASE,
            "DATABASE_REPLICA_URL": "postgres://reader@10.0.0.2:5432/cchc",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    router = "cchc_portal.runtime.replica.ReplicaRouter"
    assert f"10.0.0.2 {{'MIRROR': 'default'}} ['{router}']" in result.stdout


def gunicorn_config(**env) -> dict:
    """The values cchc_portal/gunicorn.conf.py sets under these variables."""
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "REDIS_URL",
            "WEB_CONCURRENCY",
            "GUNICORN_THREADS",
            "GUNICORN_MAX_REQUESTS",
        }
    }
    with mock.patch.dict(os.environ, {**clean_env, **env}, clear=True):
        return runpy.run_path(str(ROOT / "cchc_portal" / "gunicorn.conf.py"))


def test_without_redis_one_gunicorn_worker_serves_so_no_cache_goes_stale(capsys):
    config = gunicorn_config(WEB_CONCURRENCY="4")
    assert (config["workers"], config["threads"]) == (1, 8)
    assert "REDIS_URL is not set" in capsys.readouterr().err


def test_a_lone_gunicorn_worker_is_never_recycled_so_the_site_never_stalls():
    assert gunicorn_config()["max_requests"] == 0
    assert gunicorn_config(GUNICORN_MAX_REQUESTS="100")["max_requests"] == 100


def test_several_workers_are_recycled_in_turn():
    config = gunicorn_config(REDIS_URL="redis://127.0.0.1:6379/0", WEB_CONCURRENCY="3")
    assert (config["max_requests"], config["max_requests_jitter"]) == (5000, 500)


def test_with_redis_gunicorn_runs_the_workers_asked_for():
    config = gunicorn_config(REDIS_URL="redis://127.0.0.1:6379/0", WEB_CONCURRENCY="4")
    assert (config["workers"], config["threads"]) == (4, 2)


def test_gunicorn_freezes_the_masters_objects_before_each_fork():
    """A new worker's first garbage collection must not walk the master's heap."""
    config = gunicorn_config()
    gc.unfreeze()
    try:
        config["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


# What the master has built when cchc_portal.wsgi is imported (preload_app),
# and no connection: a Redis URL nothing listens on.
PRELOADED = """
import sys
import cchc_portal.wsgi
from django.db import connections
from django.urls import get_resolver
print("django_redis.client.default" in sys.modules,
      sorted(get_resolver()._reverse_dict),
      any(c.connection is not None for c in connections.all()))
"""


def test_the_gunicorn_master_builds_cache_and_url_patterns_before_forking():
    """So a recycled or reloaded worker's first requests do not stall the site."""
    result = run_python(
        "-c",
        PRELOADED,
        DJANGO_SETTINGS_MODULE="cchc_portal.settings",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=UNUSED_DATABASE,
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "['en',", "'vi']", "False"]


def test_every_variable_the_code_reads_is_documented_in_readme_and_env_example():
    read_by_code = set()
    for source in (ROOT / "cchc_portal").glob("*.py"):
        read_by_code |= set(
            re.findall(
                r"""(?:environ\.get|environ\[|env_flag|env_list|require_env)\(?\s*"""
                r"""["']([A-Z][A-Z_]+)["']""",
                source.read_text(),
            )
        )
    in_env_example = set(
        re.findall(r"^# ?([A-Z][A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    readme_rows = re.findall(r"^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|", README, re.M)
    in_readme = {name for row in readme_rows for name in re.findall(r"[A-Z_]+", row)}
    assert "DJANGO_SECRET_KEY" in read_by_code and "PORT" in read_by_code
    assert in_env_example == in_readme
    assert read_by_code - {"DJANGO_SETTINGS_MODULE"} <= in_readme


@pytest.mark.parametrize("value", ["zalo-portal", "12 34", "https://zalo.me/123"])
def test_a_zalo_account_id_that_is_not_a_number_stops_the_site_in_one_line(value):
    result = run_python(
        "-c",
        PRINT_DEBUG,
        DJANGO_DEBUG="1",
        DJANGO_ZALO_OA_ID=value,
        DJANGO_SETTINGS_MODULE="cchc_portal.settings",
        DATABASE_URL=UNUSED_DATABASE,
    )
    assert result.returncode != 0
    assert "DJANGO_ZALO_OA_ID" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_numeric_zalo_account_id_is_taken_as_is():
    result = run_python(
        "-c",
        "from django.conf import settings; print(repr(settings.ZALO_OA_ID))",
        DJANGO_DEBUG="1",
        DJANGO_ZALO_OA_ID=" 1234567890123456789 ",
        DJANGO_SETTINGS_MODULE="cchc_portal.settings",
        DATABASE_URL=UNUSED_DATABASE,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "'1234567890123456789'"
