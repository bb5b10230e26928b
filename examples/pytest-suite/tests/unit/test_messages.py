import pytest

from chatapp.messages import MessageError, normalize, render


def test_normalize_strips_whitespace():
    assert normalize("  hello \r\n") == "hello"


def test_normalize_rejects_empty():
    with pytest.raises(MessageError):
        normalize("   ")


def test_normalize_rejects_too_long():
    with pytest.raises(MessageError, match="longer than"):
        normalize("x" * 2001)


@pytest.mark.parametrize("text,expected", [
    ("**hi**", "<b>hi</b>"),
    ("`x = 1`", "<code>x = 1</code>"),
    ("<script>", "&lt;script&gt;"),
])
def test_render(text, expected):
    assert render(text) == expected
