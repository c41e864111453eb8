"""How much text one field takes: the bound on every text a user types, in the pages and
the API alike.

A long text (a goal's description, a conversation's report, an evaluation's text per
goal, remarks, notes) holds at most ``TEXT_MAX`` characters, about four printed pages:
more than any of them needs, and small enough that no single field can make a page, an
export or a PDF slow (a 1 MiB description used to tie up a PDF worker for minutes). A
short text keeps its own, smaller length (the model field's ``max_length``). The page
forms (``web.page.forms.KoersFormMixin``) and the API's input shapes
(``api.common_schemas.Input``) both read it, and say it: the form field's ``maxlength``,
the schema's ``maxLength``.
"""

TEXT_MAX = 10_000
