"""The one model the shared pieces need: one-time tokens that stop a form being saved twice."""

from django.conf import settings
from django.db import models


class SubmissionToken(models.Model):
    """A create form's one-time token, claimed when the form is saved (see `core/submissions.py`).

    Claimed in the same transaction as the record the form creates, and unique, so a second
    submit of the same rendered form (a double click, the back button, a retry after a slow
    answer) cannot create a second record: it is sent to the first one's page instead.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"Submission {self.token[:8]}… by user {self.user_id}"
