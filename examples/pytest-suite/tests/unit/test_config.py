from chatapp.config import RealWebSocketTestConfig, WebSocketTestConfig


def test_defaults():
    config = WebSocketTestConfig()
    assert config.url.startswith("ws://")
    assert config.connect_timeout == 5


def test_real_config_has_stack_timeout():
    assert RealWebSocketTestConfig().stack_startup_timeout == 120
