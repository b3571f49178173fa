"""psycopg2 and psycopg 3 (Debian's python3 packages) against a running LumaDB.

Usage: python3 psycopg_clients.py PORT
Exits 0 and prints "ok: N checks" when every check passed; otherwise raises with the check
that failed. Run by PsycopgTest.
"""
import datetime
import decimal
import io
import sys

import psycopg
import psycopg2
import psycopg2.extras
from psycopg.types.json import Json, Jsonb

PORT = int(sys.argv[1])
DSN = f"host=127.0.0.1 port={PORT} user=lumadb password=lumadb dbname=default"
checks = 0


def check(cond, what):
    global checks
    if not cond:
        raise AssertionError(what)
    checks += 1


def eq(actual, expected, what):
    check(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")


ROWS = [(datetime.datetime(2024, 1, 1, 0, 0, i, i * 1000), f"h{i}", i, i / 2, i % 2 == 0,
         datetime.date(2024, 1, i + 1), i, i * 1000, i / 4) for i in range(5)]


def psycopg2_checks():
    c = psycopg2.connect(DSN)
    eq(c.get_parameter_status("server_version")[:2], "15", "psycopg2 server_version")
    eq(c.server_version // 10000, 15, "psycopg2 server_version number")
    cur = c.cursor()
    cur.execute("CREATE TABLE py2 (ts TIMESTAMP NOT NULL, host VARCHAR, n BIGINT, v DOUBLE PRECISION,"
                " ok BOOLEAN, d DATE, s SMALLINT, i INTEGER, r REAL)")
    c.commit()
    # psycopg2 interpolates on the client: '...'::timestamp with a T, 'x'::date, true, numbers
    cur.executemany("INSERT INTO py2 VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", ROWS)
    c.commit()
    cur.execute("SELECT * FROM py2 ORDER BY n")
    eq(cur.fetchall(), ROWS, "psycopg2 rows read back")
    eq([(d.name, d.type_code) for d in cur.description],
       [("ts", 1114), ("host", 25), ("n", 20), ("v", 701), ("ok", 16), ("d", 1082), ("s", 21),
        ("i", 23), ("r", 700)], "psycopg2 description")
    cur.execute("SELECT host, n FROM py2 WHERE n = %(n)s AND host = %(h)s", {"n": 3, "h": "h3"})
    eq(cur.fetchall(), [("h3", 3)], "psycopg2 named parameters")
    cur.execute("SELECT %s::numeric, %s::bytea, %s::text", (decimal.Decimal("12.345"), b"\x00\xff", "é'\\"))
    r = cur.fetchone()
    eq((r[0], bytes(r[1]), r[2]), (decimal.Decimal("12.345"), b"\x00\xff", "é'\\"), "psycopg2 literals")
    # bytea, json, jsonb and numeric columns: psycopg2 interpolates '\\x..'::bytea and the JSON text
    cur.execute("CREATE TABLE py2types (b BYTEA, j JSON, jb JSONB, p NUMERIC(10, 2))")
    cur.execute("INSERT INTO py2types VALUES (%s, %s, %s, %s)",
                (psycopg2.Binary(b"\x00\xff"), psycopg2.extras.Json({"a": [1, "x"]}),
                 psycopg2.extras.Json({"k": None}), decimal.Decimal("2.345")))
    c.commit()
    cur.execute("SELECT b, j, jb, p, j -> 'a' ->> 1 FROM py2types WHERE p = %s", (decimal.Decimal("2.35"),))
    r = cur.fetchone()
    eq((bytes(r[0]), r[1], r[2], r[3], r[4]), (b"\x00\xff", {"a": [1, "x"]}, {"k": None}, decimal.Decimal("2.35"), "x"),
       "psycopg2 bytea/json/jsonb/numeric columns")
    eq([d.type_code for d in cur.description], [17, 114, 3802, 1700, 25], "psycopg2 new types' OIDs")
    # COPY both ways
    cur.copy_expert("COPY py2 (ts, host, n) FROM STDIN WITH (FORMAT csv)",
                    io.StringIO("2024-02-01 00:00:00,copied,99\n2024-02-01 00:00:10,\"a,b\",100\n"))
    c.commit()
    out = io.StringIO()
    cur.copy_expert("COPY (SELECT host, n FROM py2 WHERE n >= 99 ORDER BY n) TO STDOUT WITH (FORMAT csv)", out)
    eq(out.getvalue(), 'copied,99\n"a,b",100\n', "psycopg2 COPY TO STDOUT")
    # errors: SQLSTATE and E-code, then the connection is usable after rollback
    try:
        cur.execute("SELECT * FROM nosuch")
        check(False, "psycopg2: unknown table must fail")
    except psycopg2.errors.UndefinedTable as e:
        check("E004" in e.pgerror, f"psycopg2 E004 in {e.pgerror!r}")
    c.rollback()
    try:
        cur.execute("SELEC 1")
        check(False, "psycopg2: syntax error must fail")
    except psycopg2.errors.SyntaxError as e:
        eq(e.pgcode, "42601", "psycopg2 syntax error SQLSTATE")
    c.rollback()
    cur.execute("SELECT count(*) FROM py2")
    eq(cur.fetchone()[0], 7, "psycopg2 count after errors")
    c.commit()
    # dict cursor and autocommit
    c.autocommit = True
    dc = c.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
    dc.execute("SELECT host, n FROM py2 WHERE n = 1")
    eq(dc.fetchall(), [{"host": "h1", "n": 1}], "psycopg2 RealDictCursor")
    c.close()


# (type, value): every type the binary protocol carries, each bound and returned
MATRIX = [
    ("int2", 7), ("int4", 70000), ("int8", 2 ** 40), ("float4", 1.5), ("float8", 2.25),
    ("bool", True), ("bool", False), ("text", "héllo"), ("varchar", "v"),
    ("numeric", decimal.Decimal("12.345")), ("numeric", decimal.Decimal("-0.000123")),
    ("numeric", decimal.Decimal("123456789012345678.5")),
    ("date", datetime.date(2024, 2, 29)),
    ("timestamp", datetime.datetime(2024, 1, 2, 3, 4, 5, 123000)),
    ("timestamp", datetime.datetime(2024, 1, 3)),
    # aware datetimes: the same instant comes back (in the session's zone, UTC)
    ("timestamptz", datetime.datetime(2024, 1, 2, 3, 4, 5, 123000,
                                      tzinfo=datetime.timezone(datetime.timedelta(hours=2)))),
    ("timestamptz", datetime.datetime(1999, 12, 31, 23, 0, tzinfo=datetime.timezone.utc)),
    ("bytea", b"\x00\x01\xff"),
]


def psycopg3_checks():
    with psycopg.connect(DSN, autocommit=True) as c:
        eq(c.info.server_version // 10000, 15, "psycopg 3 server_version")
        with c.cursor() as k:
            for binary in (False, True):
                for t, v in MATRIX:
                    k.execute(f"SELECT %s::{t} AS x", (v,), binary=binary, prepare=True)
                    eq(k.fetchone()[0], v, f"psycopg 3 {t} binary={binary}")
                    # and with no cast: the parameter's own type decides
                    k.execute("SELECT %s AS x", (v,), binary=binary, prepare=True)
                    got = k.fetchone()[0]
                    eq(got, v, f"psycopg 3 uncast {t} binary={binary}")
            k.execute("SELECT %s, %s", (None, 1), prepare=True)
            eq(k.fetchone(), (None, 1), "psycopg 3 NULL parameter")
            # bytea, json, jsonb, numeric columns: parameters and results in both formats
            k.execute("CREATE TABLE py3types (id INT, b BYTEA, j JSON, jb JSONB, p NUMERIC(10, 2), u NUMERIC)")
            for binary in (False, True):
                k.execute("INSERT INTO py3types VALUES (%s, %s, %s, %s, %s, %s)",
                          (2 if binary else 1, b"\x00\x01\xff", Json({"a": [1, "x"]}), Jsonb({"k": None}),
                           decimal.Decimal("1.005"), decimal.Decimal("-0.000123")), binary=binary)
            for binary in (False, True):
                k.execute("SELECT id, b, j, jb, p, u, jb ->> 'k', j -> 'a' ->> 1 FROM py3types"
                          " WHERE p = %s AND b = %s ORDER BY id",
                          (decimal.Decimal("1.01"), b"\x00\x01\xff"), binary=binary, prepare=True)
                row = (b"\x00\x01\xff", {"a": [1, "x"]}, {"k": None}, decimal.Decimal("1.01"),
                       decimal.Decimal("-0.000123"), None, "x")
                eq(k.fetchall(), [(1,) + row, (2,) + row], f"psycopg 3 bytea/json/jsonb/numeric binary={binary}")
                eq([d.type_code for d in k.description][1:6], [17, 114, 3802, 1700, 1700],
                   f"psycopg 3 new types' OIDs binary={binary}")
    with psycopg.connect(DSN) as c:
        with c.cursor() as k:
            k.execute("CREATE TABLE py3 (ts TIMESTAMP NOT NULL, host VARCHAR, n BIGINT, v DOUBLE PRECISION,"
                      " ok BOOLEAN, d DATE, s SMALLINT, i INTEGER, r REAL)")
            c.commit()
            with c.transaction():
                k.executemany("INSERT INTO py3 VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", ROWS)
            for binary in (False, True):
                k.execute("SELECT * FROM py3 WHERE n >= %s ORDER BY n", (0,), binary=binary, prepare=True)
                eq(k.fetchall(), ROWS, f"psycopg 3 rows binary={binary}")
            with k.copy("COPY py3 (ts, host, n) FROM STDIN") as cp:
                cp.write_row((datetime.datetime(2024, 3, 1), "copied", 50))
            c.commit()
            with k.copy("COPY (SELECT host, n FROM py3 WHERE n = 50) TO STDOUT") as cp:
                eq(list(cp.rows()), [("copied", "50")], "psycopg 3 COPY TO STDOUT")
            try:
                k.execute("SELECT * FROM nosuch", prepare=True)
                check(False, "psycopg 3: unknown table must fail")
            except psycopg.errors.UndefinedTable as e:
                check("E004" in str(e), f"psycopg 3 E004 in {e}")
            c.rollback()  # psycopg 3 sends DEALLOCATE ALL here for its prepared statements
            k.execute("SELECT count(*) FROM py3 WHERE n < %s", (100,), prepare=True)
            eq(k.fetchone()[0], 6, "psycopg 3 count after rollback")


psycopg2_checks()
psycopg3_checks()
print(f"ok: {checks} checks")
