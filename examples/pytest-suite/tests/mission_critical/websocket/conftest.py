import pytest

from chatapp.config import RealWebSocketTestConfig


@pytest.fixture
def ws_config():
    return RealWebSocketTestConfig()
