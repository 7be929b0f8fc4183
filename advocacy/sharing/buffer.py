"""The click buffer: the redirect pushes events here; a periodic task drains them in batches.

`push(event)` never touches the database, so a viral link costs one fast append per
click and never a hot row. `drain(write)` claims a batch, hands it to `write` (which
must be idempotent: Click rows are keyed by the event id made at the redirect), then
forgets the batch. A worker dying between the claim and the forget leaves the batch
claimed, and the next drain hands it over again: at-least-once from the buffer,
exactly-once in the counts.

Two backends:
- Redis (production, when REDIS_URL is set): a list of pending events; a batch moves
  atomically (Lua) to a processing list, which is deleted once written.
- Files (embedded default): each web process appends to its own file per 10-second
  slice under var/clicks/pending/; the drain renames a finished file into processing/,
  then reads and deletes it. The Django cache is not an option: it may evict entries
  under memory pressure or by age, which would lose clicks silently.
"""

import fcntl
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import redis
from django.conf import settings
from redis.exceptions import NoScriptError

logger = logging.getLogger(__name__)

Writer = Callable[[list[dict]], None]


def _backend():
    return _BACKENDS[settings.CLICK_BUFFER]()


def push(event: dict) -> None:
    """Append one click event. Fast, no database; a failure is logged, never raised to the visitor."""
    try:
        _backend().push(json.dumps(event, separators=(",", ":")))
    except Exception:  # noqa: BLE001 - losing one click must never break the redirect
        logger.exception("click buffer push failed")


def drain(write: Writer, *, batch_size: int | None = None, max_batches: int = 100) -> int:
    """Hand buffered events to `write` in batches; returns how many were handed over."""
    return _backend().drain(write, batch_size or settings.CLICK_BUFFER_BATCH, max_batches)


def pending_count() -> int:
    return _backend().pending_count()


def _decode(raw_items) -> list[dict]:
    events = []
    for raw in raw_items:
        try:
            event = json.loads(raw)
        except (ValueError, TypeError):
            logger.warning("click buffer: skipped a malformed event")
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


# --- Redis ----------------------------------------------------------------------------

# Moves up to ARGV[1] events from the pending list to the processing list in one atomic
# step, so two drains (or a push in between) can never split or duplicate a batch.
_CLAIM = """
local items = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #items == 0 then return items end
redis.call('LTRIM', KEYS[1], #items, -1)
for i = 1, #items, 500 do
  redis.call('RPUSH', KEYS[2], unpack(items, i, math.min(i + 499, #items)))
end
return items
"""

# The public redirect's one round trip: read a link's stored entry ("<id>\t<destination>")
# and, when the link exists, buffer the click with its id, atomically. ARGV[1] is the
# event's JSON object without its link id.
_RECORD = """
local entry = redis.call('GET', KEYS[1])
if entry then
  local id = string.match(entry, '^(%d+)\t')
  if id and id ~= '0' then
    redis.call('RPUSH', KEYS[2], '{"link":' .. id .. ',' .. string.sub(ARGV[1], 2))
  end
end
return entry
"""

# Redis names a script by its SHA-1 (EVALSHA); not a security use.
_RECORD_SHA = hashlib.sha1(_RECORD.encode(), usedforsecurity=False).hexdigest()

RECORD_CONNECT_TIMEOUT = 1.0  # seconds, unless the Redis URL sets socket_connect_timeout

_redis_clients: dict = {}
# The record script's own connections: (pid, connection) by Redis URL, per thread.
_record_local = threading.local()


class RedisBuffer:
    def __init__(self):
        url = settings.CLICK_BUFFER_REDIS_URL
        # redis-py's pool notices a fork and reconnects, so one client per process is safe.
        client = _redis_clients.get(url)
        if client is None:
            client = _redis_clients[url] = redis.Redis.from_url(url)
        self.client = client
        self.url = url
        prefix = self.prefix = settings.CLICK_BUFFER_KEY
        self.pending = f"{prefix}:pending"
        self.processing = f"{prefix}:processing"
        self.lock = f"{prefix}:drain-lock"

    def push(self, line: str) -> None:
        self.client.rpush(self.pending, line)

    def pending_count(self) -> int:
        return self.client.llen(self.pending) + self.client.llen(self.processing)

    # Tracked-link destinations live here too (see sharing.links), so that the redirect
    # reads one and buffers its click in a single script call.

    def _destination_key(self, code: str) -> str:
        return f"{self.prefix}:link:{code}"

    def destination_get(self, code: str) -> str | None:
        raw = self.client.get(self._destination_key(code))
        return raw.decode() if raw is not None else None

    def destinations_set(self, entries: dict[str, str], timeout: int) -> None:
        with self.client.pipeline(transaction=False) as pipe:
            for code, raw in entries.items():
                pipe.set(self._destination_key(code), raw, ex=timeout)
            pipe.execute()

    def destinations_delete(self, codes) -> None:
        keys = [self._destination_key(code) for code in codes]
        for start in range(0, len(keys), 1000):
            self.client.delete(*keys[start : start + 1000])

    def record(self, code: str, event: dict) -> str | None:
        """The stored entry of `code` (None when not stored); buffers `event` when it is a link.

        The hottest call of the site, so it skips redis-py's client layer (connection pool
        checkout, command dispatch, response callbacks: three quarters of its cost) and
        talks to a connection of its own, one per process and thread. Any error drops
        that connection and is raised, for the caller to fall back on the database.
        """
        args = (self._destination_key(code), self.pending, json.dumps(event, separators=(",", ":")))
        connection, fresh = self._record_connection()
        try:
            return self._record_on(connection, args)
        except (redis.ConnectionError, redis.TimeoutError):
            if fresh:
                raise
            # Redis may have closed this connection while it was idle (a restart, its
            # `timeout` setting, a proxy): once more on a new one. Should the first try
            # have buffered the event, it is there twice with one id, and stored once.
            connection, _fresh = self._record_connection()
            return self._record_on(connection, args)

    def _record_on(self, connection, args) -> str | None:
        try:
            try:
                connection.send_command("EVALSHA", _RECORD_SHA, 2, *args)
                raw = connection.read_response()
            except NoScriptError:
                # A restarted or flushed Redis forgot the script: EVAL sends and caches it.
                connection.send_command("EVAL", _RECORD, 2, *args)
                raw = connection.read_response()
        except BaseException:
            # Whatever stopped us (an error, a timeout of the server's), a reply may be
            # left unread on this connection, which the next click would take for its own.
            _record_local.__dict__.pop(self.url, None)
            connection.disconnect()
            raise
        return raw.decode() if raw is not None else None

    def _record_connection(self):
        """This thread's connection for the record script, and whether it is new."""
        held = _record_local.__dict__.get(self.url)
        pid = os.getpid()
        # A forked child must not share its parent's socket: it opens its own (the
        # parent's is left alone, as closing it here would shut it for the parent too).
        if held is not None and held[0] == pid:
            return held[1], False
        pool = self.client.connection_pool
        options = dict(pool.connection_kwargs)
        if options.get("socket_connect_timeout") is None:
            # A click waits on this: when Redis is unreachable, the database answers sooner.
            options["socket_connect_timeout"] = RECORD_CONNECT_TIMEOUT
        connection = pool.connection_class(**options)
        _record_local.__dict__[self.url] = (pid, connection)
        return connection, True

    def drain(self, write: Writer, batch_size: int, max_batches: int) -> int:
        # One drain at a time; the lock expires so a dead worker does not block the next.
        # Should a slow drain outlive it, both would write the same events: the unique
        # event id keeps the counts right.
        if not self.client.set(self.lock, "1", nx=True, ex=settings.CLICK_BUFFER_LOCK_SECONDS):
            return 0
        try:
            handed = 0
            # A batch left by a worker that died mid-flush is written first.
            leftover = self.client.lrange(self.processing, 0, -1)
            if leftover:
                events = _decode(leftover)
                write(events)
                self.client.delete(self.processing)
                handed += len(events)
            claim = self.client.register_script(_CLAIM)
            for _ in range(max_batches):
                items = claim(keys=[self.pending, self.processing], args=[batch_size])
                if not items:
                    break
                events = _decode(items)
                write(events)
                self.client.delete(self.processing)
                handed += len(events)
            return handed
        finally:
            self.client.delete(self.lock)


# --- Files ----------------------------------------------------------------------------

SLICE_SECONDS = 10


class FileBuffer:
    def __init__(self):
        self.root = Path(settings.CLICK_BUFFER_DIR)
        self.pending = self.root / "pending"
        self.processing = self.root / "processing"

    def push(self, line: str) -> None:
        self.pending.mkdir(parents=True, exist_ok=True)
        path = self.pending / f"{int(time.time()) // SLICE_SECONDS}-{os.getpid()}.jsonl"
        data = (line + "\n").encode()
        while True:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                # The drain may have claimed (renamed) the file between our open and our
                # lock; writing then would land in a file already read. Start again.
                try:
                    same = os.stat(path).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
                if same:
                    os.write(fd, data)
                    return
            finally:
                os.close(fd)

    def pending_count(self) -> int:
        count = 0
        for folder in (self.pending, self.processing):
            if folder.exists():
                for path in folder.glob("*.jsonl"):
                    with path.open("rb") as handle:
                        count += sum(1 for _ in handle)
        return count

    def _claim(self) -> list[Path]:
        # Claiming a file still being written to is safe: a writer checks, under its
        # lock, that its file was not renamed away, and the drain takes the lock before
        # reading.
        claimed = []
        if not self.pending.exists():
            return claimed
        self.processing.mkdir(parents=True, exist_ok=True)
        for path in sorted(self.pending.glob("*.jsonl")):
            # A writer may recreate a file of the same name after the claim: the claimed
            # copy gets a name of its own so a second claim cannot overwrite it.
            target = self.processing / f"{path.stem}.{time.time_ns()}.jsonl"
            try:
                path.rename(target)
            except FileNotFoundError:
                continue
            claimed.append(target)
        return claimed

    def drain(self, write: Writer, batch_size: int, max_batches: int) -> int:
        self.processing.mkdir(parents=True, exist_ok=True)
        lock_fd = os.open(self.root / "drain.lock", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0  # another drain is at work; its lock dies with its process
            self._claim()
            handed = 0
            # Files left in processing/ by a drain that died are written again first.
            for path in sorted(self.processing.glob("*.jsonl")):
                fd = os.open(path, os.O_RDONLY)
                try:
                    # Wait for a writer that opened the file before it was claimed.
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    with os.fdopen(os.dup(fd), "rb") as handle:
                        lines = handle.read().splitlines()
                finally:
                    os.close(fd)
                for start in range(0, len(lines), batch_size):
                    events = _decode(lines[start : start + batch_size])
                    write(events)
                    handed += len(events)
                path.unlink()
            return handed
        finally:
            os.close(lock_fd)


_BACKENDS = {"redis": RedisBuffer, "file": FileBuffer}
