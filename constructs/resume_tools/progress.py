"""Progress a person can read: the time since start on each line, and a slow step named.

log = StepLog("dev", TYPICAL_LOCAL_CLOUD_S)
log("package")          # dev: [  0.9s] package
...                     # dev: [ 31.0s] still in "package" after 30 s (usually ~1 s here, …)
log.close()
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence

# How long each step of a cold local cloud takes on a 2-core machine (the README's
# performance table has the whole), matched against a step's line; the first match counts.
TYPICAL_LOCAL_CLOUD_S: tuple[tuple[str, float], ...] = (
    (r"starting moto", 1),
    (r"^package$", 1),
    (r"^synth", 4),
    (r"\binit\b", 2),
    (r"moving its state", 1.5),
    (r"backend\] apply", 11),
    (r"\] apply", 5),
    (r"^site: upload", 1),
)
# A step is slow at twice its usual time, and never before this.
MIN_SLOW_S = 10.0


class StepLog:
    """A Log (one line per call) that times each step and speaks up when one runs long."""

    def __init__(
        self,
        prog: str,
        typical_s: Sequence[tuple[str, float]],
        *,
        write: Callable[[str], None] = lambda line: print(line, flush=True),
        clock: Callable[[], float] = time.monotonic,
        check_every_s: float = 1.0,
    ) -> None:
        self._prog = prog
        self._typical = [(re.compile(pattern), seconds) for pattern, seconds in typical_s]
        self._write = write
        self._clock = clock
        self.started = clock()
        self._lock = threading.Lock()
        self._step = ""
        self._step_started = self.started
        self._warned = False
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._watch_steps, args=(check_every_s,))
        self._watch.daemon = True
        self._watch.start()

    def elapsed_s(self) -> float:
        """Seconds since the log was made."""
        return self._clock() - self.started

    def __call__(self, message: str) -> None:
        """Print `message` as the start of a step."""
        with self._lock:
            self._step, self._step_started, self._warned = message, self._clock(), False
            self._print(message)

    def typical_s(self, step: str) -> float | None:
        """How long `step` usually takes, if the table knows it."""
        return next((seconds for pattern, seconds in self._typical if pattern.search(step)), None)

    def check(self) -> None:
        """Say so, once, if the current step has run longer than it should."""
        with self._lock:
            if not self._step or self._warned:
                return
            running_s = self._clock() - self._step_started
            typical = self.typical_s(self._step)
            if running_s < max(MIN_SLOW_S, 2 * (typical or 0)):
                return
            self._warned = True
            usually = f"usually ~{typical:g} s here" if typical else "no usual time known"
            self._print(f'still in "{self._step}" after {running_s:.0f} s ({usually}, on 2 cores)')

    def close(self) -> None:
        """Stop watching (the step in progress is over)."""
        self._stop.set()
        self._watch.join()

    def _print(self, message: str) -> None:
        self._write(f"{self._prog}: [{self.elapsed_s():5.1f}s] {message}")

    def _watch_steps(self, every_s: float) -> None:
        while not self._stop.wait(every_s):
            self.check()
