"""Run every benchmark module listed in BENCHMARKS, in order."""

import importlib
import sys

BENCHMARKS: list[str] = [
    "realtime",
    "tickets",
    "speed",
    "layouts",
    "analytics",
    "sla_sweep",
    "time_rules",
    "frontend",
    "plugins",
]

if __name__ == "__main__":
    selected = sys.argv[1:] or BENCHMARKS
    for name in selected:
        print(f"== bench.{name} ==", flush=True)
        importlib.import_module(f"bench.{name}").main()
