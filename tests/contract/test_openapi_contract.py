"""The OpenAPI document is the contract: schemathesis runs every operation, as every role and
signed out, against a real server, with every check, and any finding fails.

Seeded (a person per role, tickets, comments, views, layouts) so that ids exist; derandomised
with a fixed seed so that CI sees the same cases each run; bounded (CONTRACT_EXAMPLES per
operation and phase, 10 by default) to fit the suite's time.
"""

import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest

from deskboard.app import create_app
from tests.contract.runner import CHECKS, run
from tests.contract.server import LiveServer, live_server

log = logging.getLogger(__name__)

ROLES = ["admin", "agent", "user", "guest", "anonymous"]
SEED = 20261205
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "10"))
# Development runs only: comma-separated path prefixes to run (e.g. "/api/teams,/api/webhooks");
# unset (as in CI), every operation runs.
INCLUDE = [prefix for prefix in os.environ.get("CONTRACT_INCLUDE", "").split(",") if prefix]

# What JSON Schema cannot say, and the test therefore allows on schema-valid requests, each with
# why (positive_data_acceptance: a schema-valid request may still get these statuses).
# Nothing else is allowed, and no operation or check is left out.
SEMANTIC_REFUSALS: list[tuple[list[str], list[str], str]] = [
    (
        ["GET /api/users", "GET /api/audit", "GET /api/notifications", "GET /api/tickets"],
        ["400"],
        "a cursor is opaque: only the server knows which strings it issued, and for which sort",
    ),
    (
        [
            "POST /api/layout/{user_id}",
            "PUT /api/layout/{user_id}",
            "PUT /api/layout-templates/{role}",
        ],
        ["422"],
        "a layout's widgets must not overlap, must fit the 12 columns (x + w), have unique ids "
        "and per-type settings and sizes from the widget registry: beyond JSON Schema",
    ),
    (
        ["POST /api/tickets", "PUT /api/tickets/{ticket_id}"],
        ["422"],
        "a referenced requester or assignee must be an active user (an assignee: staff), a "
        "status may only move along the workflow from the ticket's current status, and "
        "attachment_ids must be the caller's drafts",
    ),
    (
        ["POST /api/tickets/{ticket_id}/comments"],
        ["422"],
        "attachment_ids must name the caller's own uploads not yet attached to a comment "
        "(drafts, or files they uploaded to that ticket): which ids those are, only the "
        "server knows",
    ),
    (
        ["POST /api/auth/register", "POST /api/users", "PATCH /api/users/{user_id}"],
        ["422"],
        "the password policy refuses passwords on a common-password list or containing the "
        "email, the name or 'deskboard', and measures length after NFKC normalisation",
    ),
    (
        ["POST /api/sla-policies", "PATCH /api/sla-policies/{policy_id}"],
        ["422"],
        "a policy's calendar_id must name an existing calendar",
    ),
    (
        ["POST /api/calendars", "PATCH /api/calendars/{calendar_id}"],
        ["422"],
        "a day's opening intervals must be ordered and not overlap, and seeded holidays need a "
        "country, subdivision and years that the holidays package knows",
    ),
    (
        ["POST /api/tickets", "POST /api/tickets/{ticket_id}/comments"],
        ["422"],
        "an Idempotency-Key already used by the same person with another body (or on another "
        "ticket) is refused: only the server knows which keys it has seen",
    ),
    (
        ["POST /api/views"],
        ["422"],
        "a person keeps at most MAX_VIEWS_PER_OWNER views",
    ),
    (
        ["POST /api/auth/login"],
        ["422"],
        "email-validator refuses special-use domains (.invalid, .local, ...) that JSON Schema's "
        "email format allows; API token accounts have such addresses and never sign in",
    ),
    (
        ["POST /api/teams", "PATCH /api/teams/{team_id}"],
        ["422"],
        "member_ids must name existing staff accounts (agents and admins)",
    ),
    (
        ["POST /api/saved-replies", "PATCH /api/saved-replies/{reply_id}"],
        ["422"],
        "a body must be a template the sandboxed template language accepts (known variables "
        "and filters, balanced tags), and team_id must name an existing team, be given for a "
        "team reply and only for one",
    ),
    (
        ["POST /api/saved-replies/{reply_id}/render"],
        ["422"],
        "ticket_id must name a ticket the caller may see",
    ),
    (
        ["POST /api/webhooks", "PATCH /api/webhooks/{webhook_id}"],
        ["422"],
        "a webhook URL must parse as an http(s) URL with a host, a valid non-zero port, no "
        "credentials or fragment; in production a literal private address is refused too",
    ),
    (
        ["POST /api/automations", "PATCH /api/automations/{automation_id}"],
        ["422"],
        "what a rule's actions name must exist (team, saved reply other than someone else's "
        "personal one, webhook, users; a set assignee: active staff), a time rule needs "
        "after_minutes and only a time rule may have it, and conditions may not say 'me' "
        "(a rule runs for nobody in particular)",
    ),
    (
        ["POST /api/mailboxes", "PATCH /api/mailboxes/{mailbox_id}"],
        ["422"],
        "auth 'xoauth2' is in the model (DESIGN.md) but refused until XOAUTH2 sign-in is built",
    ),
    (
        ["POST /api/plugins/oncall/shifts", "PATCH /api/plugins/oncall/shifts/{shift_id}"],
        ["422"],
        "(example plugin) a shift ends after it starts and names an active agent or admin",
    ),
]


# Findings that contradict the document itself, each pinned to what makes it false: if the
# document changes so that the finding could be true, the pin fails and the finding counts again.
# Schemathesis (4.32.5) reports a saved-reply PATCH without team_id as "schema-violating ... Missing
# required property: team_id", although SavedReplyUpdate requires nothing (every field is
# optional in a PATCH); seen on the admin role only, on both databases. To be reported upstream.
FALSE_POSITIVES: list[tuple[str, str, str, str]] = [
    (
        "PATCH /api/saved-replies/{reply_id}",
        "Schema-violating request accepted",
        "Missing required property: team_id",
        "SavedReplyUpdate",
    ),
]


def _is_false_positive(spec: dict[str, Any], operation: str, title: str, text: str) -> bool:
    for label, known_title, message, component in FALSE_POSITIVES:
        schema = spec["components"]["schemas"][component]
        if (operation, title) == (label, known_title) and message in text:
            # Only while the component really requires nothing.
            assert "required" not in schema, f"{component} now has required fields: a real finding"
            return True
    return False


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server() as running:
        yield running


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app().openapi()


def test_every_operation_is_in_the_run(spec: dict[str, Any]) -> None:
    operations = [
        f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item
    ]
    # The whole API: a new router that is left out of the document would show up here.
    assert len(operations) >= 40, operations
    for labels, _, _ in SEMANTIC_REFUSALS:
        assert set(labels) <= set(operations), labels


@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_its_contract(server: LiveServer, spec: dict[str, Any], role: str) -> None:
    headers = {"Authorization": server.tokens[role]} if role in server.tokens else {}
    result = run(
        spec,
        base_url=server.base_url,
        headers=headers,
        max_examples=EXAMPLES,
        seed=SEED,
        semantic_refusals=[(labels, statuses) for labels, statuses, _ in SEMANTIC_REFUSALS],
        include_paths=INCLUDE or None,
    )
    summary = (
        f"contract as {role}: {result.cases} cases "
        f"({', '.join(f'{phase} {n}' for phase, n in sorted(result.cases_per_phase.items()))}), "
        f"{len(result.failures)} unique failures, {len(result.errors)} errors, "
        f"{len(CHECKS)} checks"
    )
    log.warning(summary)
    print(summary)
    assert result.cases > 0
    for key in [
        k for k, text in result.failures.items() if _is_false_positive(spec, k[0], k[1], text)
    ]:
        log.warning(
            "contract as %s: known schemathesis false positive set aside: %s", role, key[:2]
        )
        del result.failures[key]
    report = "\n\n".join(
        f"--- {operation}: {title}\n{text[:2000]}"
        for (operation, title, _), text in sorted(result.failures.items())
    )
    assert not result.failures, f"{summary}\n\n{report}"
    assert not result.errors, f"{summary}\n\n" + "\n".join(result.errors)
