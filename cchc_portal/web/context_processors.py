from django.conf import settings
from django.utils.translation import get_language


def site_identity(language: str | None = None) -> dict:
    """The portal's name, description and contact in a language (the active
    one by default): the Vietnamese settings, or their _EN twins."""
    if (language or get_language()) == "en":
        return {
            "site_name": settings.SITE_NAME_EN,
            "site_description": settings.SITE_DESCRIPTION_EN,
            "site_contact": settings.SITE_CONTACT_EN,
        }
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "site_contact": settings.SITE_CONTACT,
    }


def site(request):
    """Portal identity for the layout (header, footer, metadata)."""
    return site_identity()
