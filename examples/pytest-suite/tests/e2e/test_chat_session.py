import time

from chatapp.messages import render
from chatapp.rooms import Room


def test_full_session():
    room = Room("e2e")
    for user in ("ann", "bob"):
        room.join(user)
    room.post("ann", render("**hello** bob"))
    time.sleep(1.8)
    assert room.history[0] == ("ann", "<b>hello</b> bob")


def test_session_leave():
    room = Room("e2e")
    room.join("ann")
    room.leave("ann")
    assert room.members == []
