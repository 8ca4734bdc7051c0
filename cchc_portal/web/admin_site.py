"""The portal's admin site: Django's, with autocomplete results a ModelAdmin
may label itself (the "Tin liên quan" chooser shows status, date and section).

Installed through `PortalAdminConfig` (`default_site`), so `admin.site` and
every `@admin.register` use it.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class PortalAutocompleteJsonView(AutocompleteJsonView):
    """Results labelled by the ModelAdmin's `autocomplete_label(obj)`, if any."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class PortalAdminSite(AdminSite):
    def autocomplete_view(self, request):
        return PortalAutocompleteJsonView.as_view(admin_site=self)(request)


class PortalAdminConfig(AdminConfig):
    default_site = "cchc_portal.web.admin_site.PortalAdminSite"
