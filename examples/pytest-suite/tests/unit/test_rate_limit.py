from chatapp.rooms import RateLimiter


def test_allows_up_to_the_limit():
    limiter = RateLimiter(limit=3, window=10)
    assert all(limiter.allow("ann", now=t) for t in (0, 1, 2))


def test_blocks_over_the_limit():
    limiter = RateLimiter(limit=3, window=10)
    for t in (0, 1, 2):
        limiter.allow("ann", now=t)
    # A product bug: the fourth message inside the window is admitted.
    assert limiter.allow("ann", now=3) is False


def test_window_slides():
    limiter = RateLimiter(limit=1, window=10)
    assert limiter.allow("ann", now=0)
    assert limiter.allow("ann", now=11)
