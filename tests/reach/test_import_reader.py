"""The import's reading process (importing.read_ahead): a forked child reads and checks
the file while the importing process stores it. What it hands over must be exactly what
reading in place gives, its errors must reach the import, and it must never outlive it."""

import io
import os
import signal
import socket
import threading

import pytest
from django.utils import translation

from advocacy.reach import importing, ingestion

from .test_importing import MAPPING, SEMICOLON

BAD_ROWS = (
    "twitter;113;hier;x;Encore #AvecPôleEmploi;1;1;\n"
    "twitter;111;23/11/2026 14:06;@Agence_Rennes;Bravo encore #AvecPôleEmploi;13;3;1 600\n"
    "twitter;114;23/11/2026;x\n"
)


def batches(content: str, batch_size: int = 2):
    return importing.read_batches(io.BytesIO(content.encode()), format="csv", mapping=MAPPING, batch_size=batch_size)


def as_plain(batch: importing.Batch):
    return (batch.prepared.rows, batch.prepared.repeated, batch.rows_read, batch.bytes_read, batch.rejections)


@pytest.fixture
def forks(monkeypatch):
    """The pids of the children forked during the test."""
    pids = []
    fork = os.fork

    def recording_fork():
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    return pids


def reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_child_hands_over_exactly_what_reading_in_place_gives(programme_tag, forks):
    content = SEMICOLON + BAD_ROWS

    in_place = [as_plain(batch) for batch in batches(content)]
    aside = [as_plain(batch) for batch in importing.read_ahead(batches(content))]

    assert aside == in_place
    assert len(in_place) > 2 and any(batch[4] for batch in in_place)  # several batches, rejections among them
    assert forks and all(reaped(pid) for pid in forks)


def test_an_error_in_the_child_is_raised_by_the_import_with_its_cause(programme_tag, forks):
    with pytest.raises(importing.ImportFailed, match="Colonnes obligatoires absentes") as raised:
        list(importing.read_ahead(batches("Réseau;Texte\ntwitter;Bonjour\n")))

    assert isinstance(raised.value.__cause__, importing.ReaderTraceback)
    assert "_csv_positions" in str(raised.value.__cause__)  # where, in the child
    assert all(reaped(pid) for pid in forks)


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("not this one")


class Unrebuildable(Exception):
    """Pickled, but not rebuilt: its constructor wants an argument pickle does not give back."""

    def __init__(self, path, message):
        super().__init__(message)
        self.path = path


@pytest.mark.parametrize("error", [Unpicklable("lecture impossible"), Unrebuildable("/tmp/x", "lecture impossible")])
def test_an_exception_pickle_cannot_carry_still_reaches_the_import(forks, error):
    def failing():
        raise error
        yield  # pragma: no cover

    with pytest.raises(RuntimeError, match=f"{type(error).__name__}: lecture impossible") as raised:
        list(importing.read_ahead(failing()))

    assert "lecture impossible" in str(raised.value.__cause__)  # the child's traceback
    assert forks and all(reaped(pid) for pid in forks)


def test_a_thread_translating_at_the_fork_does_not_block_the_child(programme_tag, forks):
    """Django keeps the active language behind a lock another thread may hold when the
    process forks (a web request, in eager mode): the child must not wait for it."""
    stop = threading.Event()

    def translating():
        while not stop.is_set():
            translation.get_language()

    def on_alarm(signum, frame):
        raise TimeoutError("a child is stuck")

    thread = threading.Thread(target=translating, daemon=True)
    previous = signal.signal(signal.SIGALRM, on_alarm)
    thread.start()
    signal.alarm(60)
    try:
        for _attempt in range(40):
            batches_read = list(importing.read_ahead(batches(SEMICOLON + BAD_ROWS)))
            assert any("date illisible" in reason for batch in batches_read for _line, reason in batch.rejections)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        stop.set()
        thread.join()
    assert len(forks) == 40 and all(reaped(pid) for pid in forks)


def test_the_child_closes_the_parents_sockets_but_not_the_file_it_reads(forks, tmp_path):
    """A socket of the parent (a database connection, a web client) left open in the
    child would stay open for its peer until the child ends."""
    path = tmp_path / "export.csv"
    path.write_text(SEMICOLON, encoding="utf-8")

    def state(fd):
        try:
            os.fstat(fd)
        except OSError:
            return "closed"
        return "open"

    def probing(socket_fd, file_fd):  # runs in the child
        yield importing.Batch(ingestion.Prepared(), 0, 0, [(socket_fd, state(socket_fd)), (file_fd, state(file_fd))])

    ours, theirs = socket.socketpair()
    with ours, theirs, path.open("rb") as binary:
        socket_fd, file_fd = ours.fileno(), binary.fileno()
        (batch,) = importing.read_ahead(probing(socket_fd, file_fd), keep_fd=file_fd)
        assert (state(socket_fd), state(file_fd)) == ("open", "open")  # here, in the parent

    assert batch.rejections == [(socket_fd, "closed"), (file_fd, "open")]
    assert forks and all(reaped(pid) for pid in forks)


def test_a_child_that_dies_midway_fails_the_import_instead_of_ending_it_early(programme_tag, forks):
    reader = batches(SEMICOLON + BAD_ROWS)  # here: its Matcher reads the database, which the child never does

    def dying():
        yield next(reader)
        os._exit(3)  # in the child: killed, out of memory...

    received = []
    with pytest.raises(RuntimeError, match=r"stopped before the end of the file \(exit code 3\)"):
        for batch in importing.read_ahead(dying()):
            received.append(batch)

    assert len(received) == 1
    assert all(reaped(pid) for pid in forks)


def test_stopping_early_kills_and_reaps_the_child(programme_tag, forks):
    batch = next(batches(SEMICOLON, batch_size=100))

    def endless():
        while True:
            yield batch

    reading = importing.read_ahead(endless())
    first = next(reading)
    reading.close()  # what an error while storing does

    assert len(first.prepared.rows) == 3
    assert forks and all(reaped(pid) for pid in forks)


def test_without_fork_the_batches_are_read_in_place(programme_tag, monkeypatch):
    monkeypatch.delattr(os, "fork")

    aside = [as_plain(batch) for batch in importing.read_ahead(batches(SEMICOLON + BAD_ROWS))]

    assert aside == [as_plain(batch) for batch in batches(SEMICOLON + BAD_ROWS)]


def test_the_storing_process_keeps_using_its_database_connection(programme_tag):
    """The child inherited the connection and must leave it alone: the import, which
    writes through it while the child reads and after it has ended, still works. (On
    SQLite the connection is a file, which a child could not break: this test means
    something on PostgreSQL.)"""
    from django.db import connection

    from .test_importing import run

    job = run(SEMICOLON + BAD_ROWS)

    assert (job.status, job.rows_created, job.rows_rejected) == ("done", 3, 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_child_that_cannot_start_says_why(programme_tag, forks, monkeypatch):
    reader = batches(SEMICOLON)

    def broken_activate(language):  # inherited by the child, which activates the language first
        raise LookupError("catalogue illisible")

    monkeypatch.setattr(importing.translation, "activate", broken_activate)

    with pytest.raises(LookupError, match="catalogue illisible"):
        list(importing.read_ahead(reader))
    assert forks and all(reaped(pid) for pid in forks)
