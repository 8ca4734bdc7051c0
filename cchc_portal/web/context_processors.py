from django.conf import settings


def site(request):
    """Portal identity for the layout (header, footer, metadata)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_contact": settings.SITE_CONTACT,
    }
