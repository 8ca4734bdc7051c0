"""Machinery under the site: page cache, replicas, embedded PostgreSQL, backups."""
