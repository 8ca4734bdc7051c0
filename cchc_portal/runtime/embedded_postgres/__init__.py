"""The embedded PostgreSQL used when DATABASE_URL is unset.

`server` holds the project's whole coupling to pgserver; `base` is a database
backend (Django's PostgreSQL backend plus one step) that starts or attaches to
the server when Django first opens a connection, so importing the settings,
`manage.py check` or `collectstatic` start nothing.
"""
