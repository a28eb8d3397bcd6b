"""The FHIR R4 API at /fhir/R4/: metadata, read and search. JSON only; every error is an
OperationOutcome. Every read and search is audited, one row per person returned, with the basis the
access policy gives the caller for that person. A person outside the caller's relationships is
never revealed: a read answers 404 exactly as for a record that does not exist, and a search leaves
them out."""

import json
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from waypoint.access.actor import Actor
from waypoint.access.policy import Access, access_of, bases_for
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis
from waypoint.patients.models import Person

from . import capability, openapi, resources
from .auth import NotAuthorised, caller_for, caller_may_read
from .search import (
    COMMON_PARAMETERS,
    DEFAULT_COUNT,
    INCLUDES_PATIENT,
    MAX_COUNT,
    RESOURCE_TYPES,
    BadParameter,
)

FHIR_JSON = "application/fhir+json; charset=utf-8"


def fhir_response(body: dict, status: int = 200, etag: str = "") -> HttpResponse:
    response = HttpResponse(json.dumps(body, separators=(",", ":")), status=status, content_type=FHIR_JSON)
    if etag:
        response["ETag"] = etag
    return response


def outcome(status: int, code: str, text: str) -> HttpResponse:
    response = fhir_response(resources.operation_outcome(code, text), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="waypoint-fhir"'
    return response


def _audit(caller, records, resource_type, request, *, action):
    """One audit row per person returned, with the caller's basis for that person."""
    people: dict[int, list] = {}
    for record in records:
        people.setdefault(resource_type.person_of(record), []).append(record)
    if not people:
        return
    if resource_type.audit_basis:
        fixed = Access(basis=resource_type.audit_basis)
        bases = dict.fromkeys(people, fixed)
    else:
        # Records read through `with_access` carry their basis; the others are asked for it.
        bases = {}
        for person_id, rows in people.items():
            access = access_of(rows[0])
            if access is not None:
                bases[person_id] = access
        if len(bases) < len(people):
            bases |= bases_for(caller.user, people.keys() - bases.keys())
    with transaction.atomic():
        for person_id, rows in people.items():
            access = bases.get(person_id)
            actor = Actor(
                user=caller.user,
                basis=access.basis if access else Basis.NONE,
                break_glass_reason=access.break_glass_reason if access else "",
                path=request.path[:300],
            )
            audit.write(
                actor,
                action=action,
                record_type=resource_type.record_type,
                person=Person(pk=person_id),
                record_id=str(rows[0].pk) if len(rows) == 1 else "",
            )


def require_GET(view):
    """GET only (and HEAD), refused as an OperationOutcome. No CSRF check: the API takes no cookie
    and no session, only a bearer token (`auth.py`), so there is no ambient authority to forge."""

    @csrf_exempt
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = outcome(
                405, "not-supported", f"{request.method} is not supported: this API is read-only"
            )
            response["Allow"] = "GET"
            return response
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _guarded(view):
    """Answer every failure as an OperationOutcome: unknown types, bad tokens, odd input."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotAuthorised as refusal:
            return outcome(refusal.status, "security" if refusal.status == 403 else "login", refusal.text)
        except BadParameter as error:
            return outcome(400, "invalid", str(error))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
def metadata(request):
    """The CapabilityStatement: exactly what this server supports (public, like any FHIR server's)."""
    return fhir_response(capability.statement(request.build_absolute_uri("/fhir/R4")))


@require_GET
def openapi_document(request):
    """The OpenAPI description of this API (public, like the CapabilityStatement)."""
    response = HttpResponse(json.dumps(openapi.document()), content_type="application/json")
    return response


@require_GET
@_guarded
def read(request, resource_type_name, record_id):
    resource_type = RESOURCE_TYPES.get(resource_type_name)
    if resource_type is None:
        return outcome(404, "not-supported", f"{resource_type_name} is not served here")
    caller = caller_for(request, resource_type_name)
    found = resource_type.part_for(record_id)
    if found is None:
        return outcome(404, "not-found", f"{resource_type_name}/{record_id} is not known")
    part, pk = found
    record = part.records(caller.user).filter(pk=pk).first()
    if record is None:
        return outcome(404, "not-found", f"{resource_type_name}/{record_id} is not known")
    _audit(caller, [record], part, request, action=Action.VIEW)
    body = part.to_fhir(record)
    etag = f'W/"{part.version_of(record)}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    return fhir_response(body, etag=etag)


def _count_and_offset(params) -> tuple[int, int]:
    try:
        count = int(params.get("_count", DEFAULT_COUNT))
        offset = int(params.get("_offset", 0))
    except ValueError as error:
        raise BadParameter("_count and _offset are whole numbers") from error
    if count < 0 or offset < 0:
        raise BadParameter("_count and _offset cannot be negative")
    return min(count, MAX_COUNT), offset


def _includes(resource_type, params) -> bool:
    """`_include=<Type>:patient` (the only include offered): the Patient of each match."""
    values = params.getlist("_include")
    if not values:
        return False
    offered = f"{resource_type.name}:patient"
    if resource_type.name not in INCLUDES_PATIENT:
        raise BadParameter(f"_include is not supported on {resource_type.name}")
    for value in values:
        if value not in (offered, f"{offered}:Patient"):
            raise BadParameter(f"_include supports {offered} only, not {value!r}")
    return True


def _page(parts, params, offset: int, count: int) -> tuple[int, list[tuple]]:
    """Narrow every part of a resource type by the parameters, and take one page across them in
    order (a count and at most one page query per part)."""
    total, page = 0, []  # type: tuple[int, list[tuple]]
    for part in parts:
        records = part.records_for_search
        for name, narrow in part.parameters.items():
            for value in params.getlist(name):
                records = narrow(records, value)
        found = records.count()
        start = max(offset - total, 0)
        wanted = count - len(page)
        if wanted > 0 and start < found:
            page += [(part, record) for record in records[start : start + wanted]]
        total += found
    return total, page


@require_GET
@_guarded
def search(request, resource_type_name):
    resource_type = RESOURCE_TYPES.get(resource_type_name)
    if resource_type is None:
        return outcome(404, "not-supported", f"{resource_type_name} is not served here")
    caller = caller_for(request, resource_type_name)
    params = request.GET
    unknown = sorted(set(params) - set(resource_type.parameters) - set(COMMON_PARAMETERS) - {"_include"})
    if unknown:
        return outcome(400, "not-supported", f"Search parameters not supported here: {', '.join(unknown)}")
    if params.get("_format", "json") not in ("json", "application/fhir+json", "application/json"):
        return outcome(406, "not-supported", "Only JSON is served")
    count, offset = _count_and_offset(params)
    include_patients = _includes(resource_type, params)
    parts = [_Searching(part, part.records(caller.user)) for part in resource_type.parts]
    total, page = _page(parts, params, offset, count)
    for part in parts:
        _audit(caller, [record for p, record in page if p is part], part, request, action=Action.SEARCH)
    included = []
    if include_patients:
        # The included people go through the same policy as any search (a person the caller may
        # not see is left out, never revealed) and are audited the same way, one row each.
        patient_type = RESOURCE_TYPES["Patient"]
        wanted = {part.person_of(record) for part, record in page}
        if wanted and caller_may_read(caller, "Patient"):
            included = list(patient_type.records(caller.user).filter(pk__in=wanted))
            _audit(caller, included, patient_type, request, action=Action.SEARCH)
    base = request.build_absolute_uri(request.path)
    kept = [(k, v) for k, v in params.lists() if k not in ("_offset",) for v in v]

    def link(relation, at):
        return {"relation": relation, "url": f"{base}?{urlencode([*kept, ('_offset', at)])}"}

    links = [link("self", offset)]
    if count and offset + count < total:
        links.append(link("next", offset + count))
    if offset > 0:
        links.append(link("previous", max(offset - count, 0)))
    entries = [
        {
            "fullUrl": request.build_absolute_uri(f"/fhir/R4/{resource_type_name}/{part.id_of(record)}"),
            "resource": part.to_fhir(record),
            "search": {"mode": "match"},
        }
        for part, record in page
    ]
    entries += [
        {
            "fullUrl": request.build_absolute_uri(f"/fhir/R4/Patient/{person.pk}"),
            "resource": RESOURCE_TYPES["Patient"].to_fhir(person),
            "search": {"mode": "include"},
        }
        for person in included
    ]
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": resources.instant(timezone.now()),
        "total": total,
        "link": links,
        "entry": entries,
    }
    return fhir_response(bundle)


class _Searching:
    """One part of a resource type with the caller's records, for one search."""

    def __init__(self, part, records):
        self.part = part
        self.records_for_search = records

    def __getattr__(self, name):
        return getattr(self.part, name)


@require_GET
def not_found(request, rest=""):
    return outcome(404, "not-found", "Nothing is served at this address")
