import pytest

from chatapp.messages import paginate

ITEMS = list(range(25))


def test_first_page():
    assert paginate(ITEMS, 0, 10) == list(range(10))


def test_last_page_is_short():
    assert paginate(ITEMS, 2, 10) == [20, 21, 22, 23, 24]


def test_page_past_the_end_is_empty():
    assert paginate(ITEMS, 9, 10) == []


def test_per_page_must_be_positive():
    with pytest.raises(ValueError):
        paginate(ITEMS, 0, 0)
