import pytest

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode


@pytest.fixture
def support(team):
    return make_staff(
        team=team,
        roles=[RoleCode.SUPPORT_WORKER],
        username="sw.north",
        first_name="Sunny",
        last_name="Support",
    )


@pytest.fixture
def student(team):
    return make_staff(
        team=team, roles=[RoleCode.STUDENT], username="st.north", first_name="Stevie", last_name="Student"
    )


@pytest.fixture
def support_client(client, support):
    client.force_login(support)
    return client
