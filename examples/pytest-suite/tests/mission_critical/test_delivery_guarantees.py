from chatapp.rooms import Room


def test_history_keeps_order():
    room = Room("ops")
    room.join("ann")
    for i in range(5):
        room.post("ann", f"m{i}")
    assert [t for _, t in room.history] == [f"m{i}" for i in range(5)]


def test_message_ids_are_sequential():
    room = Room("ops")
    room.join("ann")
    assert [room.post("ann", "x") for _ in range(3)] == [1, 2, 3]
