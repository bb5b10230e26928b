import pytest

from chatapp.services import service_url, start_docker_services


@pytest.fixture(scope="module")
def docker_stack():
    # Raises "RuntimeError: Failed to start Docker services" unless CHATAPP_DOCKER_HOST is set,
    # the way a harness fails on a runner without a Docker daemon.
    start_docker_services()
    yield


@pytest.fixture
def backend():
    return service_url("backend")
