import time


def backoff(attempt, base=0.5, cap=30.0):
    return min(cap, base * 2 ** attempt)


def test_backoff_grows():
    assert [backoff(a) for a in range(4)] == [0.5, 1.0, 2.0, 4.0]


def test_backoff_is_capped():
    assert backoff(20) == 30.0


def test_reconnect_storm():
    time.sleep(1.2)
