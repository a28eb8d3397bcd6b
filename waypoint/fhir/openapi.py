"""An OpenAPI 3.0 description of the FHIR API, built from the same table as the searches and the
CapabilityStatement (`search.RESOURCE_TYPES`), served at /fhir/R4/openapi.json. The tests run
schemathesis over it: whatever it sends, the API never answers with a server error."""

from .search import COMMON_PARAMETERS, INCLUDES_PATIENT, RESOURCE_TYPES

FHIR_JSON = {"application/fhir+json": {"schema": {"type": "object"}}}


def _responses(*codes: int) -> dict:
    words = {
        200: "A resource or a searchset Bundle",
        304: "Not modified",
        400: "OperationOutcome",
        401: "OperationOutcome",
        403: "OperationOutcome",
        404: "OperationOutcome",
        406: "OperationOutcome",
    }
    return {
        str(code): {"description": words[code], **({"content": FHIR_JSON} if code != 304 else {})}
        for code in codes
    }


def document() -> dict:
    paths: dict = {
        "/fhir/R4/metadata": {
            "get": {"operationId": "metadata", "security": [], "responses": _responses(200)},
        }
    }
    for name, resource_type in RESOURCE_TYPES.items():
        parameters = [
            {
                "name": param,
                "in": "query",
                "required": False,
                "description": resource_type.documentation.get(param, ""),
                "schema": {"type": "string"},
            }
            for param in [*resource_type.parameters, *COMMON_PARAMETERS]
        ]
        if name in INCLUDES_PATIENT:
            parameters.append(
                {
                    "name": "_include",
                    "in": "query",
                    "required": False,
                    "description": f"{name}:patient adds each match's Patient (the same access rules and audit)",
                    "schema": {"type": "string", "enum": [f"{name}:patient"]},
                }
            )
        paths[f"/fhir/R4/{name}"] = {
            "get": {
                "operationId": f"search{name}",
                "parameters": parameters,
                "responses": _responses(200, 400, 401, 403, 406),
            }
        }
        paths[f"/fhir/R4/{name}/{{id}}"] = {
            "get": {
                "operationId": f"read{name}",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string"},
                    },
                ],
                "responses": _responses(200, 304, 401, 403, 404),
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Waypoint FHIR R4 API (UK Core)", "version": "1"},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": "/oauth/authorize/",
                            "tokenUrl": "/oauth/token/",
                            "scopes": {f"user/{n}.read": f"Read {n}" for n in RESOURCE_TYPES},
                        },
                        "clientCredentials": {
                            "tokenUrl": "/oauth/token/",
                            "scopes": {f"system/{n}.read": f"Read {n}" for n in RESOURCE_TYPES},
                        },
                    },
                }
            }
        },
        "security": [{"oauth": []}],
    }
