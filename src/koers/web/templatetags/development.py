"""Template helpers of the development pages."""

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundWidget

register = template.Library()


@register.filter
def grouped(field: forms.BoundField) -> list[tuple[str | None, list[BoundWidget]]]:
    """A field's checkboxes (or radios) per ``<optgroup>`` of its choices: ``(label,
    options)``, the label None for choices outside a group. Competencies come grouped
    by cluster; a page shows each cluster as its own fieldset."""
    widget: Any = field.field.widget
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()),
                              {"id": field.auto_id} if field.auto_id else {})
    return [(name, [BoundWidget(widget, option, field.form.renderer) for option in options])
            for name, options, _index in groups]
