"""Only referral intake staff may record a referral, and a self-claimed one is limited and reviewed (issue 8, item 2).

Before this change `student` (a student in North CMHT) could open `/referrals/new/?nhs_number=...`
for any NHS number, see the person's name, date of birth, NHS number and postcode, and record a
referral to North CMHT, after which the whole team could open the record (hazard H2).
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import AuditEvent
from waypoint.duty.factories import DutyShiftFactory
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.patients.trace import TRACE_RECORD_TYPE
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Referral, ReferralClaim
from waypoint.referrals.tests.test_views import referral_post

CLAIM_REASON = "GP referral letter received by post today"


@pytest.fixture
def student(team):
    return make_staff(team=team, roles=[RoleCode.STUDENT], username="student")


@pytest.fixture
def north_admin(team):
    return make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="admin.north")


@pytest.fixture
def south_person(other_team):
    person = PersonFactory(given_name="Alwyn", family_name="Southwick", postcode="SO1 2AB")
    TeamRegistrationFactory(person=person, team=other_team)
    return person


def new_url(person):
    return reverse("referrals:new") + f"?nhs_number={person.nhs_number}"


def claim_post(team, reason=CLAIM_REASON, **overrides):
    return referral_post(team, **{"referral-claim_reason": reason}, **overrides)


@pytest.mark.django_db
class TestStudentChain:
    """The chain from the issue, run as `student` against a South CMHT person."""

    def test_student_cannot_find_the_person_by_search(self, client, student, south_person):
        client.force_login(student)
        body = client.get(reverse("patients:search"), {"q": "a 17/05/1980"}).content.decode()
        assert south_person.full_name not in body and south_person.listing_name not in body

    def test_student_cannot_look_up_or_record_a_referral(self, client, student, team, south_person):
        client.force_login(student)
        assert client.get(reverse("referrals:new")).status_code == 404
        assert client.get(new_url(south_person)).status_code == 404
        response = client.post(new_url(south_person), claim_post(team))
        assert response.status_code == 404
        assert not Referral.objects.exists()
        assert not AuditEvent.objects.filter(person=south_person).exists()
        # So North CMHT has no way into the record.
        client.force_login(make_staff(team=team, username="cc.north2"))
        assert client.get(reverse("patients:detail", args=[south_person.pk])).status_code == 404

    @pytest.mark.parametrize(
        "roles",
        [
            [RoleCode.CARE_COORDINATOR],
            [RoleCode.SUPPORT_WORKER],
            [RoleCode.PSYCHIATRIST],
            [RoleCode.PRIVACY_OFFICER],
            [RoleCode.SYSTEM_ADMINISTRATOR],
        ],
    )
    def test_other_roles_are_refused(self, client, team, south_person, roles):
        client.force_login(make_staff(team=team, roles=roles, username="not.intake"))
        assert client.get(new_url(south_person)).status_code == 404
        assert client.post(new_url(south_person), claim_post(team)).status_code == 404

    def test_an_account_in_no_team_is_refused_even_as_records_officer(self, client, south_person, team):
        client.force_login(make_staff(roles=[RoleCode.RECORDS_OFFICER], username="no.team"))
        assert client.get(new_url(south_person)).status_code == 404
        assert not AuditEvent.objects.filter(person=south_person).exists()


@pytest.mark.django_db
class TestIntakeLookup:
    def test_shows_only_what_confirms_identity_audited_as_a_trace(self, client, north_admin, south_person):
        client.force_login(north_admin)
        body = client.get(new_url(south_person)).content.decode()
        assert south_person.full_name in body and "17 May 1980" in body
        assert south_person.postcode not in body
        assert reverse("patients:detail", args=[south_person.pk]) not in body
        event = AuditEvent.objects.get(person=south_person)
        assert (event.user, event.action, event.record_type, event.basis) == (
            north_admin,
            "search",
            TRACE_RECORD_TYPE,
            "none",
        )
        assert "Referral intake" in event.break_glass_reason

    def test_a_person_the_recorder_works_with_is_audited_with_their_basis(self, client, north_admin, person):
        client.force_login(north_admin)
        assert person.full_name in client.get(new_url(person)).content.decode()
        event = AuditEvent.objects.get(person=person)
        assert (event.record_type, event.basis) == ("referral_intake_match", "team")

    def test_lookups_are_rate_limited(self, client, north_admin, settings):
        settings.WAYPOINT_TRACE_LIMIT = 2
        people = [PersonFactory() for _ in range(3)]
        client.force_login(north_admin)
        now = timezone.now()  # time stands still, so the test never straddles a rate-limit window
        with time_machine.travel(now, tick=False):
            for someone in people[:2]:
                assert someone.full_name in client.get(new_url(someone)).content.decode()
            response = client.get(new_url(people[2]))
        body = response.content.decode()
        assert response.status_code == 429
        assert "You have traced 2 people in the last 15 minutes" in body
        assert people[2].full_name not in body
        assert not AuditEvent.objects.filter(person=people[2]).exists()


@pytest.mark.django_db
class TestSelfClaimedReferral:
    def test_needs_a_reason_then_limits_access_until_triage_and_goes_for_review(
        self, client, north_admin, team, south_person, privacy_officer
    ):
        client.force_login(north_admin)
        url = new_url(south_person)
        body = client.get(url).content.decode()
        assert "This person is not known to your teams" in body
        response = client.post(url, claim_post(team, reason="", **{"referral-referrer_name": "Dr Kept"}))
        body = response.content.decode()
        assert "Enter why you are recording this referral" in body and 'value="Dr Kept"' in body
        assert not Referral.objects.exists()

        response = client.post(url, claim_post(team))
        referral = Referral.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "referrals:detail", args=[referral.pk]
        )
        assert referral.claim.reason == CLAIM_REASON and referral.claim.claimed_by == north_admin
        created = AuditEvent.objects.get(person=south_person, action="create", record_type="referral")
        assert (created.basis, created.break_glass_reason) == ("none", CLAIM_REASON)

        # The recorder (intake staff) and the duty worker today can open the record; the rest of North cannot.
        assert client.get(reverse("patients:detail", args=[south_person.pk])).status_code == 200
        duty = make_staff(team=team, username="duty.north")
        DutyShiftFactory(team=team, worker=duty)
        client.force_login(duty)
        assert client.get(reverse("patients:detail", args=[south_person.pk])).status_code == 200
        colleague = make_staff(team=team, username="cc.north2")
        client.force_login(colleague)
        assert client.get(reverse("patients:detail", args=[south_person.pk])).status_code == 404

        # The privacy officer reviews it, beside break-glass.
        client.force_login(privacy_officer)
        listing = client.get(reverse("referrals:claim_list")).content.decode()
        assert CLAIM_REASON in listing and south_person.listing_name in listing
        review_url = reverse("referrals:claim_review", args=[referral.claim.pk])
        assert "Enter a comment" in client.post(review_url, {"comment": ""}).content.decode()
        assert client.post(review_url, {"comment": "Letter seen, appropriate"}).status_code == 302
        referral.claim.refresh_from_db()
        assert referral.claim.reviewed_by == privacy_officer
        reviewed = AuditEvent.objects.get(action="review", record_type="referral_claim")
        assert (reviewed.person, reviewed.basis) == (south_person, "privacy_review")
        assert CLAIM_REASON not in client.get(reverse("referrals:claim_list")).content.decode()
        assert (
            CLAIM_REASON in client.get(reverse("referrals:claim_list"), {"show": "reviewed"}).content.decode()
        )

        # Once triage accepts it, the team can open the record.
        client.force_login(duty)
        client.post(
            reverse("referrals:triage", args=[referral.pk]),
            {"urgency": "routine", "decision": "accept", "version": str(referral.version)},
        )
        client.force_login(colleague)
        assert client.get(reverse("patients:detail", args=[south_person.pk])).status_code == 200

    def test_only_teams_the_user_does_intake_for_can_be_chosen(self, client, north_admin, other_team, person):
        client.force_login(north_admin)
        response = client.post(new_url(person), referral_post(other_team))
        assert "Choose a team you record referrals for" in response.content.decode()
        assert not Referral.objects.exists()

    def test_the_duty_worker_today_may_record_for_their_team(self, client, team, other_team, south_person):
        duty = make_staff(team=team, username="duty.north")
        DutyShiftFactory(team=team, worker=duty)
        client.force_login(duty)
        assert client.post(new_url(south_person), claim_post(team)).status_code == 302
        assert ReferralClaim.objects.get().claimed_by == duty
        # Not for another team, and not on another day.
        assert (
            "Choose a team you record"
            in client.post(new_url(south_person), claim_post(other_team)).content.decode()
        )
        yesterday = make_staff(team=team, username="duty.yesterday")
        DutyShiftFactory(team=team, worker=yesterday, date=timezone.localdate() - datetime.timedelta(days=1))
        client.force_login(yesterday)
        assert client.get(new_url(south_person)).status_code == 404

    def test_claim_pages_are_for_the_privacy_officer_only(self, client, north_admin, team, south_person):
        referral = ReferralFactory(person=south_person, team=team, recorded_by=north_admin)
        claim = ReferralClaim.objects.create(referral=referral, claimed_by=north_admin, reason=CLAIM_REASON)
        client.force_login(north_admin)
        assert client.get(reverse("referrals:claim_list")).status_code == 404
        assert client.get(reverse("referrals:claim_review", args=[claim.pk])).status_code == 404

    def test_claim_list_query_count_does_not_grow(
        self, client, north_admin, team, privacy_officer, django_assert_max_num_queries
    ):
        client.force_login(privacy_officer)

        def add_claims(count):
            for _ in range(count):
                referral = ReferralFactory(team=team, recorded_by=north_admin)
                ReferralClaim.objects.create(referral=referral, claimed_by=north_admin, reason=CLAIM_REASON)

        add_claims(1)
        client.get(reverse("referrals:claim_list"))  # the session's first save (then at most once a minute)
        with django_assert_max_num_queries(12) as one:
            client.get(reverse("referrals:claim_list"))
        add_claims(5)
        with django_assert_max_num_queries(12) as six:
            body = client.get(reverse("referrals:claim_list")).content.decode()
        assert body.count(CLAIM_REASON) == 6
        assert len(six.captured_queries) == len(one.captured_queries)


@pytest.mark.django_db
class TestRecordAReferralLink:
    """The duty board and the waiting list offer "Record a referral" only to the team's intake staff.

    Before this, everyone saw the link and anyone not doing intake got a 404 when they followed it.
    """

    PAGES = ("duty:board", "referrals:waiting_list")

    def links_to_new_referral(self, client, name, team):
        body = client.get(reverse(name), {"team": team.pk}).content.decode()
        return reverse("referrals:new") in body or "Record a referral" in body

    @pytest.mark.parametrize("name", PAGES)
    def test_not_shown_to_a_coordinator_off_the_rota(self, client, coordinator, team, name):
        client.force_login(coordinator)
        assert client.get(reverse("referrals:new")).status_code == 404  # the page the link would open
        assert not self.links_to_new_referral(client, name, team)

    @pytest.mark.parametrize("name", PAGES)
    def test_shown_to_the_teams_records_officer(self, client, north_admin, team, name):
        client.force_login(north_admin)
        assert client.get(reverse("referrals:new")).status_code == 200
        assert self.links_to_new_referral(client, name, team)

    @pytest.mark.parametrize("name", PAGES)
    def test_shown_to_the_duty_worker_on_the_rota_today(self, client, coordinator, team, name):
        DutyShiftFactory(team=team, worker=coordinator)
        client.force_login(coordinator)
        assert self.links_to_new_referral(client, name, team)

    def test_shown_only_for_the_team_the_user_does_intake_for(self, client, team, other_team):
        # Intake is per team: a member of North and South without an intake role, on South's duty
        # rota today, sees the link on South's pages and not on North's.
        from waypoint.accounts.models import Membership

        worker = make_staff(team=team, username="two.teams")
        Membership.objects.create(user=worker, team=other_team, is_primary=False)
        DutyShiftFactory(team=other_team, worker=worker)
        client.force_login(worker)
        for name in self.PAGES:
            assert self.links_to_new_referral(client, name, other_team)
            assert not self.links_to_new_referral(client, name, team)
