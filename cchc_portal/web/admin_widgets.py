"""Accessible names for admin inputs that Django renders without one.

Django's admin leaves two kinds of input unlabelled (WCAG 1.3.1 and 4.1.2,
axe rule "label"): the date and time boxes of a date-time field, preceded by
bare "Ngày:" / "Giờ:" text, and every input of a tabular inline, whose only
label is the column header. These helpers fix both from our side, without
touching Django's files. (Widgets built by scripts, the autocompletes and the
rich-text editor, are named by static/js/admin/accessible-widgets.js.)
"""

from django.contrib import admin
from django.contrib.admin import widgets
from django.db import models
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.html import format_html
from django.utils.text import capfirst


class LabelledSplitDateTime(widgets.AdminSplitDateTime):
    """Date and time boxes, each with a <label> that also names the field."""

    def __init__(self, field_label: str, attrs=None):
        self.field_label = field_label
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        date, time = context["widget"]["subwidgets"]
        context["date_label"] = self._label(date, context["date_label"])
        context["time_label"] = self._label(time, context["time_label"])
        return context

    def _label(self, subwidget: dict, text: str) -> str:
        return format_html(
            '<label for="{}">{}<span class="visually-hidden"> ({})</span>:</label>',
            subwidget["attrs"]["id"],
            str(text).rstrip(": "),
            self.field_label.lower(),
        )


class LabelledDateTimeMixin:
    """ModelAdmin/inline mixin: date-time fields use LabelledSplitDateTime."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateTimeField):
            kwargs["widget"] = LabelledSplitDateTime(capfirst(db_field.verbose_name))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class LabelledTabularInline(LabelledDateTimeMixin, admin.TabularInline):
    """A tabular inline whose inputs are named after their column (aria-label),
    the "delete" box of each row included."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            # RelatedFieldWidgetWrapper shares its attrs with the wrapped widget.
            formfield.widget.attrs["aria-label"] = capfirst(db_field.verbose_name)
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (LabelledDeletionFormSetMixin, formset), {})


class LabelledDeletionFormSetMixin:
    """Formset mixin: each row's "delete" checkbox names the row it deletes."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        deletion = form.fields.get(DELETION_FIELD_NAME)
        if deletion is not None:
            row = f" (dòng {index + 1})" if index is not None else ""
            deletion.widget.attrs["aria-label"] = (
                f"Xóa {self.model._meta.verbose_name}{row}"
            )
