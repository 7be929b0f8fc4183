"""The redirect benchmark's baseline: a bare WSGI app answering the same 302 from memory.

It loads the code → destination table from BENCH_BARE_TABLE (JSON) at start, and
answers each /s/<code> with the same status and headers as the real redirect, with no
framework, no cache, no buffer: the fastest this server configuration can answer.
"""

import json
import os

with open(os.environ["BENCH_BARE_TABLE"]) as handle:
    TABLE = json.load(handle)


def application(environ, start_response):
    code = environ.get("PATH_INFO", "")[3:]
    destination = TABLE.get(code)
    if destination is None:
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"not found"]
    start_response(
        "302 Found",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Location", destination),
            ("Content-Length", "0"),
            ("Cache-Control", "no-store"),
            ("Referrer-Policy", "no-referrer"),
        ],
    )
    return [b""]
