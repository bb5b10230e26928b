import sys

import pytest

from chatapp.messages import normalize, render


def test_emoji_survive():
    assert normalize("hi 👋") == "hi 👋"


def test_rtl_text():
    assert render("مرحبا") == "مرحبا"


@pytest.mark.skipif(sys.maxunicode < 0x10FFFF, reason="narrow unicode build")
def test_astral_plane():
    assert len(normalize("𝄞")) == 1


@pytest.mark.skip(reason="grapheme clusters are not supported yet")
def test_grapheme_length():
    assert len(normalize("👨‍👩‍👧")) == 1
