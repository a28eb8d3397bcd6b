"""Brief interventions on the contact form (contacts' contact form part registry): the care
coordinator ticks the brief interventions given while recording the contact; they are written,
against the contact and the person, in the contact's own transaction. The contact's page lists
them."""

from waypoint.accounts.permissions import may

from . import selectors, services
from .forms import ContactBriefInterventionsForm

KEY = "brief_interventions"
TEMPLATE = "medicines/_contact_brief_interventions.jinja"
PAGE_TEMPLATE = "medicines/_contact_brief_interventions_shown.jinja"


def form(data=None, *, user):
    """The form, or None for someone who may not record brief interventions."""
    if not may(user, "record_physical_health"):
        return None
    return ContactBriefInterventionsForm(data)


def save(*, by, person, contact, form):
    items = form.items()
    if items:
        services.record_brief_interventions_at_contact(by=by, person=person, contact=contact, items=items)


def loader(contact):
    return selectors.brief_interventions_on_contact(contact)
