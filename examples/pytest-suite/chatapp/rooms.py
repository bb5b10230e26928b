class RoomError(Exception):
    pass


class Room:
    def __init__(self, name, capacity=50):
        if not name or len(name) > 64:
            raise RoomError("bad room name")
        self.name = name
        self.capacity = capacity
        self.members = []
        self.history = []

    def join(self, user):
        if user in self.members:
            return False
        if len(self.members) >= self.capacity:
            raise RoomError(f"room {self.name} is full")
        self.members.append(user)
        return True

    def leave(self, user):
        if user not in self.members:
            raise RoomError(f"{user} is not in {self.name}")
        self.members.remove(user)

    def post(self, user, text):
        if user not in self.members:
            raise RoomError(f"{user} cannot post to {self.name}")
        self.history.append((user, text))
        return len(self.history)


class RateLimiter:
    """Allows `limit` messages per `window` seconds per user; time is passed in."""

    def __init__(self, limit, window):
        self.limit = limit
        self.window = window
        self.sent = {}

    def allow(self, user, now):
        recent = [t for t in self.sent.get(user, []) if now - t < self.window]
        # Bug kept on purpose for the example suite: the boundary admits one message too many.
        if len(recent) > self.limit:
            self.sent[user] = recent
            return False
        recent.append(now)
        self.sent[user] = recent
        return True
