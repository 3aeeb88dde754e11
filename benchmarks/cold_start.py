"""Time cold ``tipgraph`` commands as whole processes and print the medians.

Usage: python benchmarks/cold_start.py [--runs N]

Each command is started afresh N times (a cold Python process each time, as a user runs it),
and the median, minimum and maximum wall-clock times are printed. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = [
    ["query", "mechanisms-covering-men-and-boys", "--format", "tsv"],
    ["query", "instruments-by-organization", "-p", "organization", "saarc", "--format", "tsv"],
    ["query", "uncited-facts", "--format", "tsv"],
    ["stats", "--format", "tsv"],
    ["export", "-o", "{tmp}/graph.ttl"],
    ["validate", "--no-quotations"],
    ["validate"],
]


def tipgraph() -> str:
    script = Path(sys.executable).parent / "tipgraph"
    found = str(script) if script.exists() else shutil.which("tipgraph")
    if found is None:
        sys.exit("tipgraph is not installed in this environment")
    return found


def time_command(command: list[str], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        timings.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (default 7)")
    args = parser.parse_args()
    executable = tipgraph()
    print(f"tipgraph: {executable}")
    print(f"cpus: {os.cpu_count()}, runs per command: {args.runs}")
    print(f"{'command':<76} {'median s':>9} {'min s':>7} {'max s':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for arguments in COMMANDS:
            command = [executable, *(a.replace("{tmp}", tmp) for a in arguments)]
            timings = time_command(command, args.runs)
            label = "tipgraph " + " ".join(arguments).replace("{tmp}", "$TMP")
            print(
                f"{label:<76} {statistics.median(timings):>9.3f} "
                f"{min(timings):>7.3f} {max(timings):>7.3f}"
            )


if __name__ == "__main__":
    main()
