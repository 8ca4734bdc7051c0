"""schema.org data for unit profiles: GovernmentOrganization and breadcrumbs."""

from django.urls import reverse
from django.utils.translation import gettext

from cchc_portal.web.structured_data import SCHEMA, breadcrumb_list
from parindex.models import Group, Unit


def unit_structured_data(unit: Unit, request) -> list[dict]:
    """GovernmentOrganization (names, code, period, area) and BreadcrumbList.

    Uses the other names prefetched by Unit.objects.for_profile().
    """
    alternate = [unit.short_name] if unit.short_name != unit.name else []
    alternate += [other.name for other in unit.other_names.all()]
    if unit.full_name != unit.name:
        # The English page names the unit in English; the official Vietnamese
        # name stays an alternate name.
        alternate.insert(0, unit.name)
    organization = {
        "@context": SCHEMA,
        "@type": "GovernmentOrganization",
        "name": unit.full_name,
        "url": request.build_absolute_uri(unit.get_absolute_url()),
    }
    if alternate:
        organization["alternateName"] = list(dict.fromkeys(alternate))
    if unit.gso_code:
        organization["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": gettext("Mã đơn vị hành chính (Tổng cục Thống kê)"),
            "value": unit.gso_code,
        }
    if unit.valid_from:
        organization["foundingDate"] = unit.valid_from.isoformat()
    if unit.valid_to:
        organization["dissolutionDate"] = unit.valid_to.isoformat()
    if unit.group == Group.PROVINCE:
        organization["areaServed"] = {
            "@type": "AdministrativeArea",
            "name": unit.display_name,
        }
    crumbs = [
        (gettext("Chỉ số CCHC"), reverse("parindex:overview")),
        (unit.display_name, unit.get_absolute_url()),
    ]
    return [organization, breadcrumb_list(request, crumbs)]
