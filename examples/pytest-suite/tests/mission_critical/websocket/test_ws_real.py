def test_connect_within_startup_timeout(ws_config):
    # Uses the setting's old name: fails with AttributeError (config drift between fixtures and tests).
    assert ws_config.docker_startup_timeout >= 60


def test_url(ws_config):
    assert ws_config.url.endswith("/ws")
