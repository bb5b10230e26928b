import sqlite3


def migrate(db, steps):
    for step in steps:
        db.execute(step)
    return db.execute("select name from sqlite_master where type = 'table' order by name").fetchall()


def test_migrations_apply_in_order():
    db = sqlite3.connect(":memory:")
    tables = migrate(db, ["create table a (x)", "create table b (y)", "alter table a add column z"])
    assert tables == [("a",), ("b",)]
