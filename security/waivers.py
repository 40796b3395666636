"""Waivers: known vulnerabilities accepted for a while, each with a reason and an expiry date.

A waiver applies up to and including its `expires` day; from the next day on the finding fails
the audit again, so an accepted risk is looked at again rather than forgotten.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# A waiver is a short reprieve, not a policy: renew it on purpose if it is still needed.
MAX_WAIVER_DAYS = 180


class WaiverError(ValueError):
    """The waiver file is malformed: the audit stops rather than guess."""


@dataclass(frozen=True)
class Waiver:
    id: str
    reason: str
    expires: date
    package: str | None = None  # None: any package with this advisory

    def lapsed(self, today: date) -> bool:
        return today > self.expires


@dataclass(frozen=True)
class Finding:
    ecosystem: str  # "PyPI" or "npm"
    package: str
    version: str
    id: str
    aliases: frozenset[str] = field(default_factory=frozenset)
    summary: str = ""
    fix: str = ""

    @property
    def ids(self) -> frozenset[str]:
        return frozenset({self.id, *self.aliases})

    def describe(self) -> str:
        also = ", ".join(sorted(self.aliases - {self.id}))
        fix = f"; fixed in {self.fix}" if self.fix else ""
        text = f"{self.ecosystem} {self.package} {self.version}: {self.id}"
        return (
            text
            + (f" ({also})" if also else "")
            + fix
            + (f" - {self.summary}" if self.summary else "")
        )


def load_waivers(path: Path, *, today: date) -> list[Waiver]:
    """Read and check the waiver file; a missing file means no waivers."""
    if not path.exists():
        return []
    try:
        document = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise WaiverError(f"{path}: {exc}") from exc
    waivers = []
    for number, entry in enumerate(document.get("waiver", []), start=1):
        where = f"{path} waiver #{number}"
        unknown = set(entry) - {"id", "package", "reason", "expires"}
        if unknown:
            raise WaiverError(f"{where}: unknown keys {sorted(unknown)}")
        waiver_id, reason, expires = entry.get("id"), entry.get("reason"), entry.get("expires")
        if not isinstance(waiver_id, str) or not waiver_id.strip():
            raise WaiverError(f"{where}: `id` (the advisory id) is required")
        if not isinstance(reason, str) or len(reason.strip()) < 10:
            raise WaiverError(f"{where} ({waiver_id}): `reason` must say why, in a sentence")
        if not isinstance(expires, date):
            raise WaiverError(f"{where} ({waiver_id}): `expires` must be a date (2027-01-31)")
        if expires > today + timedelta(days=MAX_WAIVER_DAYS):
            raise WaiverError(
                f"{where} ({waiver_id}): expires {expires}, more than {MAX_WAIVER_DAYS} days away"
            )
        package = entry.get("package")
        if package is not None and not isinstance(package, str):
            raise WaiverError(f"{where} ({waiver_id}): `package` must be a name")
        waivers.append(Waiver(waiver_id.strip(), reason.strip(), expires, package))
    return waivers


@dataclass
class Verdict:
    failing: list[Finding]
    waived: list[tuple[Finding, Waiver]]
    lapsed: list[tuple[Finding, Waiver]]  # matched only by a waiver past its date: failing too


def _matches(waiver: Waiver, finding: Finding) -> bool:
    package_ok = waiver.package is None or waiver.package.lower() == finding.package.lower()
    return package_ok and waiver.id in finding.ids


def apply_waivers(findings: list[Finding], waivers: list[Waiver], *, today: date) -> Verdict:
    verdict = Verdict([], [], [])
    for finding in findings:
        matching = [w for w in waivers if _matches(w, finding)]
        current = [w for w in matching if not w.lapsed(today)]
        if current:
            verdict.waived.append((finding, current[0]))
            continue
        verdict.failing.append(finding)
        if matching:
            verdict.lapsed.append((finding, matching[0]))
    return verdict
