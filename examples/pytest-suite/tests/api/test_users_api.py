def test_create_user(api):
    status, body = api.call("POST", "/users", {"name": "ann"})
    assert status == 201 and body["name"] == "ann"


def test_duplicate_user_conflicts(api):
    api.call("POST", "/users", {"name": "ann"})
    status, _ = api.call("POST", "/users", {"name": "ann"})
    assert status == 409


def test_get_missing_user(api):
    status, _ = api.call("GET", "/users/nobody")
    assert status == 404


def test_get_user(api):
    api.call("POST", "/users", {"name": "bob"})
    assert api.call("GET", "/users/bob") == (200, {"name": "bob"})
