"""The permission table: its docs cannot drift, a Trust's file is read strictly, modules add rows."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from waypoint.access.actor import Actor
from waypoint.access.management.commands.permissions_table import DOC, document_with_table
from waypoint.accounts import permissions
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import Do, PermissionRefused
from waypoint.audit.services import SYSTEM


def test_the_docs_show_the_table_in_the_code():
    text = DOC.read_text(encoding="utf-8")
    assert text == document_with_table(text), (
        "docs/permissions.md is out of date: run `.venv/bin/python manage.py permissions_table --write`"
    )


def test_every_action_names_real_roles_and_every_role_appears_in_the_docs():
    text = DOC.read_text(encoding="utf-8")
    for rule in permissions.actions():
        assert rule.roles <= set(RoleCode.values)
        assert f"(`{rule.key}`)" in text


def test_cmht_defaults_answer_the_issue():
    table = permissions.table()
    for role in (RoleCode.RECORDS_OFFICER, RoleCode.SUPPORT_WORKER, RoleCode.STUDENT):
        assert role not in table[Do.TRIAGE_REFERRAL]
        assert role not in table[Do.REJECT_REFERRAL]
        assert role not in table[Do.WRITE_RISK_FORMULATION]
    assert table[Do.HOLD_CARE_COORDINATION] == {RoleCode.CARE_COORDINATOR}
    assert RoleCode.STUDENT not in table[Do.SIGN_NOTE_ALONE]
    assert RoleCode.SUPPORT_WORKER not in table[Do.SIGN_NOTE_ALONE]
    for role in (RoleCode.PRIVACY_OFFICER, RoleCode.SYSTEM_ADMINISTRATOR):
        assert role not in table[Do.REGISTER_PERSON]


@pytest.mark.django_db
def test_require_refuses_with_a_plain_message_and_allows_the_system():
    student = make_staff(roles=[RoleCode.STUDENT])
    with pytest.raises(PermissionRefused) as refused:
        permissions.require(Actor(student), Do.WRITE_RISK_FORMULATION)
    assert refused.value.message == "Your role does not allow you to write the risk formulation."
    permissions.require(Actor(make_staff()), Do.WRITE_RISK_FORMULATION)
    permissions.require(SYSTEM, Do.WRITE_RISK_FORMULATION)


@pytest.mark.django_db
def test_a_disabled_account_may_do_nothing():
    user = make_staff(is_active=False)
    assert not permissions.may(user, Do.RECORD_CONTACT)


@pytest.fixture
def trust_file(tmp_path, settings):
    path = tmp_path / "permissions.toml"
    settings.WAYPOINT_PERMISSIONS_FILE = str(path)
    permissions.reset()
    yield path
    settings.WAYPOINT_PERMISSIONS_FILE = ""
    permissions.reset()


def test_a_trust_file_replaces_the_default_for_the_actions_it_names(trust_file):
    trust_file.write_text('[roles]\ntriage_referral = ["team_manager"]\n')
    assert permissions.roles_for(Do.TRIAGE_REFERRAL) == {"team_manager"}
    assert RoleCode.CARE_COORDINATOR in permissions.roles_for(Do.WRITE_RISK_FORMULATION)
    assert permissions.check_trust_file() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[roles\n", "is not valid TOML"),
        ('[roles]\nmake_tea = ["student"]\n', "an action that does not exist: 'make_tea'"),
        ('[roles]\ntriage_referral = ["nurse"]\n', "names roles that do not exist: ['nurse']"),
        ('[roles]\ntriage_referral = "team_manager"\n', "must be a list of role codes"),
        ('[roles]\ntriage_referral = ["team_manager", "team_manager"]\n', "names a role twice"),
        ("[other]\nx = 1\n", "may only have a [roles] table"),
    ],
)
def test_a_trust_file_is_read_strictly(trust_file, content, message):
    trust_file.write_text(content)
    with pytest.raises(ImproperlyConfigured, match=message.replace("[", r"\[").replace("(", r"\(")):
        permissions.table()
    errors = permissions.check_trust_file()
    assert [error.id for error in errors] == ["waypoint.E018"]


def test_a_missing_trust_file_stops_waypoint(trust_file):
    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        permissions.table()


@pytest.fixture
def restore_actions():
    before = dict(permissions._actions)
    yield
    permissions._actions.clear()
    permissions._actions.update(before)
    permissions.reset()


@pytest.mark.django_db
def test_a_module_registers_its_own_action_with_one_call(restore_actions):
    permissions.register_action(
        "record_example", "Record an example", permissions.REGISTERED_CLINICIANS, module="examples"
    )
    assert permissions.may(make_staff(), "record_example")
    assert not permissions.may(make_staff(roles=[RoleCode.STUDENT]), "record_example")
    assert "Record an example (`record_example`), examples" in permissions.markdown_table()
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        permissions.register_action("record_example", "Something else", {RoleCode.STUDENT}, module="other")
    with pytest.raises(ImproperlyConfigured, match="roles that do not exist"):
        permissions.register_action("x", "X", {"nurse"}, module="other")
