"""Small honesty checks from issue 18: the licence format the build accepts after February 2027,
and a content security policy that lets the NHS.UK font load (no console error on every page)."""

import tomllib

import pytest
from django.conf import settings
from django.urls import reverse


def test_the_licence_is_a_pep_639_expression():
    project = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    assert any(req.startswith("setuptools>=77") for req in project["build-system"]["requires"])


@pytest.mark.django_db
def test_the_csp_allows_the_nhsuk_font_the_frontend_css_asks_for(coordinator_client):
    css = (settings.BASE_DIR / "node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css").read_text()
    assert "https://assets.nhs.uk/fonts/" in css  # what the browser will ask for
    policy = coordinator_client.get(reverse("patients:search"))["Content-Security-Policy"]
    font_src = next(part for part in policy.split(";") if part.strip().startswith("font-src"))
    assert "https://assets.nhs.uk" in font_src
