import time

import pytest


class FakeApi:
    """An in-process stand-in for the HTTP API; latency makes these files slower than unit tests."""

    def __init__(self, latency):
        self.latency = latency
        self.users = {}
        self.rooms = {}

    def call(self, method, path, body=None):
        time.sleep(self.latency)
        if method == "POST" and path == "/users":
            if body["name"] in self.users:
                return 409, {"error": "exists"}
            self.users[body["name"]] = body
            return 201, body
        if method == "GET" and path.startswith("/users/"):
            name = path.rsplit("/", 1)[1]
            return (200, self.users[name]) if name in self.users else (404, {"error": "not found"})
        if method == "POST" and path == "/rooms":
            self.rooms[body["name"]] = []
            return 201, body
        if method == "GET" and path == "/search":
            q = body["q"]
            return 200, sorted(n for n in list(self.users) + list(self.rooms) if q in n)
        return 405, {"error": "method not allowed"}


@pytest.fixture
def api():
    return FakeApi(latency=0.05)
