from .models import Job


def job_for(user, job_id: int, *, kinds=None) -> Job | None:
    """A job the user asked for (or, with `kinds`, any job of those kinds); None otherwise."""
    jobs = Job.objects.select_related("requested_by")
    if kinds is None:
        jobs = jobs.filter(requested_by=user)
    else:
        jobs = jobs.filter(kind__in=kinds)
    return jobs.filter(pk=job_id).first()
