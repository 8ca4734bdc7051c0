"""News content models (filled by the News issue)."""
