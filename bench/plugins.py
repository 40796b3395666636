"""Plugin widget cost: what one plugin widget adds to a dashboard's time to interactive.

The same six built-in widgets, alone, plus the on-call roster (in the page: its module, CSS and
one API call), or plus the ticket heat map (a sandboxed iframe: the frame page, the shared
modules again in the frame, its module, postMessage calls). Headless Debian Chromium through
bench/frontend/plugins.mjs, fresh browser context per navigation (cold cache), variants
interleaved. `python -m bench plugins`. Knobs: DESKBOARD_BENCH_PLUGIN_NAVIGATIONS (default 10),
DESKBOARD_E2E_CHROMIUM.
"""

import json
import os
import platform
import statistics
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.frontend import PASSWORD, chromium_version, cli, ensure_build, pct, save_layout
from bench.harness import server, write_report_section

ROOT = Path(__file__).resolve().parent.parent

BASE = [
    {
        "id": f"kpi{i}",
        "type": "kpi",
        "x": i * 3,
        "y": 0,
        "w": 3,
        "h": 2,
        "settings": {"metric": ["open", "unassigned", "overdue", "open"][i]},
    }  # fmt: skip
    for i in range(4)
] + [
    {"id": "list", "type": "ticket-list", "x": 0, "y": 2, "w": 6, "h": 4, "settings": {}},
    {
        "id": "note",
        "type": "note",
        "x": 6,
        "y": 2,
        "w": 6,
        "h": 2,
        "settings": {"markdown": "**Hello**"},
    },  # fmt: skip
]
PLUGIN_WIDGETS = {
    "oncall": {"id": "p", "type": "oncall-roster", "x": 6, "y": 4, "w": 3, "h": 3, "settings": {}},
    "heatmap": {
        "id": "p",
        "type": "ticket-heatmap",
        "x": 0,
        "y": 6,
        "w": 6,
        "h": 4,
        "settings": {"days": 28},
    },  # fmt: skip
}
VARIANTS = {"builtin only": None, "+ oncall (in page)": "oncall", "+ heatmap (iframe)": "heatmap"}


def enable_plugins(base_url: str, admin_email: str) -> None:
    with httpx.Client(base_url=base_url, timeout=30) as http:
        login = http.post("/api/auth/login", json={"email": admin_email, "password": PASSWORD})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        for name in PLUGIN_WIDGETS:
            answer = http.patch(f"/api/plugins/{name}", json={"enabled": True}, headers=headers)
            if answer.status_code != 200:
                raise RuntimeError(f"enabling {name}: {answer.status_code} {answer.text}")


def main() -> None:
    navigations = int(os.environ.get("DESKBOARD_BENCH_PLUGIN_NAVIGATIONS", "10"))
    chromium = os.environ.get("DESKBOARD_E2E_CHROMIUM", "/usr/bin/chromium")
    build = ensure_build()
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores shared with other work (load average "
        f"{os.getloadavg()[0]:.1f} at the start), Chromium {chromium_version(chromium)}"
    )
    with tempfile.TemporaryDirectory(prefix="deskboard-bench-plugins-") as data_dir:
        database_url = f"sqlite+aiosqlite:///{data_dir}/deskboard.db"
        limits = {"DESKBOARD_REFRESH_RATE_LIMIT": "1000/minute"}
        env = {**os.environ, "DESKBOARD_DATA_DIR": data_dir, "DESKBOARD_DATABASE_URL": database_url,
               "DESKBOARD_ENV": "development", **limits}  # fmt: skip
        env.pop("DESKBOARD_REDIS_URL", None)
        cli(env, "migrate")
        cli(env, "seed", "--tickets", "300")
        cli(env, "create-user", "--email", "admin@bench.test", "--role", "admin",
            "--password-stdin", stdin=f"{PASSWORD}\n")  # fmt: skip
        people = {}
        for i, (variant, plugin) in enumerate(VARIANTS.items()):
            email = f"person{i}@bench.test"
            cli(env, "create-user", "--email", email, "--role", "agent", "--password-stdin",
                stdin=f"{PASSWORD}\n")  # fmt: skip
            widgets = BASE + ([PLUGIN_WIDGETS[plugin]] if plugin else [])
            people[variant] = {"email": email, "password": PASSWORD, "widgets": len(widgets),
                               "layout": widgets}  # fmt: skip
        with server(database_url, env=limits) as base_url:
            enable_plugins(base_url, "admin@bench.test")
            for person in people.values():
                save_layout(base_url, person["email"], person.pop("layout"))
            config_path = Path(data_dir) / "config.json"
            config = {"baseURL": base_url, "chromium": chromium, "navigations": navigations,
                      "people": people}  # fmt: skip
            config_path.write_text(json.dumps(config))
            script = str(ROOT / "bench/frontend/plugins.mjs")
            run = subprocess.run(["node", script, str(config_path)], cwd=ROOT, check=True,
                                 stdout=subprocess.PIPE)  # fmt: skip
    section = report(json.loads(run.stdout), navigations=navigations, build=build, machine=machine)
    print(section)
    write_report_section("Plugins", section)


def report(results: dict, *, navigations: int, build: str, machine: str) -> str:
    base = statistics.median(r["interactive"] for r in results["builtin only"])
    rows = [
        "| dashboard | ready (median) | interactive: median | p90 | worst | added (median) "
        "| plugin widget: setup to mounted (median, p90) | plugin files |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for variant, runs in results.items():
        interactive = [r["interactive"] for r in runs]
        ready = statistics.median(r["ready"] for r in runs)
        median = statistics.median(interactive)
        added = "" if variant == "builtin only" else f"{median - base:+.0f} ms"
        size = max(r["plugin_bytes"] for r in runs) / 1024
        own = [r["plugin"]["duration"] for r in runs if r.get("plugin")]
        own_text = (
            f"{statistics.median(own):.0f} ms, {pct(own, 0.9):.0f} ms ({len(own)} of {len(runs)})"
            if own
            else ""
        )
        rows.append(
            f"| {variant} | {ready:.0f} ms | {median:.0f} ms | {pct(interactive, 0.9):.0f} ms "
            f"| {max(interactive):.0f} ms | {added} | {own_text} | {size:.1f} KB |"
        )
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "## Plugins",
            "",
            "What one plugin widget adds to a dashboard's time to interactive. Six built-in "
            "widgets (4 KPIs, a ticket list, a note) alone, then with the on-call roster (in "
            "the page) or the ticket heat map (sandboxed iframe). *Ready* = every widget frame "
            "rendered with its component, and every plugin widget's host reporting `ready` (the "
            "in-page component mounted; the frame's widget mounted, as its `mounted` message "
            "says); *interactive* = ready and no long task (>= 50 ms) for 500 ms after it, from "
            "navigation start. Fresh browser context per navigation (cold HTTP cache), the "
            f"three dashboards interleaved, {navigations} navigations each after a warm-up. "
            f"UI: {build}.",
            "",
            f"Command: `.venv/bin/python -m bench plugins`; measured {now} on {machine}.",
            "",
            *rows,
            "",
            "*Plugin widget: setup to mounted* is the host's own User Timing measure "
            "(`deskboard.plugin <name>`, src/features/plugins/timing.ts): from the host "
            "component's setup to the plugin component mounted (in page) or the frame's "
            "`mounted` message (iframe): import, CSS, version check and mount; for the frame also "
            "the frame page, its shared modules and the postMessage handshake. It does not "
            "include the widget's own data request. *Added* compares medians of whole "
            "navigations and is only as good as the machine is quiet (see the load average).",
            "",
            "*Plugin files* = bytes fetched under `/plugins/` (module, CSS, the frame page). The "
            "shared `vue` and `@deskboard/sdk` modules are the app's own files, already loaded "
            "in the page; the iframe loads them again in its own document (same URLs, so from "
            "the HTTP cache after the first frame).",
        ]
    )
