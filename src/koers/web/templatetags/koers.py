from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def is_radio(field: forms.BoundField) -> bool:
    """A choice shown as radio buttons or check boxes (``CheckboxSelectMultiple`` is a
    ``RadioSelect``): the form renders it as a fieldset of labelled options."""
    return isinstance(field.field.widget, forms.RadioSelect)


@register.filter
def styled(field: forms.BoundField) -> SafeString:
    """Render a field's widget with the NL Design System class for its kind."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "utrecht-checkbox utrecht-checkbox--html-input"
    elif isinstance(widget, forms.Select):
        css = "utrecht-select utrecht-select--html-select"
    elif isinstance(widget, forms.Textarea):
        css = "utrecht-textarea utrecht-textarea--html-textarea"
    else:
        css = "utrecht-textbox utrecht-textbox--html-input"
    attrs: dict[str, str | bool] = {"class": f"{css} {widget.attrs.get('class', '')}".strip()}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.id_for_label}_error"
    return field.as_widget(attrs=attrs)
