"""schemathesis over the API's own OpenAPI description: whatever it sends to every operation, with
a valid token, Waypoint answers without a server error (and with an OperationOutcome when it
refuses)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from waypoint.config.wsgi import application
from waypoint.fhir.factories import staff_token

schema = schemathesis.openapi.from_wsgi("/fhir/R4/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calling the WSGI app directly sends request_started and request_finished, whose handler
    closes the database connection: fatal to the test's transaction on PostgreSQL. Django's own
    test client disconnects it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(coordinator, person):
    return staff_token(coordinator)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_a_server_error(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code >= 400:
        assert response.json()["resourceType"] == "OperationOutcome"
