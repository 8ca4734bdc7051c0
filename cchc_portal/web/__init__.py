"""Site-wide web pieces: views, middleware, paging, sitemaps, CSP, JSON-LD."""
