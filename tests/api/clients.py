"""A test client signed in as one person, as the API's tests sign in."""

from django.test import Client

from koers.organisation.models import Person


def signed_in(person: Person, *, language: str | None = None, **kwargs: object) -> Client:
    """A client signed in as ``person``, who reads the API in ``language`` when one is given."""
    if language is not None:
        person.user.language = language
        person.user.save(update_fields=["language"])
    client = Client(**kwargs)
    client.force_login(person.user)
    return client
