"""The organisation's colour and logo through the API: the same service and checks as
its page (web/organisation/look.py)."""

import json

import pytest

from koers.organisation.models import Organisation, OrganisationLogo
from tests.factories import looks

pytestmark = pytest.mark.django_db


def url(p, tail: str = "") -> str:
    return f"/api/v1/organisations/{p.employee.organisation_id}/look{tail}"


def test_hr_sets_the_colour_and_uploads_the_logo(client, p) -> None:
    client.force_login(p.hr.user)

    colour = client.put(url(p), json.dumps({"primary_colour": "#1d4f91"}),
                        content_type="application/json")
    logo = client.post(url(p, "/logo"), {"file": looks.image_file("JPEG")})

    assert colour.status_code == logo.status_code == 200
    data = client.get(url(p)).json()
    organisation_id = p.employee.organisation_id
    assert data == {
        "primary_colour": "#1d4f91", "logo_type": "image/jpeg", "version": 2,
        "theme_url": f"http://testserver/organisations/{organisation_id}/theme.css?v=2",
        "logo_url": f"http://testserver/organisations/{organisation_id}/logo/?v=2"}


def test_a_colour_without_contrast_is_a_422_and_changes_nothing(client, p) -> None:
    client.force_login(p.hr.user)

    response = client.put(url(p), json.dumps({"primary_colour": "#1e90ff"}),
                          content_type="application/json")

    assert response.status_code == 422
    assert "3,23:1" in response.json()["errors"]["primary_colour"][0]
    assert Organisation.objects.get(pk=p.employee.organisation_id).primary_colour == ""


def test_an_svg_logo_is_a_422_and_changes_nothing(client, p) -> None:
    client.force_login(p.hr.user)

    response = client.post(url(p, "/logo"), {"file": looks.file_of(looks.SVG, "logo.svg")})

    assert response.status_code == 422
    assert "SVG wordt niet aanvaard" in response.json()["errors"]["logo"][0]
    assert not OrganisationLogo.objects.exists()


def test_hr_removes_the_logo(client, p) -> None:
    client.force_login(p.hr.user)
    client.post(url(p, "/logo"), {"file": looks.image_file("PNG")})

    data = client.delete(url(p, "/logo")).json()

    assert (data["logo_type"], data["logo_url"]) == ("", None)
    assert not OrganisationLogo.objects.exists()


@pytest.mark.parametrize("who", ["employee", "manager", "outsider"])
def test_others_get_404(client, p, who: str) -> None:
    client.force_login(getattr(p, who).user)

    assert client.get(url(p)).status_code == 404
    assert client.put(url(p), json.dumps({"primary_colour": "#000000"}),
                      content_type="application/json").status_code == 404
    assert Organisation.objects.get(pk=p.employee.organisation_id).primary_colour == ""
