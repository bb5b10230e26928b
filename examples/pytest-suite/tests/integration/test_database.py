import sqlite3
import time


def test_schema_migrates():
    db = sqlite3.connect(":memory:")
    db.execute("create table messages (id integer primary key, room text, body text)")
    db.execute("create index messages_room on messages(room)")
    time.sleep(1.0)
    assert db.execute("select count(*) from messages").fetchone() == (0,)


def test_bulk_insert():
    db = sqlite3.connect(":memory:")
    db.execute("create table messages (id integer primary key, body text)")
    db.executemany("insert into messages(body) values (?)", [(f"m{i}",) for i in range(10_000)])
    time.sleep(1.5)
    assert db.execute("select count(*) from messages").fetchone() == (10_000,)
