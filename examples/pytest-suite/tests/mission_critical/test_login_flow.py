import time

from chatapp.auth import hash_password, check_password


def test_login_with_correct_password():
    stored = hash_password("s3cret")
    time.sleep(0.5)
    assert check_password("s3cret", stored)
