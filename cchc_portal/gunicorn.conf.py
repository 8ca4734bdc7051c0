"""gunicorn settings: `gunicorn -c cchc_portal/gunicorn.conf.py cchc_portal.wsgi`.

Every value can be overridden from the environment, so the same file serves
`make run`, the benchmark and production app servers.
"""

import gc
import multiprocessing
import os
import sys

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
worker_class = "gthread"
if os.environ.get("REDIS_URL"):
    workers = int(
        os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
    )
    threads = int(os.environ.get("GUNICORN_THREADS", "2"))
else:
    # Without Redis the cache lives in each worker process: a publish handled
    # by one worker would leave the others serving the old page. One process
    # with more threads keeps every page fresh.
    if int(os.environ.get("WEB_CONCURRENCY", "1")) > 1:
        sys.stderr.write(
            "gunicorn: REDIS_URL is not set, so WEB_CONCURRENCY is ignored and one "
            "worker serves (per-process caches would go stale); set REDIS_URL to "
            "run several workers.\n"
        )
    workers = 1
    threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Load Django once in the master: workers fork ready to serve (cchc_portal/wsgi.py
# also builds the cache backend and URL patterns there, so a new worker's first
# requests cost milliseconds), and the embedded database (when DATABASE_URL is
# unset) is attached by the long-lived master, so recycling a worker never stops
# it. A reload (SIGHUP) reads this file again and replaces every worker, new
# ones first, the old ones finishing their requests (graceful_timeout): no
# request is dropped (bench/stalls.py). It does not load new code, though: the
# code is the master's, so a release of new code starts a new master (README,
# "Deploying").
preload_app = True


def pre_fork(server, worker):
    """Freeze the master's objects out of the garbage collector before a fork.

    A new worker inherits the master's whole heap (Django, the URL patterns,
    the cache backend): its first full collection would walk all of it,
    writing to every object's header and so copying every page of it,
    holding the GIL for up to 1.5 s on a loaded machine, each time a worker is
    recycled or reloaded. Frozen objects are only left out of the cycle
    collector (reference counting still frees them), and they are the long-lived
    ones (bench/stalls.py: with 2 workers recycled every 2,000 requests, p99
    627-1,527 ms before, 69-82 ms after).
    """
    gc.freeze()


timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never exhaust memory, but
# only when other workers answer meanwhile: a lone worker's restart leaves the
# site without anyone for hundreds of milliseconds (the benchmark's cached p99
# went from 17-19 ms to 400-600 ms with recycling on one worker).
max_requests = int(
    os.environ.get("GUNICORN_MAX_REQUESTS", "5000" if workers > 1 else "0")
)
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "" turns it off
errorlog = "-"
# The reverse proxy in front sets X-Forwarded-*; trust it only from these hosts.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# ...but never SCRIPT_NAME/PATH_INFO, which gunicorn takes from trusted peers by
# default: the site lives at the root, and a SCRIPT_NAME header a proxy let
# through would make Django route another page than the URL names (a cache
# poisoning), or a 500 when it is no prefix of the path. Headers with
# underscores are dropped, whoever sends them.
forwarder_headers = ""
header_map = "drop"
# Refuse absurd request lines and headers before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
# gunicorn's runtime control socket lives at one fixed path per user; several
# app servers on one host (benchmarks, scale-out tests) would fight over it.
control_socket_disable = True
