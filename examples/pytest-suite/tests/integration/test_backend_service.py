def test_backend_url(backend):
    assert backend.startswith("tcp://")


def test_backend_health(backend):
    assert "backend" in backend
