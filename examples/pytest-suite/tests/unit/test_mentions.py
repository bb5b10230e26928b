from chatapp.messages import mentions


def test_mentions_are_unique_and_sorted():
    assert mentions("@bob hi @alice and @bob") == ["alice", "bob"]


def test_mentions_ignore_emails():
    assert mentions("mail me at a@b.com") == []


def test_no_mentions():
    assert mentions("nothing here") == []
