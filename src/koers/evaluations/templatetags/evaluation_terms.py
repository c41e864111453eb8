"""An evaluation's kind, state and roles in the words of a regime (``rulebook.terms``), for the
pages (``terms`` comes from the context processor) and the report's PDF."""

from django import template

from koers.evaluations.states import kind_label, role_label, state_label
from koers.rulebook.terms import Terms, terms_for

register = template.Library()


@register.filter
def evaluation_kind(kind: str, terms: Terms | None) -> str:
    """``{{ evaluation.kind|evaluation_kind:terms }}``: the kind as the regime calls it
    (the default words where a template has no ``terms``)."""
    return kind_label(kind, terms if isinstance(terms, Terms) else terms_for(None))


@register.filter
def evaluation_role(role: str, terms: Terms | None) -> str:
    """``{{ signature.role|evaluation_role:terms }}``: the role as the regime calls it."""
    return role_label(role, terms if isinstance(terms, Terms) else terms_for(None))


@register.filter
def evaluation_state(state: str, terms: Terms | None) -> str:
    """``{{ evaluation.state|evaluation_state:terms }}``: the state as the regime says it."""
    return state_label(state, terms if isinstance(terms, Terms) else terms_for(None))


@register.simple_tag
def probation_words(phrase: object, name: str) -> str:
    """``{% probation_words terms.probation_of person.full_name %}``: a regime's phrase
    about the probation (``rulebook.terms``) with the person's name in it (escaped)."""
    return str(phrase) % {"name": name}
