"""The OpenAPI document tells every status an operation can answer, with its body.

Routes list their domain statuses with `responses=errors(403, 404, ...)`; `document_common`
adds, once for the whole app, the ones every route of a kind shares: 401 (signed-in routes),
400/413 (routes with a body), 422 (routes with input) and 503 (the database is down).
"""

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field


class ErrorBody(BaseModel):
    """Every error but 422: what went wrong, for a person to read."""

    detail: str


class ValidationIssue(BaseModel):
    # Extra keys are allowed (a layout issue names its widget_id).
    model_config = ConfigDict(extra="allow")

    loc: list[str | int] = Field(description="Where: body/query/path/header, then the field path")
    msg: str
    type: str


class ValidationErrorBody(BaseModel):
    """422: every bad field, in FastAPI's shape."""

    detail: list[ValidationIssue]


class ConflictBody(BaseModel):
    """409: a stale edit carries the resource as it is now in `current`, to merge and retry."""

    detail: str
    current: dict[str, Any] | None = Field(
        default=None, description="The current version, when the conflict is a stale edit"
    )


# A query parameter that carries a model as JSON (`filter=`): routes mark it with
# `Query(json_schema_extra=json_query(Model))`; the document then describes it with OpenAPI's
# parameter `content` (application/json, the model's schema) instead of a bare string.
_JSON_QUERY_KEY = "x-deskboard-json"
_JSON_QUERY_MODELS: dict[str, type[BaseModel]] = {}


def json_query(model: type[BaseModel]) -> dict[str, Any]:
    _JSON_QUERY_MODELS[model.__name__] = model
    return {_JSON_QUERY_KEY: model.__name__}


_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}

_DESCRIPTIONS = {
    400: "Malformed request (a body that is not JSON, a malformed cursor or filter)",
    401: "Not signed in, or the token is invalid or expired",
    403: "Signed in, but the role may not do this",
    404: "Not found (or not visible to the caller)",
    409: "Conflict with the current state",
    413: "Request body over the size limit",
    415: "The request body is not of the media type the operation takes",
    422: "Invalid input: the list of bad fields",
    429: "Too many attempts; retry after Retry-After seconds",
    503: "The database is unavailable; retry after Retry-After seconds",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entries for these error statuses, each with our error body."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"description": _DESCRIPTIONS[status], "model": ErrorBody}
        if status == 409:
            entry["model"] = ConflictBody
        elif status == 422:
            entry["model"] = ValidationErrorBody
        if status in (429, 503):
            entry["headers"] = _RETRY_AFTER
        if status == 401:
            entry["headers"] = {
                "WWW-Authenticate": {"required": True, "schema": {"type": "string"}}
            }
        responses[status] = entry
    return responses


def _common_statuses(operation: dict[str, Any]) -> list[int]:
    statuses = [503]  # every API operation opens a database session
    if operation.get("security"):  # the bearer scheme: get_current_user
        statuses.append(401)
    if "requestBody" in operation:
        statuses += [400, 413]
    if operation.get("parameters") or "requestBody" in operation:
        statuses.append(422)
    return statuses


def _component(schemas: dict[str, Any], model: type[BaseModel]) -> dict[str, str]:
    """Put the model's schema in components (once); return a reference to it."""
    if model.__name__ not in schemas:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(name, definition)
        schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _add_common_errors(document: dict[str, Any]) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for path in document.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, entry in errors(*_common_statuses(operation)).items():
                if status == 422 or str(status) not in responses:
                    described = {k: v for k, v in entry.items() if k != "model"}
                    described["content"] = {
                        "application/json": {"schema": _component(schemas, entry["model"])}
                    }
                    responses[str(status)] = described
    # FastAPI's own 422 shape is replaced by ours everywhere.
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)


def document_common(app: FastAPI) -> None:
    """Describe JSON query parameters and add the statuses shared by every operation of a kind
    (see the module docstring), once, when the document is first built."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            _json_query_parameters(document)
            _add_common_errors(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _json_query_parameters(document: dict[str, Any]) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for path in document.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                name = parameter.get("schema", {}).get(_JSON_QUERY_KEY)
                if name is None:
                    continue
                model = _JSON_QUERY_MODELS[name]
                del parameter["schema"]
                parameter["content"] = {"application/json": {"schema": _component(schemas, model)}}
