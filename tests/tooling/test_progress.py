"""Progress lines: the time since start on each, one word when a step runs long."""

from __future__ import annotations

from resume_tools.progress import MIN_SLOW_S, TYPICAL_LOCAL_CLOUD_S, StepLog


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def step_log(clock: FakeClock, lines: list[str]) -> StepLog:
    # The watcher checks once an hour: the tests call check() themselves.
    return StepLog(
        "dev", TYPICAL_LOCAL_CLOUD_S, write=lines.append, clock=clock, check_every_s=3600
    )


def test_each_line_carries_the_time_since_start() -> None:
    clock, lines = FakeClock(), list[str]()
    log = step_log(clock, lines)

    clock.now += 4.25
    log("synth: synthesized all stacks")
    log.close()

    assert lines == ["dev: [  4.2s] synth: synthesized all stacks"]


def test_a_slow_step_is_named_once_with_its_usual_time() -> None:
    clock, lines = FakeClock(), list[str]()
    log = step_log(clock, lines)
    log("[cloud-resume-dev-backend] apply")

    clock.now += 35
    log.check()
    clock.now += 30
    log.check()
    log.close()

    assert lines[1:] == [
        'dev: [ 35.0s] still in "[cloud-resume-dev-backend] apply" after 35 s'
        " (usually ~11 s here, on 2 cores)"
    ]


def test_a_step_within_twice_its_usual_time_says_nothing_more() -> None:
    clock, lines = FakeClock(), list[str]()
    log = step_log(clock, lines)
    log("[cloud-resume-dev-backend] apply")

    clock.now += 21.9  # twice the usual 11 s is slow
    log.check()
    log("site: upload")
    clock.now += MIN_SLOW_S - 0.1
    log.check()
    log.close()

    assert [line.split("] ", 1)[1] for line in lines] == [
        "[cloud-resume-dev-backend] apply",
        "site: upload",
    ]


def test_a_step_the_table_does_not_know_is_slow_after_the_minimum() -> None:
    clock, lines = FakeClock(), list[str]()
    log = step_log(clock, lines)
    log("demo history: 61 days of pages and site written")

    clock.now += MIN_SLOW_S
    log.check()
    log.close()

    assert lines[-1].endswith("after 10 s (no usual time known, on 2 cores)")
