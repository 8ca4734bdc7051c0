"""Database backend: Django's PostgreSQL backend on the embedded server.

Configured by settings.py when DATABASE_URL is unset, with the data folder in
DATABASES["default"]["PGDATA"]. The server is started (or attached to) when
the first connection opens; its socket folder then fills HOST, so code that
reads the connection's settings afterwards sees the real address.
"""

from pathlib import Path

from django.db.backends.postgresql import base as postgresql

from cchc_portal.runtime.embedded_postgres import server


class DatabaseWrapper(postgresql.DatabaseWrapper):
    """PostgreSQL, with the embedded server brought up on first connection."""

    def get_connection_params(self):
        self.settings_dict["HOST"] = str(
            server.socket_dir(Path(self.settings_dict["PGDATA"]))
        )
        return super().get_connection_params()
