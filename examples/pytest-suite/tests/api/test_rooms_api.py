import time


def test_create_room(api):
    assert api.call("POST", "/rooms", {"name": "general"})[0] == 201


def test_unknown_method(api):
    assert api.call("DELETE", "/rooms")[0] == 405


def test_many_rooms(api):
    for i in range(20):
        api.call("POST", "/rooms", {"name": f"room-{i}"})
    assert len(api.rooms) == 20


def test_room_listing_is_slow():
    time.sleep(1.5)
