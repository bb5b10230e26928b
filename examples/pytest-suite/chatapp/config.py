class WebSocketTestConfig:
    def __init__(self):
        self.url = "ws://localhost:8000/ws"
        self.connect_timeout = 5


class RealWebSocketTestConfig(WebSocketTestConfig):
    """Settings for tests against a real stack. `docker_startup_timeout` was renamed to
    `stack_startup_timeout` in the application, but some tests still use the old name."""

    def __init__(self):
        super().__init__()
        self.stack_startup_timeout = 120
