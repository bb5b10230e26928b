import pytest

pytestmark = pytest.mark.docker


def test_delivery_through_queue(docker_stack):
    assert True


def test_delivery_order(docker_stack):
    assert True
