from django import template

from koers.core import languages

register = template.Library()


@register.simple_tag
def native_language_names() -> list[tuple[str, str]]:
    """Each language's code and its name in itself, for the language switch."""
    return [(language.value, details.native_name)
            for language, details in languages.DETAILS.items()]
