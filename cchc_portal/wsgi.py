"""WSGI entry point for gunicorn: `gunicorn cchc_portal.wsgi`."""

import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")

application = get_wsgi_application()

if settings.EMBEDDED_DATABASE:
    # gunicorn loads this module once, in its master (preload_app). Attaching
    # the master here keeps the embedded server up for the app server's whole
    # life; workers inherit the attachment, so recycling one never stops it.
    from cchc_portal.runtime.embedded_postgres import server

    server.socket_dir(Path(settings.DATABASES["default"]["PGDATA"]))
