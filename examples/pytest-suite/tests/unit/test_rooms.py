import pytest

from chatapp.rooms import Room, RoomError


@pytest.fixture
def room():
    return Room("general", capacity=2)


def test_join_twice_is_a_no_op(room):
    assert room.join("ann")
    assert not room.join("ann")


def test_full_room_refuses(room):
    room.join("ann")
    room.join("bob")
    with pytest.raises(RoomError, match="full"):
        room.join("cid")


def test_post_requires_membership(room):
    with pytest.raises(RoomError):
        room.post("ann", "hi")


def test_post_appends_to_history(room):
    room.join("ann")
    assert room.post("ann", "hi") == 1
    assert room.history == [("ann", "hi")]


def test_leave_unknown_member(room):
    with pytest.raises(RoomError, match="not in general"):
        room.leave("zed")
