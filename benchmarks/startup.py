"""Start-up cost of the `ncpflow` command, against `python -c pass` with the same interpreter.

    .venv/bin/python benchmarks/startup.py [--json] [--runs 15]

A temp folder gets a copy of the shipped config.toml pointing at a SQLite file there, and
`ncpflow init --demo` fills it with the demo cases. Then, in the same run, each of

* `python -c pass` (the floor: the interpreter, site and the venv's .pth files);
* `ncpflow --help`;
* `ncpflow case list`;
* `ncpflow case show REF` (REF: the first demo case)

is started `--runs` times as a fresh process (the `ncpflow` script next to this interpreter,
as a user runs it, output to /dev/null), interleaved: one round starts each command once, and
the order turns by one from round to round, so a busy spell on the shared machine falls on all
alike. Every run must exit 0. The script prints each command's median wall time and its ratio
to the median of `python -c pass`, with the targets: `--help` <= 10x, `case show` <= 20x
(`case list`: reported, aim ~20x). The children's CPU time (user + system) is reported beside
it: on a busy machine a long process waits for a core more often than a 10 ms one, so the wall
ratio rises with the load and the CPU ratio much less. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# command name -> target ratio (None: reported only)
TARGETS: dict[str, float | None] = {"--help": 10.0, "case list": None, "case show": 20.0}


def ncpflow_command() -> list[str]:
    """The console script installed next to this interpreter, else `python -m ncpflow`."""
    script = Path(sys.executable).with_name("ncpflow")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ncpflow"]


def prepare(folder: Path) -> tuple[dict[str, str], str]:
    """A config and a demo database in `folder`; the environment to run in, and a case ref."""
    config = folder / "config.toml"
    shipped = (ROOT / "config.toml").read_text(encoding="utf-8")
    url = f"sqlite:///{folder / 'demo.db'}"
    text, found = re.subn(r'(?m)^url = ".*"$', f'url = "{url}"', shipped, count=1)
    if not found:
        raise SystemExit("config.toml has no [database] url line to point at the temp folder")
    config.write_text(text, encoding="utf-8")
    # PYTHONDONTWRITEBYTECODE would compile every module from source on every run; an installed
    # ncpflow runs from its bytecode cache, which the warm-up runs below write.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("NCPFLOW_") and key != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(NCPFLOW_CONFIG=str(config), NCPFLOW_LOG_LEVEL="warning", COLUMNS="100")
    subprocess.run(
        [*ncpflow_command(), "init", "--demo"], cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL
    )
    listed = subprocess.run(
        [*ncpflow_command(), "case", "list", "--json"],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return env, json.loads(listed.stdout)[0]["reference"]


def run(argv: list[str], folder: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall time, and CPU time (user + system) of the child, in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        argv, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}"
        )
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return elapsed, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ncpflow-startup-") as tmp:
        folder = Path(tmp)
        env, ref = prepare(folder)
        cli = ncpflow_command()
        commands: dict[str, list[str]] = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "--help": [*cli, "--help"],
            "case list": [*cli, "case", "list"],
            "case show": [*cli, "case", "show", ref],
        }
        names = list(commands)
        for name in names:  # warm the OS page cache and write the .pyc files
            run(commands[name], folder, env)
        times: dict[str, list[float]] = {name: [] for name in names}
        cpus: dict[str, list[float]] = {name: [] for name in names}
        for n in range(args.runs):
            for name in names[n % len(names) :] + names[: n % len(names)]:
                elapsed, cpu = run(commands[name], folder, env)
                times[name].append(elapsed)
                cpus[name].append(cpu)
    floor = statistics.median(times["python -c pass"])
    cpu_floor = statistics.median(cpus["python -c pass"])
    results: dict[str, Any] = {}
    for name in names[1:]:
        median, cpu = statistics.median(times[name]), statistics.median(cpus[name])
        target = TARGETS[name]
        ratio = median / floor
        results[name] = {
            "median_ms": round(median * 1000, 1),
            "ratio": round(ratio, 1),
            "cpu_ms": round(cpu * 1000, 1),
            "cpu_ratio": round(cpu / cpu_floor, 1),
            "target": target,
            "met": None if target is None else ratio <= target,
        }
    result = {
        "runs": args.runs,
        "ref": ref,
        "python_c_pass_ms": round(floor * 1000, 1),
        "python_c_pass_cpu_ms": round(cpu_floor * 1000, 1),
        "commands": results,
        "all_met": all(r["met"] is not False for r in results.values()),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result))
        return 0 if result["all_met"] else 1
    print(
        f"medians of {args.runs} interleaved runs; python -c pass: "
        f"{result['python_c_pass_ms']} ms wall, {result['python_c_pass_cpu_ms']} ms CPU"
    )
    for name, r in results.items():
        verdict = (
            "reported"
            if r["target"] is None
            else f"target <= {r['target']:g}x: {'pass' if r['met'] else 'FAIL'}"
        )
        shown = f"ncpflow {name}" + (f" {ref}" if name == "case show" else "")
        print(
            f"{shown:<30} {r['median_ms']:>7.1f} ms  {r['ratio']:>5.1f}x  {verdict}"
            f"   (CPU {r['cpu_ms']:.1f} ms, {r['cpu_ratio']:.1f}x)"
        )
    return 0 if result["all_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
