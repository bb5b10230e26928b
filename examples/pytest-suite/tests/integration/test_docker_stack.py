import pytest

pytestmark = pytest.mark.docker


def test_stack_answers(docker_stack):
    assert True


def test_stack_has_postgres(docker_stack):
    assert True


def test_stack_has_redis(docker_stack):
    assert True
