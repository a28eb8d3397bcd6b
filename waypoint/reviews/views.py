"""Review pages. Thin: fetch through the access policy, read through selectors, write through services."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.policy import open_record
from waypoint.accounts.permissions import Do, permission
from waypoint.audit.models import RecordType

from . import selectors, services
from .forms import AddendumForm, RecordReviewForm, ScheduleReviewForm
from .models import interval_months


def _page(request, template, opened, **context):
    return render(request, template, {"person": opened.person, "alerts": opened.alerts, **context})


def reviews(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.REVIEW)
    person = opened.person
    return _page(
        request,
        "reviews/list.jinja",
        opened,
        reviews=selectors.reviews_of(person),
        summary=selectors.review_summary(person),
        today=timezone.localdate(),
    )


@permission(Do.RECORD_REVIEW)
def schedule(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.REVIEW)
    person = opened.person
    primary = request.user.primary_team()
    form = ScheduleReviewForm(request.POST or None, user=request.user, initial={"team": primary})
    if request.method == "POST" and form.is_valid():
        review = services.schedule_review(
            by=opened.actor,
            person=person,
            team=form.cleaned_data["team"],
            review_type=form.cleaned_data["review_type"],
            scheduled_for=form.cleaned_data["scheduled_for"],
        )
        messages.success(
            request, f"{review.get_review_type_display()} planned for {review.scheduled_for:%-d %B %Y}"
        )
        return redirect("reviews:detail", person.pk, review.pk)
    return _page(request, "reviews/schedule.jinja", opened, form=form)


@permission(Do.RECORD_REVIEW)
def record_new(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.REVIEW)
    person = opened.person
    primary = request.user.primary_team()
    form = RecordReviewForm(
        request.POST or None,
        person=person,
        user=request.user,
        interval_months=interval_months(primary) if primary else 12,
        initial={"team": primary, "staff": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = services.record_unscheduled_review(
            by=opened.actor,
            person=person,
            team=data["team"],
            review_type=data["review_type"],
            data=data,
        )
        messages.success(request, f"{review.get_review_type_display()} recorded")
        return redirect("reviews:detail", person.pk, review.pk)
    return _page(request, "reviews/record.jinja", opened, form=form, review=None)


def detail(request, person_id, care_review_id):
    review, opened = selectors.review_for_page(request, person_id, care_review_id)
    return _page(
        request,
        "reviews/detail.jinja",
        opened,
        review=review,
        addendum_form=AddendumForm(),
        today=timezone.localdate(),
    )


@permission(Do.RECORD_REVIEW)
def record(request, person_id, care_review_id):
    review, opened = selectors.review_for_page(request, person_id, care_review_id)
    person = opened.person
    if review.is_held and request.method != "POST":
        messages.info(request, "This review has been recorded already. Add an addendum to correct it.")
        return redirect("reviews:detail", person.pk, review.pk)
    form = RecordReviewForm(
        request.POST or None,
        person=person,
        team=review.team,
        interval_months=interval_months(review.team),
        initial={
            "held_on": review.scheduled_for if review.scheduled_for <= timezone.localdate() else None,
            "staff": [request.user.pk],
        },
    )
    already = None
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(
                by=opened.actor,
                review=review,
                data=form.cleaned_data,
            )
        except services.AlreadyRecorded as exc:
            already = exc.review
            form.add_error(
                None,
                f"This review was recorded by {exc.review.recorded_by.display_name} while you were typing, "
                "so it cannot be changed. Your text has not been saved: it is still below. Copy what is "
                "missing into an addendum on the review.",
            )
        else:
            messages.success(request, f"{review.get_review_type_display()} recorded")
            return redirect("reviews:detail", person.pk, review.pk)
    return _page(request, "reviews/record.jinja", opened, form=form, review=review, already=already)


@permission(Do.RECORD_REVIEW)
def add_addendum(request, person_id, care_review_id):
    review, opened = selectors.review_for_page(request, person_id, care_review_id)
    person = opened.person
    if request.method != "POST" or not review.is_held:
        return redirect("reviews:detail", person.pk, review.pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        services.add_addendum(
            by=opened.actor,
            review=review,
            text=form.cleaned_data["text"],
        )
        messages.success(request, "Addendum added")
        return redirect("reviews:detail", person.pk, review.pk)
    return _page(
        request,
        "reviews/detail.jinja",
        opened,
        review=review,
        addendum_form=form,
        form=form,
        today=timezone.localdate(),
    )
