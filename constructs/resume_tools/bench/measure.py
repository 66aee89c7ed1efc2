"""Measuring side by side: interleaved samples, min/median/max, fresh interpreters."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Stats:
    """Summary of repeated measurements of one quantity."""

    unit: str
    min: float
    median: float
    max: float
    runs: int

    @classmethod
    def of(cls, samples: list[float], unit: str) -> Stats:
        """Summarize samples."""
        return cls(unit, min(samples), statistics.median(samples), max(samples), len(samples))


def timed(action: Callable[[], object]) -> float:
    """Seconds one call of `action` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def side_by_side(
    actions: Mapping[str, Callable[[], object]], repeat: int
) -> dict[str, list[float]]:
    """Time each action `repeat` times, interleaved, so drift hits every side alike."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            samples[name].append(timed(action))
    return samples


def python_child(code: str, env: Mapping[str, str]) -> tuple[float, float]:
    """(seconds, peak MiB) of a fresh interpreter running `code`; the child reports its RSS."""
    report = (
        "\nimport resource, sys"
        "\nsys.stdout.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))"
    )
    start = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own snippet
        [sys.executable, "-c", code + report],
        env=dict(env),
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    return elapsed, int(result.stdout.strip()) / 1024


def run(command: list[str], env: Mapping[str, str]) -> None:
    """Run a command quietly; raise with its output if it fails."""
    result = subprocess.run(command, env=dict(env), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def machine() -> dict[str, str]:
    """What the numbers were measured on."""

    def first_line(tool: str, *args: str) -> str:
        path = shutil.which(tool)
        if not path:
            return "not found"
        result = subprocess.run([path, *args], capture_output=True, text=True, check=False)  # noqa: S603
        return (result.stdout.strip().splitlines() or ["?"])[0]

    return {
        "cpus": str(os.cpu_count()),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "terraform": first_line("terraform", "version"),
        "node": first_line("node", "--version"),
    }
