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
    own = widget.attrs.get("class", "")
    attrs: dict[str, str | bool] = {"class": own if css in own else f"{css} {own}".strip()}
    # Neutral until a submit was refused: only then invalid, with the message (and the
    # help, when there is one) read out with the field.
    if field.errors:
        attrs["aria-invalid"] = "true"
        described = [f"{field.id_for_label}_error"]
        if field.help_text:
            described.insert(0, f"{field.id_for_label}_help")
        attrs["aria-describedby"] = " ".join(described)
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.id_for_label}_help"
    return field.as_widget(attrs=attrs)
