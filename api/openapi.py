"""The OpenAPI document, completed where FastAPI's own cannot say it (issue 18, item 3):

- every named query is a path of its own, `GET /queries/<name>`, with its parameters typed, required or not,
  and an example each (the generic route `GET /queries/{name}` answers them all);
- validation errors are documented as what the API sends, an RFC 9457 problem (`Problem`), not FastAPI's
  `HTTPValidationError`;
- `POST /documents` declares its API key (`X-API-Key`) as a security scheme.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from plangraph.queries import public_queries

SCHEMA_TYPES = {
    "string": {"type": "string"},
    "agency": {"type": "string"},
    "place": {"type": "string"},
    "plan": {"type": "string"},
    "mandate": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": PROBLEM}


def named_query_paths() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for query in public_queries().values():
        parameters = []
        for param in query.params:
            schema = dict(SCHEMA_TYPES[param.type])
            if not param.required:
                schema["default"] = param.example
            parameters.append(
                {
                    "name": param.name,
                    "in": "query",
                    "required": param.required,
                    "description": param.help
                    + (" (any case, with or without diacritics)" if param.type in ("agency", "place", "plan") else ""),
                    "schema": schema,
                    "example": param.example,
                }
            )
        paths[f"/queries/{query.name}"] = {
            "get": {
                "tags": ["queries"],
                "summary": query.title,
                "description": query.description,
                "operationId": "query_" + query.name.replace("-", "_"),
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": "the rows",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Rows"}}},
                    },
                    "400": _problem("an unknown parameter or a bad value"),
                    "404": _problem("a name nothing matches (an agency, a place, a plan, a mandate), with the closest"),
                    "422": _problem("a parameter the query needs is missing, or a limit was reached"),
                },
            }
        }
    return paths


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
    for operations in spec["paths"].values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {
                    "description": responses["422"].get("description", "the request is not valid"),
                    "content": PROBLEM,
                }
            for response in responses.values():
                content = response.get("content", {})
                if "application/json" in content and "Problem" in str(content["application/json"]):
                    response["content"] = PROBLEM
    spec["paths"].update(named_query_paths())
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    spec["components"]["securitySchemes"] = {
        "ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "PLANGRAPH_API_KEY"}
    }
    upload = spec["paths"].get("/documents", {}).get("post")
    if upload is not None:
        upload["security"] = [{"ApiKey": []}]
        upload["parameters"] = [p for p in upload.get("parameters", []) if p["name"].lower() != "x-api-key"]
    app.openapi_schema = spec
    return spec
