"""Run schemathesis' engine (the same one its CLI drives) over a schema, and collect findings."""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.engine import events

# Raw mail for the gateway (POST /api/inbound/email/{id}): real messages from the mail corpus
# and arbitrary bytes (which must be quarantined or refused, never a server error).
_CORPUS = Path(__file__).resolve().parent.parent / "mail" / "corpus"
schemathesis.openapi.media_type(
    "message/rfc822",
    st.sampled_from([path.read_bytes() for path in sorted(_CORPUS.glob("*.eml"))])
    | st.binary(min_size=1, max_size=2000),
)


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Send header values as text, as every HTTP client does. Schemathesis' inferred stateful
    links copy a response's integer id into a header parameter unconverted (seen: `X-Client-Id`
    given 3), and `requests` then refuses to send the case at all: an error of the tool that
    hid the request, not a finding about the API."""
    if case.headers:
        for name, value in list(case.headers.items()):
            if isinstance(value, int | float | bool):
                case.headers[name] = str(value).lower() if isinstance(value, bool) else str(value)


# Every check this version ships that applies to an OpenAPI run without extra configuration.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
]


_POSITIVE_DEFAULT = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]


@dataclass
class RunResult:
    cases: int = 0
    cases_per_phase: Counter[str] = field(default_factory=Counter)
    # (operation, failure kind, first line of message) -> the failure's full text, once each
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def run(
    spec: dict[str, Any],
    *,
    base_url: str,
    headers: dict[str, str],
    max_examples: int,
    seed: int,
    semantic_refusals: list[tuple[list[str], list[str]]] = (),  # type: ignore[assignment]
    include_paths: list[str] | None = None,
) -> RunResult:
    """Run every phase with every check; `semantic_refusals` adds, per operation, statuses that
    a schema-valid request may get for reasons JSON Schema cannot state (see the test).
    `include_paths` (path prefixes) narrows the run to some operations: for development only."""
    operations = [
        {
            "include-name": label,
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": [*_POSITIVE_DEFAULT, *statuses],
                }
            },
        }
        for labels, statuses in semantic_refusals
        for label in labels
    ]
    config = schemathesis.Config.from_dict(
        {
            "seed": seed,
            # Nothing carried over between runs: the same cases every time.
            "cache": {"enabled": False},
            # A generator timing guard, not a check of the API: on a loaded CI machine the
            # ticket list's patterned parameters tripped it once (PostgreSQL run, admin).
            "suppress-health-check": ["too_slow"],
            "base-url": base_url,
            "headers": headers,
            "workers": 1,
            "request-timeout": 30,
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "generation": {"max-examples": max_examples, "deterministic": True, "database": "none"},
            "operations": operations,
        }
    )
    schema = schemathesis.openapi.from_dict(spec, config=config)
    if include_paths:
        schema = schema.include(path_regex="^(" + "|".join(map(re.escape, include_paths)) + ")")
    result = RunResult()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            phase = getattr(event, "phase", "fuzzing")
            result.cases += len(event.recorder.cases)
            result.cases_per_phase[str(phase)] += len(event.recorder.cases)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    first_line = (failure.message or "").splitlines()[0:1]
                    key = (
                        failure.operation or event.recorder.label,
                        failure.title,
                        first_line[0] if first_line else "",
                    )
                    result.failures.setdefault(
                        key, f"{failure}\n\n{check.failure_info.code_sample}"
                    )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            result.errors.append(str(getattr(event, "value", getattr(event, "exception", event))))
    return result
