"""The refusal of text that cannot be stored (``core.text``) in every operation: the
body, the query string and the path, as the operation receives them, before it runs.

Added once to the whole API (``api.add_decorator`` in ``api/api.py``), so a field added
to a schema is covered without a word. The refusal is the domain's ``ValidationFailed``,
so it answers as every refusal does: 422 with the places, ``{"title": [...]}`` or
``{"milestones.0.text": [...]}``.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from pydantic import BaseModel

from koers.core.errors import ValidationFailed
from koers.core.text import unstorable_message, unstorable_places


def refuse_unstorable_text(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        places: list[str] = []
        for name, value in kwargs.items():
            if isinstance(value, BaseModel):  # a body: its fields by their own names
                places.extend(unstorable_places(value.model_dump()))
            else:  # a value of the query string or the path
                places.extend(unstorable_places(value, name))
        if places:
            message = unstorable_message()
            raise ValidationFailed(message, {place: [message] for place in places})
        return view(request, *args, **kwargs)

    return checked
