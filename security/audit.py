"""`make audit`: known vulnerabilities in the locked dependencies, Python (uv.lock, every group) and
the UI's production npm packages (frontend/package-lock.json without dev dependencies).

Python: pip-audit over `uv export --frozen`, asking PyPI's advisory data (per release). Where
pip-audit cannot get an answer for a package (here: PyPI's per-release JSON is not served, so it
"skips" every package and would report "No known vulnerabilities found"), the package's project
JSON is asked instead: it lists the advisories of the newest release, which are the locked
version's own when the lock has the newest release. A locked version older than the newest is
audited only partly (advisories still open in the newest release); the audit names those.
npm: `npm audit --omit=dev`.

Exit status: 0 clean; 1 a known vulnerability without a current waiver
(security/audit-waivers.toml); 2 an advisory source could not be reached (unless allowed with
`--allow-unreachable npm|PyPI`: then it is printed as NOT AUDITED) or the waiver file is malformed.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from security.waivers import Finding, WaiverError, apply_waivers, load_waivers

ROOT = Path(__file__).resolve().parent.parent
WAIVERS = ROOT / "security" / "audit-waivers.toml"
PYPI_JSON = "https://pypi.org/pypi/{name}/json"
_PINNED = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)")


class Unreachable(RuntimeError):
    """No advisory source answered for an ecosystem: nothing can be said about it."""


@dataclass
class Audit:
    ecosystem: str
    packages: int = 0
    findings: list[Finding] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)  # "name locked (newest: x)"
    unreachable: str = ""  # why nothing was audited


# --- Python -------------------------------------------------------------------------------------


def locked_python(requirements: str) -> dict[str, list[str]]:
    """name -> versions pinned in a requirements export (one per Python-version marker)."""
    pins: dict[str, list[str]] = {}
    for line in requirements.splitlines():
        if match := _PINNED.match(line):
            versions = pins.setdefault(match.group(1).lower(), [])
            if match.group(2) not in versions:
                versions.append(match.group(2))
    return pins


def parse_pip_audit(document: dict[str, object]) -> tuple[list[Finding], list[str]]:
    """Findings and the names pip-audit could not audit, from its JSON report."""
    findings: list[Finding] = []
    skipped: list[str] = []
    for dependency in document.get("dependencies", []):  # type: ignore[attr-defined]
        name = str(dependency["name"])
        if "skip_reason" in dependency:
            skipped.append(name.lower())
            continue
        for vuln in dependency.get("vulns", []):
            findings.append(
                Finding(
                    "PyPI",
                    name,
                    str(dependency.get("version", "")),
                    str(vuln["id"]),
                    frozenset(vuln.get("aliases", [])),
                    _first_line(str(vuln.get("description", ""))),
                    ", ".join(vuln.get("fix_versions", [])),
                )
            )
    return findings, skipped


def project_findings(
    name: str, version: str, document: dict[str, object]
) -> tuple[list[Finding], bool]:
    """Advisories from a PyPI project JSON document, and whether they are exact for `version`
    (they are the newest release's; an older locked version may have more)."""
    newest = str(document["info"]["version"])  # type: ignore[index]
    findings = [
        Finding(
            "PyPI",
            name,
            version,
            str(vuln["id"]),
            frozenset(vuln.get("aliases") or []),
            _first_line(str(vuln.get("summary") or vuln.get("details") or "")),
            ", ".join(vuln.get("fixed_in") or []),
        )
        for vuln in document.get("vulnerabilities") or []  # type: ignore[attr-defined]
        if not vuln.get("withdrawn")
    ]
    return findings, newest == version


def _project_json(name: str) -> dict[str, object]:
    request = urllib.request.Request(
        PYPI_JSON.format(name=name), headers={"Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - fixed https URL
        return json.load(response)  # type: ignore[no-any-return]


def audit_python(uv: str, pip_audit: str) -> Audit:
    audit = Audit("PyPI")
    exported = _run(
        [
            uv,
            "export",
            "--frozen",
            "--format",
            "requirements-txt",
            "--all-groups",
            "--no-emit-project",
            # The example plugins (plugins/, path dependencies): our own code, not on PyPI.
            "--no-emit-local",
            "--quiet",
        ]
    )
    pins = locked_python(exported)
    audit.packages = sum(len(versions) for versions in pins.values())
    with tempfile.TemporaryDirectory() as folder:
        requirements, report = Path(folder) / "requirements.txt", Path(folder) / "report.json"
        requirements.write_text(exported)
        _run(
            [
                pip_audit,
                "--requirement",
                str(requirements),
                "--disable-pip",
                "--no-deps",
                "--vulnerability-service",
                "pypi",
                "--format",
                "json",
                "--output",
                str(report),
                "--progress-spinner",
                "off",
            ],
            ok=(0, 1),
        )
        findings, skipped = parse_pip_audit(json.loads(report.read_text()))
    audit.findings.extend(findings)
    skipped = list(dict.fromkeys(skipped))  # a name pinned per Python version is listed twice
    if not skipped:
        return audit

    def ask(name: str) -> tuple[str, dict[str, object] | None]:
        try:
            return name, _project_json(name)
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError):
            return name, None

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, skipped))
    unanswered = [name for name, document in answers if document is None]
    if len(unanswered) == len(answers):
        audit.unreachable = "neither pip-audit nor PyPI's project JSON answered"
        return audit
    for name, document in answers:
        for version in pins.get(name, ["?"]):
            if document is None:
                audit.partial.append(f"{name} {version} (no answer)")
                continue
            found, exact = project_findings(name, version, document)
            audit.findings.extend(found)
            if not exact:
                newest = document["info"]["version"]  # type: ignore[index]
                audit.partial.append(f"{name} {version} (newest: {newest})")
    return audit


# --- npm ----------------------------------------------------------------------------------------


def parse_npm_audit(document: dict[str, object], lock: dict[str, object]) -> list[Finding]:
    """Findings from `npm audit --json` (report version 2); versions from package-lock.json."""
    if "vulnerabilities" not in document:
        error = document.get("error") or {}
        message = document.get("message") or (
            error.get("summary") if isinstance(error, dict) else ""
        )
        raise Unreachable(str(message or "npm audit gave no report"))
    installed = lock.get("packages", {})
    findings = []
    for name, entry in document["vulnerabilities"].items():  # type: ignore[attr-defined]
        nodes = entry.get("nodes") or [f"node_modules/{name}"]
        version = str(installed.get(nodes[0], {}).get("version", "?"))  # type: ignore[attr-defined]
        fix = entry.get("fixAvailable")
        fix_text = f"{fix['name']}@{fix['version']}" if isinstance(fix, dict) else ""
        for via in entry.get("via", []):
            if not isinstance(via, dict):
                continue  # reached through another package, which has its own entry
            url = str(via.get("url", ""))
            advisory = url.rstrip("/").rsplit("/", 1)[-1] if url else str(via.get("source"))
            findings.append(
                Finding(
                    "npm",
                    name,
                    version,
                    advisory,
                    frozenset({str(via.get("source"))}),
                    str(via.get("title", "")),
                    fix_text,
                )
            )
    return findings


def audit_npm(frontend: Path) -> Audit:
    audit = Audit("npm")
    lock = json.loads((frontend / "package-lock.json").read_text())
    audit.packages = sum(
        1 for node, info in lock.get("packages", {}).items() if node and not info.get("dev")
    )
    output = _run(["npm", "audit", "--omit=dev", "--json"], ok=(0, 1), cwd=frontend)
    try:
        audit.findings = parse_npm_audit(json.loads(output or "{}"), lock)
    except Unreachable as exc:
        audit.unreachable = str(exc)
    return audit


# --- the command --------------------------------------------------------------------------------


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 100 else line[:97] + "..."


def _run(command: list[str], *, ok: tuple[int, ...] = (0,), cwd: Path = ROOT) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode not in ok:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"audit: `{' '.join(command[:2])}` failed with status {done.returncode}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make audit", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--allow-unreachable",
        action="append",
        default=[],
        choices=["npm", "PyPI"],
        help="report an ecosystem whose advisories cannot be reached, do not fail",
    )
    parser.add_argument("--uv", default=str(ROOT / ".tools/bin/uv"))
    parser.add_argument("--pip-audit", default=str(Path(sys.executable).parent / "pip-audit"))
    parser.add_argument("--waivers", type=Path, default=WAIVERS)
    args = parser.parse_args(argv)
    today = datetime.now(UTC).date()
    try:
        waivers = load_waivers(args.waivers, today=today)
    except WaiverError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    audits = [audit_python(args.uv, args.pip_audit), audit_npm(ROOT / "frontend")]
    verdict = apply_waivers([f for a in audits for f in a.findings], waivers, today=today)
    status = 0
    for audit in audits:
        if audit.unreachable:
            allowed = audit.ecosystem in args.allow_unreachable
            status = status if allowed else 2
            print(
                f"{audit.ecosystem}: NOT AUDITED ({audit.packages} packages): {audit.unreachable}"
                + ("" if allowed else " - failing")
            )
            continue
        print(
            f"{audit.ecosystem}: {audit.packages} locked packages audited, "
            f"{len(audit.findings)} known vulnerabilities"
        )
        if audit.partial:
            print(
                f"  audited only against advisories open in the newest release: "
                f"{', '.join(audit.partial)}"
            )
    for finding, waiver in verdict.waived:
        print(f"waived until {waiver.expires}: {finding.describe()} ({waiver.reason})")
    for finding, waiver in verdict.lapsed:
        print(
            f"waiver {waiver.id} lapsed on {waiver.expires}: it no longer covers {finding.package}"
        )
    for finding in verdict.failing:
        print(f"VULNERABLE {finding.describe()}")
    if verdict.failing:
        print(
            f"audit: {len(verdict.failing)} known vulnerabilities: upgrade the lock, or waive "
            f"one in {WAIVERS.relative_to(ROOT)} with a reason and an expiry date"
        )
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
