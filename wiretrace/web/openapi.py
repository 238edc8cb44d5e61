"""The JSON API's endpoints as data, and the OpenAPI description generated from them.

The application mounts its API routes from :data:`ENDPOINTS` (each names its handler), so the
description at ``/api/openapi.json`` cannot drift from what is served.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_STRING = {"type": "string"}
_DOCUMENT = {
    "type": "object",
    "required": ["id", "text"],
    "properties": {
        "id": _STRING,
        "text": _STRING,
        "date": _STRING,
        "outlet": _STRING,
        "title": _STRING,
        "url": _STRING,
    },
}


@dataclass(frozen=True)
class Endpoint:
    """One API route: ``handler`` is the name of the function that serves it."""

    method: str
    path: str
    handler: str
    summary: str
    responses: dict[str, str]
    #: Properties of the JSON object the request sends (none: no body).
    body: dict[str, Any] = field(default_factory=dict)
    required: tuple[str, ...] = ()


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "POST",
        "/api/compare",
        "api_compare",
        "Compare two texts (wiretrace.compare/1)",
        {"200": "the comparison", "400": "bad input", "413": "too large"},
        {"a": _STRING, "b": _STRING, "a_id": _STRING, "b_id": _STRING},
        ("a", "b"),
    ),
    Endpoint(
        "POST",
        "/api/collate",
        "api_collate",
        "Collate versions (wiretrace.collate/1)",
        {"200": "the collation", "400": "bad input", "413": "too large"},
        {"versions": {"type": "array", "items": _DOCUMENT}},
        ("versions",),
    ),
    Endpoint(
        "POST",
        "/api/scan",
        "api_scan",
        "Start a scan job over documents (wiretrace.families/1 when done)",
        {"202": "the job: poll /api/jobs/{job}", "400": "bad input", "413": "too large"},
        {"documents": {"type": "array", "items": _DOCUMENT}, "outlets": {"type": "boolean"}},
        ("documents",),
    ),
    Endpoint(
        "GET",
        "/api/jobs/{job}",
        "api_job",
        "A job's progress; its result when done",
        {"200": "the job", "404": "no such job (or finished long ago and forgotten)"},
    ),
    Endpoint(
        "GET",
        "/api/example",
        "api_example",
        "The example the start page loads: one AFP story as two outlets republished it",
        {"200": '{"a": text, "b": text}'},
    ),
    Endpoint(
        "POST",
        "/api/query",
        "api_query",
        "Query the served index (wiretrace.query/1)",
        {"200": "the matches", "400": "bad input", "404": "no index served"},
        {"text": _STRING, "id": _STRING},
        ("text",),
    ),
)


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": endpoint.summary}
    parameters = [
        {"name": part[1:-1], "in": "path", "required": True, "schema": _STRING}
        for part in endpoint.path.split("/")
        if part.startswith("{")
    ]
    if parameters:
        operation["parameters"] = parameters
    if endpoint.body:
        schema = {
            "type": "object",
            "required": list(endpoint.required),
            "properties": endpoint.body,
        }
        operation["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    operation["responses"] = {
        status: {"description": text} for status, text in endpoint.responses.items()
    }
    return operation


def openapi_document(version: str) -> dict[str, Any]:
    """The OpenAPI 3.0 description of :data:`ENDPOINTS`."""
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in ENDPOINTS:
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint)
    return {"openapi": "3.0.3", "info": {"title": "wiretrace", "version": version}, "paths": paths}
