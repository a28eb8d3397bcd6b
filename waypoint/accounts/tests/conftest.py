"""Fixtures for the accounts tests.

Each Django test client normally builds its own handler, and building one loads every
middleware; WhiteNoise (with WHITENOISE_USE_FINDERS in the local and test settings) then walks
all ~1,500 static files, which costs a tenth of a second or more per test. These tests change
no setting that a middleware reads when it is built, so one handler is shared by the session
while each test still gets a fresh client with its own cookies.
"""

import pytest
from django.test.client import Client, ClientHandler


@pytest.fixture(scope="session")
def _shared_client_handler():
    return ClientHandler(enforce_csrf_checks=False)


@pytest.fixture
def client(_shared_client_handler):
    test_client = Client()
    test_client.handler = _shared_client_handler
    return test_client
