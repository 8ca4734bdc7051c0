from django.conf import settings


def site(request):
    """Portal identity for the layout (header, footer, metadata)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "site_contact": settings.SITE_CONTACT,
    }
