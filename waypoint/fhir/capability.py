"""The CapabilityStatement, built from the same table the searches use (`search.RESOURCE_TYPES`)."""

from .search import COMMON_PARAMETERS, INCLUDES_PATIENT, RESOURCE_TYPES


def statement(base_url: str) -> dict:
    rest_resources = []
    for name, resource_type in RESOURCE_TYPES.items():
        rest_resources.append(
            {
                "type": name,
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "versioning": "versioned",
                "readHistory": False,
                "conditionalRead": "not-match",
                "searchInclude": [f"{name}:patient"] if name in INCLUDES_PATIENT else [],
                "searchParam": [
                    {
                        "name": param,
                        "type": _param_type(param),
                        "documentation": resource_type.documentation.get(param, ""),
                    }
                    for param in resource_type.parameters
                ]
                + [{"name": p, "type": "number" if p != "_format" else "string"} for p in COMMON_PARAMETERS],
            }
        )
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-02",
        "kind": "instance",
        "software": {"name": "Waypoint"},
        "implementation": {"description": "Waypoint care coordination record", "url": base_url},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read only. OAuth 2.0 bearer tokens; scopes user/<Type>.read or system/<Type>.read.",
                "security": {
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "OAuth",
                                }
                            ]
                        }
                    ]
                },
                "resource": rest_resources,
            }
        ],
    }


def _param_type(name: str) -> str:
    if name in ("birthdate", "date", "_lastUpdated", "effective", "effective-time", "authored"):
        return "date"
    if name in ("patient",):
        return "reference"
    if name in ("family", "given"):
        return "string"
    return "token"
