import time

import pytest


@pytest.fixture
def populated(api):
    for name in ("ann", "anna", "bob"):
        api.call("POST", "/users", {"name": name})
    api.call("POST", "/rooms", {"name": "announcements"})
    return api


def test_search_prefix(populated):
    assert populated.call("GET", "/search", {"q": "ann"})[1] == ["ann", "anna", "announcements"]


def test_search_nothing(populated):
    assert populated.call("GET", "/search", {"q": "zzz"})[1] == []


def test_search_index_rebuild():
    time.sleep(2.5)
    assert True
