"""``bench --e2e``: the real bot answers through the fake Bot API; rows, never timings."""

from __future__ import annotations

from bench.e2e import format_e2e, run_e2e


async def test_e2e_rows_count_every_answered_question() -> None:
    rows = await run_e2e(questions=6, users=3, rate=50.0, reload_passages=150)
    assert [r.scenario for r in rows] == ["50 questions/s", "waves of 3", "50 q/s during /reload"]
    assert [r.questions for r in rows[:2]] == [6, 6]
    assert rows[2].questions >= 3 and rows[2].note.startswith("/reload of ")
    for row in rows:
        assert row.users == 3
        assert all(isinstance(v, float) for v in (row.p50_ms, row.p95_ms, row.p99_ms))
        assert set(row.to_json()) >= {"scenario", "questions", "p50_ms", "p95_ms", "p99_ms"}
    table = format_e2e(rows).splitlines()
    assert table[0].split()[:3] == ["scenario", "questions", "users"] and len(table) == 4


async def test_a_user_asking_past_the_flood_limit_is_answered_every_time() -> None:
    # 50 questions from one chat within seconds: the bot's default limit (10 a minute) would
    # silence the 12th and the bench would wait for a reply that never comes
    rows = await run_e2e(questions=24, users=1, rate=0.0)
    assert [r.questions for r in rows] == [24, 24]
