"""`make audit`'s pieces: waivers (id, reason, expiry that lapses), and reading pip-audit, PyPI
and npm answers. One test asks PyPI itself for a package with published advisories."""

import json
import urllib.error
from datetime import date, timedelta
from pathlib import Path

import pytest

from security.audit import (
    WAIVERS,
    Unreachable,
    _project_json,
    locked_python,
    parse_npm_audit,
    parse_pip_audit,
    project_findings,
)
from security.waivers import Finding, Waiver, WaiverError, apply_waivers, load_waivers

TODAY = date(2026, 12, 5)
FINDING = Finding("PyPI", "jinja2", "3.1.2", "GHSA-h5c8-rqwp-cp95", frozenset({"CVE-2024-22195"}))


def waiver(expires: date, *, id: str = "GHSA-h5c8-rqwp-cp95", package: str | None = None) -> Waiver:
    return Waiver(id, "Templates are never built from user input here.", expires, package)


def test_a_waiver_past_its_expiry_no_longer_applies() -> None:
    lapsed = waiver(TODAY - timedelta(days=1))
    verdict = apply_waivers([FINDING], [lapsed], today=TODAY)
    assert verdict.failing == [FINDING]
    assert verdict.lapsed == [(FINDING, lapsed)]
    assert verdict.waived == []


def test_a_waiver_applies_up_to_and_including_its_expiry_day() -> None:
    for expires in (TODAY, TODAY + timedelta(days=30)):
        current = waiver(expires)
        verdict = apply_waivers([FINDING], [current], today=TODAY)
        assert verdict.failing == [] and verdict.waived == [(FINDING, current)]


def test_a_waiver_matches_an_alias_and_only_its_package() -> None:
    by_cve = waiver(TODAY, id="CVE-2024-22195", package="Jinja2")
    assert apply_waivers([FINDING], [by_cve], today=TODAY).waived == [(FINDING, by_cve)]
    other = waiver(TODAY, package="markupsafe")
    assert apply_waivers([FINDING], [other], today=TODAY).failing == [FINDING]
    unrelated = waiver(TODAY, id="GHSA-0000-0000-0000")
    assert apply_waivers([FINDING], [unrelated], today=TODAY).failing == [FINDING]


def test_a_current_waiver_wins_over_a_lapsed_one() -> None:
    old, renewed = waiver(TODAY - timedelta(days=60)), waiver(TODAY + timedelta(days=10))
    verdict = apply_waivers([FINDING], [old, renewed], today=TODAY)
    assert verdict.waived == [(FINDING, renewed)] and not verdict.failing


def test_the_waiver_file_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "waivers.toml"
    path.write_text(
        '[[waiver]]\nid = "GHSA-h5c8-rqwp-cp95"\npackage = "jinja2"\n'
        'reason = "Templates are never built from user input here."\nexpires = 2027-01-31\n'
    )
    assert load_waivers(path, today=TODAY) == [
        Waiver(
            "GHSA-h5c8-rqwp-cp95",
            "Templates are never built from user input here.",
            date(2027, 1, 31),
            "jinja2",
        )
    ]
    assert load_waivers(tmp_path / "none.toml", today=TODAY) == []


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ('reason = "Not reachable from our code."\nexpires = 2027-01-31', "`id`"),
        ('id = "GHSA-1"\nexpires = 2027-01-31', "`reason`"),
        ('id = "GHSA-1"\nreason = "ok"\nexpires = 2027-01-31', "`reason`"),
        ('id = "GHSA-1"\nreason = "Not reachable from our code."', "`expires`"),
        ('id = "GHSA-1"\nreason = "Not reachable from our code."\nexpires = "soon"', "`expires`"),
        ('id = "GHSA-1"\nreason = "Not reachable from our code."\nexpires = 2028-01-01', "180"),
        ('id = "GHSA-1"\nreason = "Not reachable."\nexpires = 2027-01-01\nowner = "me"', "owner"),
    ],
)
def test_a_malformed_waiver_stops_the_audit(tmp_path: Path, entry: str, complaint: str) -> None:
    path = tmp_path / "waivers.toml"
    path.write_text(f"[[waiver]]\n{entry}\n")
    with pytest.raises(WaiverError, match=complaint):
        load_waivers(path, today=TODAY)


def test_the_checked_in_waiver_file_is_valid() -> None:
    for entry in load_waivers(WAIVERS, today=date.today()):
        assert not entry.lapsed(date.today()), f"{entry.id} lapsed: fix it or renew the waiver"


def test_pins_per_python_version_are_all_kept() -> None:
    exported = (
        "aiosqlite==0.22.1 \\\n    --hash=sha256:00\n"
        "deprecated==1.3.1 ; python_full_version < '3.12' \\\n"
        "deprecated==3.0.1 ; python_full_version >= '3.12' \\\n"
        "    # via opentelemetry-api\n"
    )
    assert locked_python(exported) == {"aiosqlite": ["0.22.1"], "deprecated": ["1.3.1", "3.0.1"]}


def test_pip_audit_findings_and_skips_are_read() -> None:
    report = {
        "dependencies": [
            {
                "name": "Jinja2",
                "version": "3.1.2",
                "vulns": [
                    {
                        "id": "GHSA-h5c8-rqwp-cp95",
                        "fix_versions": ["3.1.3"],
                        "aliases": ["CVE-2024-22195"],
                        "description": "xmlattr filter allows keys with spaces\nmore text",
                    }
                ],
            },
            {"name": "rich", "version": "15.0.0", "vulns": []},
            {"name": "Redis", "skip_reason": "Dependency not found on PyPI: redis (8.1.0)"},
        ],
        "fixes": [],
    }
    findings, skipped = parse_pip_audit(report)
    assert skipped == ["redis"]
    assert findings == [
        Finding(
            "PyPI",
            "Jinja2",
            "3.1.2",
            "GHSA-h5c8-rqwp-cp95",
            frozenset({"CVE-2024-22195"}),
            "xmlattr filter allows keys with spaces",
            "3.1.3",
        )
    ]


def test_pypi_project_advisories_are_exact_only_for_the_newest_release() -> None:
    document = {
        "info": {"version": "2.6.1"},
        "vulnerabilities": [
            {"id": "PYSEC-2017-94", "aliases": ["CVE-2013-7459"], "summary": None,
             "details": "Heap overflow in ALGnew", "fixed_in": [], "withdrawn": None},
            {"id": "PYSEC-0000-1", "aliases": [], "details": "gone", "withdrawn": "2020-01-01"},
        ],
    }  # fmt: skip
    findings, exact = project_findings("pycrypto", "2.6.1", document)
    assert exact and [f.id for f in findings] == ["PYSEC-2017-94"]
    assert findings[0].aliases == {"CVE-2013-7459"} and findings[0].summary.startswith("Heap")
    assert project_findings("pycrypto", "2.6", document)[1] is False


def test_pypi_answers_with_the_advisories_of_a_known_vulnerable_package() -> None:
    """The advisory source `make audit` falls back on, asked for real: pycrypto's last release
    has published advisories, so an audit that reads nothing would fail here."""
    try:
        document = _project_json("pycrypto")
    except (urllib.error.URLError, TimeoutError) as exc:
        pytest.skip(f"PyPI not reachable: {exc}")
    findings, exact = project_findings("pycrypto", "2.6.1", document)
    assert exact
    ids = {identifier for finding in findings for identifier in finding.ids}
    assert "PYSEC-2017-94" in ids
    lapsed = waiver(TODAY - timedelta(days=1), id="PYSEC-2017-94")
    assert apply_waivers(findings, [lapsed], today=TODAY).failing == findings


NPM_REPORT = {
    "auditReportVersion": 2,
    "vulnerabilities": {
        "dompurify": {
            "name": "dompurify",
            "severity": "moderate",
            "isDirect": True,
            "via": [
                {
                    "source": 1102257,
                    "name": "dompurify",
                    "dependency": "dompurify",
                    "title": "DOMPurify allows tampering by prototype pollution",
                    "url": "https://github.com/advisories/GHSA-mmhx-hmjr-r674",
                    "severity": "moderate",
                    "range": "<2.5.4",
                }
            ],
            "effects": ["vue-markdown"],
            "range": "<2.5.4",
            "nodes": ["node_modules/dompurify"],
            "fixAvailable": {"name": "dompurify", "version": "3.2.4", "isSemVerMajor": True},
        },
        "vue-markdown": {
            "name": "vue-markdown",
            "severity": "moderate",
            "via": ["dompurify"],
            "nodes": ["node_modules/vue-markdown"],
            "fixAvailable": False,
        },
    },
    "metadata": {"vulnerabilities": {"moderate": 2, "total": 2}},
}
LOCK = {"packages": {"": {}, "node_modules/dompurify": {"version": "2.4.0"}}}


def test_npm_audit_findings_are_read_with_their_installed_version() -> None:
    assert parse_npm_audit(json.loads(json.dumps(NPM_REPORT)), LOCK) == [
        Finding(
            "npm",
            "dompurify",
            "2.4.0",
            "GHSA-mmhx-hmjr-r674",
            frozenset({"1102257"}),
            "DOMPurify allows tampering by prototype pollution",
            "dompurify@3.2.4",
        )
    ]


def test_an_npm_audit_without_a_report_is_unreachable_not_clean() -> None:
    refused = {
        "message": "405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk",
        "statusCode": 405,
        "error": {"summary": "", "detail": ""},
    }
    with pytest.raises(Unreachable, match="405 Method Not Allowed"):
        parse_npm_audit(refused, LOCK)
    with pytest.raises(Unreachable):
        parse_npm_audit({}, LOCK)
