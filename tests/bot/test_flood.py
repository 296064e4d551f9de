"""The sliding-minute flood limits, on an injected clock (no sleeps)."""

from __future__ import annotations

import pytest

from bot.config import FloodConfig
from bot.flood import SWEEP_EVERY_S, WINDOW_S, Decision, FloodGuard, SlidingWindow


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_a_user_past_the_limit_gets_one_notice_then_silence(clock: Clock) -> None:
    guard = FloodGuard(FloodConfig(per_user_per_minute=3), clock)
    decisions = [guard.check(7) for _ in range(6)]
    assert decisions == [Decision.ANSWER] * 3 + [Decision.NOTICE_USER] + [Decision.SILENCE] * 2


def test_answered_again_once_the_window_has_passed(clock: Clock) -> None:
    guard = FloodGuard(FloodConfig(per_user_per_minute=2), clock)
    assert [guard.check(7) for _ in range(3)][-1] is Decision.NOTICE_USER
    clock.now += WINDOW_S - 1  # still inside the minute of the first answers
    assert guard.check(7) is Decision.SILENCE
    clock.now += 1  # the first two answers age out
    assert guard.check(7) is Decision.ANSWER
    assert guard.check(7) is Decision.ANSWER
    assert guard.check(7) is Decision.NOTICE_USER  # a new flood gets a new notice


def test_the_window_slides_rather_than_resetting(clock: Clock) -> None:
    guard = FloodGuard(FloodConfig(per_user_per_minute=2), clock)
    assert guard.check(7) is Decision.ANSWER  # t=0
    clock.now += 40
    assert guard.check(7) is Decision.ANSWER  # t=40
    clock.now += 21  # t=61: only the t=0 answer has aged out
    assert guard.check(7) is Decision.ANSWER
    assert guard.check(7) is Decision.NOTICE_USER


def test_users_are_counted_apart(clock: Clock) -> None:
    guard = FloodGuard(FloodConfig(per_user_per_minute=2), clock)
    for _ in range(5):
        guard.check(1)
    assert guard.check(2) is Decision.ANSWER
    assert guard.check(2) is Decision.ANSWER


def test_a_group_limit_covers_all_its_members(clock: Clock) -> None:
    guard = FloodGuard(FloodConfig(per_user_per_minute=10, per_group_per_minute=3), clock)
    assert [guard.check(user, -100) for user in (1, 2, 3)] == [Decision.ANSWER] * 3
    assert guard.check(4, -100) is Decision.NOTICE_GROUP
    assert guard.check(5, -100) is Decision.SILENCE
    assert guard.check(4, -200) is Decision.ANSWER  # another group, and the user is within


def test_refused_questions_do_not_use_up_the_groups_budget(clock: Clock) -> None:
    guard = FloodGuard(FloodConfig(per_user_per_minute=2, per_group_per_minute=4), clock)
    for _ in range(30):
        guard.check(1, -100)  # one user floods: 2 answered, 28 refused
    assert [guard.check(2, -100) for _ in range(2)] == [Decision.ANSWER] * 2


def test_quiet_keys_are_forgotten(clock: Clock) -> None:
    guard = FloodGuard(FloodConfig(per_user_per_minute=1), clock)
    for user in range(100):
        guard.check(user)
        guard.check(user)  # refused and noticed
    assert len(guard.users) == 100
    clock.now += SWEEP_EVERY_S
    guard.check(-1)
    assert len(guard.users) == 1  # only the user who just asked
    guard.check(5)  # a forgotten user starts afresh: no leftover notice state
    assert guard.check(5) is Decision.NOTICE_USER


def test_window_full_only_at_the_limit() -> None:
    window = SlidingWindow(limit=2, span=10)
    window.add(1, 0.0)
    assert not window.full(1, 1.0)
    window.add(1, 1.0)
    assert window.full(1, 9.0)
    assert not window.full(1, 10.5)  # the t=0 one is out at t=10
