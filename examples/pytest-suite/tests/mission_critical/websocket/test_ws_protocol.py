import json


def frame(kind, **fields):
    return json.dumps({"type": kind, **fields}, sort_keys=True)


def test_frame_is_json():
    assert json.loads(frame("msg", body="hi")) == {"type": "msg", "body": "hi"}


def test_frame_is_deterministic():
    assert frame("msg", b=1, a=2) == frame("msg", a=2, b=1)
