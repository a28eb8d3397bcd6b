"""One append-only table: every view and every change of a person's data.

Database triggers (see migration 0002) refuse UPDATE and DELETE on PostgreSQL and SQLite.
No clinical free text is stored here: identifiers, record types, actions and field names only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from waypoint.core.fields import CodeField


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    EXPORT = "export", "Exported"
    SEARCH = "search", "Searched"
    BREAK_GLASS = "break_glass", "Started emergency access"
    REVIEW = "review", "Reviewed"
    SIGN = "sign", "Signed"
    COUNTERSIGN = "countersign", "Countersigned"
    AGREE = "agree", "Recorded agreement"
    SHARE = "share", "Shared"
    PRINT = "print", "Printed"
    ENTERED_IN_ERROR = "entered_in_error", "Marked entered in error"
    COMPLETE = "complete", "Completed"
    TRANSFER = "transfer", "Transfer"
    DISCHARGE = "discharge", "Discharged"
    # Staff accounts (no person): roles, two-person grants and sessions.
    GRANT = "grant", "Gave"
    REVOKE = "revoke", "Removed"
    APPROVE = "approve", "Approved"
    REFUSE = "refuse", "Refused"
    END_SESSIONS = "end_sessions", "Ended the sessions of"


class Basis(models.TextChoices):
    """Why the member of staff could see the person's record."""

    TEAM = "team", "Team relationship"
    REFERRAL = "referral", "Open referral"
    EPISODE = "episode", "Open episode of care"
    ALLOCATION = "allocation", "Allocation"
    TRANSFER = "transfer", "Transfer in progress"
    TASK = "task", "Delegated task"
    DUTY = "duty", "Duty worker"
    BREAK_GLASS = "break_glass", "Emergency access (break-glass)"
    PRIVACY_REVIEW = "privacy_review", "Privacy review"
    REGISTRATION = "registration", "Registered the person"
    SHARED_CARE_RECORD = "shared_care_record", "Shared care record (system client)"
    AMHP = "amhp", "AMHP with an open assessment request"
    BIA = "bia", "BIA allocated a DoLS assessment"
    NONE = "none", "No access to a record"
    # A member of staff's workforce record (workforce app): whose it is, or why someone may see it.
    STAFF_SELF = "staff_self", "Their own workforce record"
    LINE_MANAGER = "line_manager", "Line manager"
    TEAM_MANAGER = "team_manager", "Team manager of their team"
    WORKFORCE_ADMIN = "workforce_admin", "Workforce administrator"
    SUPERVISOR = "supervisor", "Took part in the supervision"


class RecordType(models.TextChoices):
    """What an audit row is about: one value per kind of record (no free strings, see
    `audit/tests/test_record_types.py`). A list page of a person's records uses the record's own
    type with no record id (for example the notes list is `note` with an empty id)."""

    PERSON = "person", "Person"
    PERSON_SEARCH = "person_search", "Person search"
    ALERT = "alert", "Alert"
    CARER = "carer", "Carer"
    BREAK_GLASS = "break_glass", "Emergency access"
    ACCESS_HISTORY = "access_history", "Access history"
    REFERRAL = "referral", "Referral"
    REFERRAL_INTAKE_MATCH = "referral_intake_match", "Referral intake match"
    WAITING_LIST = "waiting_list", "Waiting list"
    ALLOCATION = "allocation", "Allocation"
    EPISODE = "episode", "Episode of care"
    TRANSFER = "transfer", "Transfer"
    TRANSFER_LIST = "transfer_list", "Transfers list"
    DISCHARGE = "discharge", "Discharge"
    DISCHARGE_LETTER = "discharge_letter", "Discharge letter"
    DUTY_BOARD = "duty_board", "Duty board"
    DUTY_ENQUIRY = "duty_enquiry", "Duty call"
    DUTY_HANDOVER = "duty_handover", "Duty handover"
    DUTY_ROTA = "duty_rota", "Duty rota"
    HANDOVER_NOTE = "handover_note", "Handover note"
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Plan"
    PLAN_REVISION = "plan_revision", "Plan revision"
    MY_PLAN = "my_plan", "My plan"
    REVIEW = "review", "Care review"
    REVIEW_ADDENDUM = "review_addendum", "Care review addendum"
    RISK_FORMULATION = "risk_formulation", "Risk formulation"
    NOTE = "note", "Clinical note"
    NOTE_ADDENDUM = "note_addendum", "Note addendum"
    NOTE_COUNTERSIGNATURE = "note_countersignature", "Note countersignature"
    TASK = "task", "Task"
    MY_TASKS = "my_tasks", "My tasks"
    DELEGATED_TASKS = "delegated_tasks", "Delegated tasks"
    APPOINTMENT = "appointment", "Appointment"
    CONTACT = "contact", "Care contact"
    INDIRECT_ACTIVITY = "indirect_activity", "Indirect activity"
    CODED_INTERVENTION = "coded_intervention", "Coded intervention"
    CONTACT_FREQUENCY = "contact_frequency", "Contact frequency"
    ENGAGEMENT = "engagement", "Engagement"
    DISENGAGEMENT_STEP = "disengagement_step", "Disengagement step"
    DISENGAGEMENT_PROCEDURE = "disengagement_procedure", "Disengagement procedure"
    DIARY = "diary", "Diary"
    TEAM_CLINIC = "team_clinic", "Team clinic list"
    CASELOAD = "caseload", "Caseload"
    TEAM_CASELOADS = "team_caseloads", "Team caseloads"
    PERSON_TRACE = "person_trace", "Person trace"
    REFERRAL_CLAIM = "referral_claim", "Self-claimed referral"
    STAFF_ACCOUNT = "staff_account", "Staff account"
    STAFF_ROLE = "staff_role", "Staff role"
    STAFF_ROLE_REQUEST = "staff_role_request", "Staff role request"
    TEAM_MEMBERSHIP = "team_membership", "Team membership"
    ACCOUNT_CHANGES = "account_changes", "Account changes list"
    PASSWORD = "password", "Password"
    MFA_DEVICE = "mfa_device", "Authenticator app"
    MFA_RECOVERY_CODE = "mfa_recovery_code", "MFA recovery code"
    # Workforce records: the subject is a member of staff, record_id is their user id (no person).
    STAFF_WORKFORCE = "staff_workforce", "Staff workforce record"
    STAFF_LINE_MANAGER = "staff_line_manager", "Staff line manager"
    STAFF_REGISTRATION = "staff_registration", "Staff professional registration"
    STAFF_DBS = "staff_dbs", "Staff DBS check"
    STAFF_APPROVAL = "staff_approval", "Staff AMHP or BIA approval"
    STAFF_TRAINING = "staff_training", "Staff training"
    STAFF_SUPERVISION = "staff_supervision", "Staff supervision"
    STAFF_APPRAISAL = "staff_appraisal", "Staff appraisal"
    STAFF_PLACEMENT = "staff_placement", "Student placement"
    MY_DEVELOPMENT = "my_development", "My development"
    TRAINING_COURSE = "training_course", "Training course"
    TRAINING_MATRIX = "training_matrix", "Team training matrix"
    TRAINING_IMPORT = "training_import", "Training completions import"
    WORKFORCE_TEAM = "workforce_team", "Team workforce page"
    OUTCOME_MEASURE = "outcome_measure", "Outcome measure"
    TEAM_MEASURES = "team_measures", "Team outcome measures list"
    SELF_COMPLETION = "self_completion", "Outcome measure filled in by the person"
    DIALOG_PLUS = "dialog_plus", "DIALOG+ session"
    TEAM_CLOCK_FIGURES = "team_clock_figures", "Team 4-week clock figures"
    TEAM_MEASURE_SETTINGS = "team_measure_settings", "Team care approach and measure windows"
    LEGAL_STATUS = "legal_status", "Legal status"
    MHA_PERIOD = "mha_period", "Mental Health Act period"
    MHA_PERIOD_EVENT = "mha_period_event", "Mental Health Act period event"
    MHA_RIGHTS = "mha_rights", "Rights explained (s132/132A)"
    AFTERCARE = "aftercare", "Section 117 aftercare"
    AMHP_BOARD = "amhp_board", "AMHP board"
    AMHP_ROTA = "amhp_rota", "AMHP rota"
    AMHP_REQUEST = "amhp_request", "Request for a Mental Health Act assessment"
    AMHP_ASSESSMENT = "amhp_assessment", "AMHP assessment"
    AMHP_REPORT = "amhp_report", "AMHP report"
    LIBERTY_AUTHORISATION = "liberty_authorisation", "Deprivation of liberty authorisation"
    BIA_LIST = "bia_list", "BIA allocations"
    LIBERTY_REVIEW = "liberty_review", "Review of a DoLS standard authorisation"
    RELATIVE_EVENT = "relative_event", "Nearest relative or nominated person"
    ADVANCE_DECISION = "advance_decision", "Advance statement or decision"
    CARE_TREATMENT_PLAN = "care_treatment_plan", "Statutory care and treatment plan"
    CAPACITY_ASSESSMENT = "capacity_assessment", "Mental capacity assessment"
    BEST_INTERESTS = "best_interests", "Best interests decision"
    POWER_OF_ATTORNEY = "power_of_attorney", "Lasting power of attorney or deputy"
    IMCA_REFERRAL = "imca_referral", "IMCA referral"
    MEDICINE = "medicine", "Medicine"
    ALLERGY = "allergy", "Allergy or adverse reaction"
    DEPOT = "depot", "Long-acting injection (depot)"
    DEPOT_ADMINISTRATION = "depot_administration", "Depot administration"
    DEPOT_CLINIC = "depot_clinic", "Depot clinic list"
    PHYSICAL_HEALTH_CHECK = "physical_health_check", "Physical health check"
    PHYSICAL_HEALTH_FIGURES = "physical_health_figures", "Team physical health figures"
    BRIEF_INTERVENTION = "brief_intervention", "Brief intervention"
    SAFEGUARDING_CONCERN = "safeguarding_concern", "Safeguarding concern"
    SAFEGUARDING_ADDENDUM = "safeguarding_addendum", "Safeguarding concern addendum"
    SAFEGUARDING_TEAM_LIST = "safeguarding_team_list", "Team's open safeguarding concerns"
    SAFEGUARDING_HOUSEHOLD_MEMBER = "safeguarding_household_member", "Household member (child or dependant)"
    INCIDENT = "incident", "Incident"
    INCIDENT_LIST = "incident_list", "Incidents list"
    INCIDENT_EXPORT = "incident_export", "Incidents export"
    MDT_MEETING = "mdt_meeting", "MDT meeting"
    MDT_DISCUSSION = "mdt_discussion", "MDT discussion"
    SERVICE_REPORT = "service_report", "Service report"
    DATA_QUALITY = "data_quality", "Data quality report"
    MHSDS_EXTRACT = "mhsds_extract", "MHSDS extract"
    VISIT_DAY = "visit_day", "Visit day (sent to a phone for offline use)"
    OFFLINE_VIEW = "offline_view", "Visit shown on a phone offline"
    DOWNTIME_PACK = "downtime_pack", "Downtime pack"


class AuditEventQuerySet(models.QuerySet):
    def for_person(self, person):
        return self.filter(person=person).select_related("user").order_by("-occurred_at", "-id")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+", null=True)
    record_type = CodeField(max_length=60, choices=RecordType.choices)
    record_id = models.CharField(max_length=40, blank=True)
    action = CodeField(max_length=20, choices=Action.choices)
    basis = CodeField(max_length=20, choices=Basis.choices)
    break_glass_reason = models.TextField(blank=True)
    fields_changed = models.JSONField(default=list, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "occurred_at"])]

    def __str__(self):
        return f"{self.user_id} {self.action} {self.record_type} {self.record_id}"
