"""A small HTTP load generator, run as its own process on loopback by the benchmarks.

    python bench/loadgen.py --port 8001 --paths paths.txt --mode closed --concurrency 16 --seconds 5
    python bench/loadgen.py --port 8001 --paths paths.txt --mode open --rate 1000 --seconds 10

`closed`: `concurrency` clients send requests back to back (throughput).
`open`: requests start on a fixed schedule whatever the server does, and latency is
measured from the scheduled start, so a slow server cannot hide its queue
(no coordinated omission). Prints one JSON object with the figures.
"""

import argparse
import asyncio
import json
import random
import time


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


class Client:
    def __init__(self, host, port, headers):
        self.host, self.port = host, port
        self.extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.statuses = {}
        self.latencies = []
        self.errors = 0

    cookies: list[str] = []

    async def get(self, path):
        cookie = f"Cookie: {random.choice(self.cookies)}\r\n" if self.cookies else ""
        request = f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.extra}{cookie}Connection: close\r\n\r\n".encode()
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n")
            await reader.read()  # until the server closes (gunicorn's sync workers do)
            writer.close()
            status = int(head.split()[1])
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            self.errors += 1
            return None
        self.statuses[status] = self.statuses.get(status, 0) + 1
        return status


async def closed_loop(client, paths, concurrency, seconds):
    deadline = time.perf_counter() + seconds
    rng = random.Random(1)

    async def worker():
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await client.get(rng.choice(paths))
            client.latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


async def open_loop(client, paths, rate, seconds):
    rng = random.Random(1)
    total = int(rate * seconds)
    start = time.perf_counter() + 0.05
    tasks = []

    async def one(scheduled, path):
        await client.get(path)
        client.latencies.append(time.perf_counter() - scheduled)

    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(scheduled, rng.choice(paths))))
    await asyncio.gather(*tasks)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--paths", required=True, help="file with one path per line")
    parser.add_argument("--mode", choices=["closed", "open"], default="closed")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--header", action="append", default=[], help="Name: value")
    parser.add_argument("--cookies", help="file with one Cookie header value per line, one picked per request")
    args = parser.parse_args()
    with open(args.paths) as handle:
        paths = [line.strip() for line in handle if line.strip()]
    headers = dict(h.split(": ", 1) for h in args.header)
    client = Client(args.host, args.port, headers)
    if args.cookies:
        with open(args.cookies) as handle:
            client.cookies = [line.strip() for line in handle if line.strip()]
    if args.mode == "closed":
        elapsed = asyncio.run(closed_loop(client, paths, args.concurrency, args.seconds))
    else:
        elapsed = asyncio.run(open_loop(client, paths, args.rate, args.seconds))
    done = sum(client.statuses.values())
    ms = [x * 1000 for x in client.latencies]
    print(
        json.dumps(
            {
                "requests": done,
                "errors": client.errors,
                "statuses": client.statuses,
                "seconds": elapsed,
                "rps": done / elapsed if elapsed else 0,
                "p50_ms": percentile(ms, 50),
                "p99_ms": percentile(ms, 99),
                "max_ms": max(ms) if ms else None,
            }
        )
    )


if __name__ == "__main__":
    main()
