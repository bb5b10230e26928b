import pytest

from chatapp.rooms import Room, RoomError


@pytest.mark.parametrize("name", ["a", "general", "x" * 64, "dev-ops", "Ünïcödé"])
def test_valid_names(name):
    assert Room(name).name == name


@pytest.mark.parametrize("name", ["", "x" * 65])
def test_invalid_names(name):
    with pytest.raises(RoomError):
        Room(name)
