"""Settings for the benchmark's app server: the production settings plus one
bare view to compare against (bench/urls.py). Nothing else differs."""

from cchc_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
