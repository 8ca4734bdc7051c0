#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def default_to_development_mode(environ) -> bool:
    """Run in development mode when the shell carries no configuration at all.

    A bare checkout has neither variable, and `manage.py makemigrations` there
    should simply work. Anything that sets either one (make run, make check,
    a deployment's environment) gets exactly what it set, so a half-configured
    production environment still refuses to start; the server entry point
    (cchc_portal/wsgi.py) never takes this default.
    """
    if "DJANGO_DEBUG" in environ or "DJANGO_SECRET_KEY" in environ:
        return False
    environ["DJANGO_DEBUG"] = "1"
    return True


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    if default_to_development_mode(os.environ):
        sys.stderr.write(
            "manage.py: neither DJANGO_DEBUG nor DJANGO_SECRET_KEY is set, "
            "running in development mode (DJANGO_DEBUG=1).\n"
        )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
