import re

import pytest

from bench import ranking


def _within_rounding(ratio: float, top: float, bottom: float) -> bool:
    """Whether ``ratio`` is top / bottom for some values printed as ``top`` and ``bottom``."""
    return (top - 0.005) / (bottom + 0.005) - 0.005 <= ratio <= (top + 0.005) / (bottom - 0.005)


def test_ranking_bench_prints_both_paths_and_their_ratio(capsys):
    ranking.main(3000, 30)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["3000", "index.search"],
        ["3000", "ranking.rank"],
        ["3000", "rank/search"],
    ]
    numbers = [[float(x) for x in re.findall(r"\d+\.\d+", line)] for line in lines]
    (search50, search95), (rank50, rank95), (ratio50, ratio95) = numbers
    assert 0 < search50 <= search95 and 0 < rank50 <= rank95
    assert _within_rounding(ratio50, rank50, search50)
    assert _within_rounding(ratio95, rank95, search95)


def test_ranking_bench_arguments_are_checked_not_a_traceback(capsys):
    assert ranking._arguments([]) == (100_000, 30)
    assert ranking._arguments(["5000", "10"]) == (5000, 10)
    for bad in (["--help"], ["x"], ["0"]):
        with pytest.raises(SystemExit):
            ranking._arguments(bad)
    assert "usage: python -m bench.ranking" in capsys.readouterr().out
