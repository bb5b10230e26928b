import pytest

from chatapp.messages import render


@pytest.mark.parametrize("text", ["**", "``", "** **", "a**b"])
def test_unbalanced_markers_are_kept(text):
    assert "<b>" not in render(text) or text.count("**") >= 2


@pytest.mark.xfail(reason="links are not rendered yet", strict=True)
def test_links():
    assert render("[docs](https://example.com)") == '<a href="https://example.com">docs</a>'

