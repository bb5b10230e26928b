def test_unknown_route_is_405(api):
    assert api.call("GET", "/nope")[0] == 405


def test_latency_is_applied(api):
    import time

    start = time.monotonic()
    api.call("GET", "/nope")
    assert time.monotonic() - start >= api.latency
