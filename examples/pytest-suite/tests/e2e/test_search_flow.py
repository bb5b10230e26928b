import time


def test_search_from_the_ui():
    time.sleep(1.0)
    assert "announcements".startswith("ann")
