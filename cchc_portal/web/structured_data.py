"""schema.org data (JSON-LD) shared by the apps: the publisher, breadcrumbs.

Pages put it in `<script type="application/ld+json">` blocks through the
`json_ld` template tag (portal_tags), which escapes it for HTML. The blocks
are data, never executed, so the Content-Security-Policy does not apply.
"""

from collections.abc import Sequence

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext

from cchc_portal.web.context_processors import site_identity

SCHEMA = "https://schema.org"


def publisher(request) -> dict:
    """The portal as the publishing organisation, with its logo."""
    return {
        "@type": "Organization",
        "name": site_identity()["site_name"],
        "url": request.build_absolute_uri(reverse("home")),
        "logo": {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(static("img/logo.png")),
            "width": 512,
            "height": 512,
        },
    }


def breadcrumb_list(request, crumbs: Sequence[tuple[str, str]]) -> dict:
    """BreadcrumbList from (name, path) pairs, "Trang chủ" first."""
    items = [(gettext("Trang chủ"), reverse("home")), *crumbs]
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(items, start=1)
        ],
    }
