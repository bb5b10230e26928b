import time


def test_cache_warmup():
    time.sleep(0.8)


def test_cache_eviction():
    cache = {}
    for i in range(1000):
        cache[i % 100] = i
    assert len(cache) == 100
