"""Speed of `guanjia load-demo` on a fresh SQLite database (issue 2: under 60 s on this machine).

Makes a temporary GUANJIA_DATA_DIR, migrates it (not timed), then runs the load in a new process as a
user would and prints its wall time, interpreter start-up included, and the time the loader itself
reports. Repeats with --runs N and prints the median.

    .venv/bin/python -m bench.bench_load_demo [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def guanjia() -> list[str]:
    script = Path(sys.executable).with_name("guanjia")
    return (
        [str(script)] if script.exists() else [sys.executable, "-m", "django", "--settings=guanjia.settings"]
    )


def one_run() -> tuple[float, float | None]:
    """(wall seconds of the load_demo process, seconds the loader reports)."""
    with tempfile.TemporaryDirectory(prefix="gj-bench-demo-") as data_dir:
        env = {**os.environ, "GUANJIA_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        subprocess.run([*guanjia(), "migrate", "--verbosity", "0"], env=env, check=True, timeout=300)
        started = time.perf_counter()
        done = subprocess.run(
            [*guanjia(), "load-demo"], env=env, check=True, timeout=300, capture_output=True, text=True
        )
        wall = time.perf_counter() - started
    reported = re.search(r"用时 ([\d.]+) 秒", done.stdout)
    return wall, float(reported.group(1)) if reported else None


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    walls = []
    for n in range(1, args.runs + 1):
        wall, reported = one_run()
        walls.append(wall)
        inside = f"{reported:.1f} s" if reported is not None else "?"
        print(f"run {n}: guanjia load-demo {wall:.1f} s wall (loader itself: {inside})")
    median = statistics.median(walls)
    print(f"load-demo on SQLite, median of {len(walls)}: {median:.1f} s (target < 60 s)")
    return median


if __name__ == "__main__":
    main()
