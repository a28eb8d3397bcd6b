"""Review pages. Thin: fetch through the access policy, read through selectors, write through services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.policy import get_person_for_view
from waypoint.patients.selectors import current_alerts

from . import selectors, services
from .forms import AddendumForm, RecordReviewForm, ScheduleReviewForm
from .models import interval_months


def _page(request, template, person, **context):
    return render(request, template, {"person": person, "alerts": current_alerts(person), **context})


def _review_for(request, person_id, care_review_id):
    """The review, and its person through the access policy (404 unless it is this person's)."""
    review = selectors.review_by_id(care_review_id)
    if review is None or review.person_id != person_id:
        raise Http404("No review found")
    person, access = get_person_for_view(request, review.person_id, record_type="review", record_id=review.pk)
    return review, person, access


def reviews(request, person_id):
    person, _access = get_person_for_view(request, person_id, record_type="reviews")
    return _page(
        request,
        "reviews/list.jinja",
        person,
        reviews=selectors.reviews_of(person),
        summary=selectors.review_summary(person),
        today=timezone.localdate(),
    )


def schedule(request, person_id):
    person, access = get_person_for_view(request, person_id, record_type="reviews")
    primary = request.user.primary_team()
    form = ScheduleReviewForm(request.POST or None, user=request.user, initial={"team": primary})
    if request.method == "POST" and form.is_valid():
        review = services.schedule_review(
            user=request.user,
            person=person,
            team=form.cleaned_data["team"],
            review_type=form.cleaned_data["review_type"],
            scheduled_for=form.cleaned_data["scheduled_for"],
            basis=access.basis,
            path=request.path,
        )
        messages.success(
            request, f"{review.get_review_type_display()} planned for {review.scheduled_for:%-d %B %Y}"
        )
        return redirect("reviews:detail", person.pk, review.pk)
    return _page(request, "reviews/schedule.jinja", person, form=form)


def record_new(request, person_id):
    person, access = get_person_for_view(request, person_id, record_type="reviews")
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
            user=request.user,
            person=person,
            team=data["team"],
            review_type=data["review_type"],
            data=data,
            basis=access.basis,
            path=request.path,
        )
        messages.success(request, f"{review.get_review_type_display()} recorded")
        return redirect("reviews:detail", person.pk, review.pk)
    return _page(request, "reviews/record.jinja", person, form=form, review=None)


def detail(request, person_id, care_review_id):
    review, person, _access = _review_for(request, person_id, care_review_id)
    return _page(
        request,
        "reviews/detail.jinja",
        person,
        review=review,
        addendum_form=AddendumForm(),
        today=timezone.localdate(),
    )


def record(request, person_id, care_review_id):
    review, person, access = _review_for(request, person_id, care_review_id)
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
                user=request.user,
                review=review,
                data=form.cleaned_data,
                basis=access.basis,
                path=request.path,
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
    return _page(request, "reviews/record.jinja", person, form=form, review=review, already=already)


def add_addendum(request, person_id, care_review_id):
    review, person, access = _review_for(request, person_id, care_review_id)
    if request.method != "POST" or not review.is_held:
        return redirect("reviews:detail", person.pk, review.pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        services.add_addendum(
            user=request.user,
            review=review,
            text=form.cleaned_data["text"],
            basis=access.basis,
            path=request.path,
        )
        messages.success(request, "Addendum added")
        return redirect("reviews:detail", person.pk, review.pk)
    return _page(
        request,
        "reviews/detail.jinja",
        person,
        review=review,
        addendum_form=form,
        form=form,
        today=timezone.localdate(),
    )
