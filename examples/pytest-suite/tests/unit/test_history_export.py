import csv
import io

from chatapp.rooms import Room


def export(room):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["user", "text"])
    writer.writerows(room.history)
    return out.getvalue()


def test_export_has_header():
    room = Room("x")
    assert export(room).splitlines() == ["user,text"]


def test_export_quotes_commas():
    room = Room("x")
    room.join("ann")
    room.post("ann", "a, b")
    assert export(room).splitlines()[1] == 'ann,"a, b"'
