import os
import time


def test_signup_then_login():
    # Set TESTSHARD_EXAMPLE_HANG=1 to make this file hang the way a stuck browser session does;
    # TestShard then kills the shard at its timeout and names this file.
    if os.environ.get("TESTSHARD_EXAMPLE_HANG") == "1":
        print("Waiting for service backend...", flush=True)
        time.sleep(3600)
    time.sleep(2.0)


def test_signup_rejects_duplicate_email():
    assert "a@example.com".lower() == "A@example.com".lower()
