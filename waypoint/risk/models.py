"""Risk formulation (NICE NG225, 2022): a narrative understanding of risk, never a score.

NICE NG225 says not to use risk tools, scales or low/medium/high stratification to predict
suicide or self-harm or to decide treatment or discharge. So this model holds no score, level,
rating or red/amber/green field, and no choice field at all (a test checks this): only what the
clinician and the person understand about risk, and what to do about it.

Every revision is kept. A person's formulation is the sequence of their `RiskFormulation` rows,
numbered 1, 2, 3...; the current one is the highest number. Nothing is ever updated or deleted:
revising writes a new row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

# The narrative fields, in the order they are written and shown.
NARRATIVE_FIELDS = [
    "history",
    "concerns_to_self",
    "concerns_to_others",
    "concerns_from_others",
    "concerns_self_neglect",
    "triggers",
    "protective_factors",
    "what_helps",
    "management_plan",
]
CONCERN_FIELDS = [
    "concerns_to_self",
    "concerns_to_others",
    "concerns_from_others",
    "concerns_self_neglect",
]


class RiskFormulationQuerySet(models.QuerySet):
    def current(self):
        """The latest revision of each person's formulation (one row per person, one query)."""
        later = RiskFormulation.objects.filter(person=OuterRef("person"), revision__gt=OuterRef("revision"))
        return self.filter(~Exists(later))


class RiskFormulation(models.Model):
    """One revision of a person's risk formulation. Never changed once written."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="risk_formulations")
    revision = models.PositiveIntegerField(help_text="1 for the first formulation, then 2, 3...")
    history = models.TextField(
        "History", blank=True, help_text="Relevant history: past self-harm, harm to others, crises, losses"
    )
    concerns_to_self = models.TextField("Risk to self", blank=True)
    concerns_to_others = models.TextField("Risk to others", blank=True)
    concerns_from_others = models.TextField(
        "Risk from others", blank=True, help_text="Exploitation, abuse, neglect by others"
    )
    concerns_self_neglect = models.TextField("Self-neglect", blank=True)
    triggers = models.TextField("Triggers", blank=True, help_text="What has made things worse before")
    protective_factors = models.TextField(
        "Protective factors", blank=True, help_text="People, reasons for living, routines, strengths"
    )
    what_helps = models.TextField(
        "What helps", blank=True, help_text="In the person's own words where possible"
    )
    management_plan = models.TextField("Management plan", help_text="Who does what, and when")
    review_date = models.DateField("Review date")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    objects = RiskFormulationQuerySet.as_manager()

    class Meta:
        ordering = ["person", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["person", "revision"], name="risk_formulation_one_per_revision"),
        ]
        indexes = [models.Index(fields=["person", "revision"])]

    def __str__(self):
        return f"Risk formulation {self.revision} for person {self.person_id}"

    @property
    def concerns(self):
        """(label, text) for the four areas of current concern."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in CONCERN_FIELDS]
