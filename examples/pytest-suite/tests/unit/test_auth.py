from chatapp.auth import check_password, hash_password, issue_token, verify_token

SECRET = b"example-secret"


def test_password_round_trip():
    stored = hash_password("hunter2", salt="abcd")
    assert check_password("hunter2", stored)
    assert not check_password("hunter3", stored)


def test_token_round_trip():
    token = issue_token("ann", SECRET, ttl=60, now=1000)
    assert verify_token(token, SECRET, now=1030) == "ann"


def test_expired_token():
    token = issue_token("ann", SECRET, ttl=60, now=1000)
    assert verify_token(token, SECRET, now=2000) is None


def test_tampered_token():
    token = issue_token("ann", SECRET, ttl=60, now=1000)
    assert verify_token(token.replace("ann", "bob"), SECRET, now=1000) is None
