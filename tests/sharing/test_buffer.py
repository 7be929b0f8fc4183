"""The click buffer: pushes never touch the database; drains are at-least-once, and with
an idempotent writer, exactly-once."""

import uuid

import pytest

from advocacy.sharing import buffer


def _events(n):
    return [{"id": uuid.uuid4().hex, "n": i} for i in range(n)]


class Store:
    """An idempotent writer keyed by event id, like Click.event_id's unique constraint."""

    def __init__(self, fail_times=0):
        self.rows = {}
        self.calls = 0
        self.fail_times = fail_times

    def __call__(self, events):
        self.calls += 1
        for event in events:
            self.rows.setdefault(event["id"], event)
        if self.calls <= self.fail_times:
            # The rows were written but the worker dies before the batch is forgotten.
            raise RuntimeError("worker lost")


def test_push_does_not_touch_the_database(click_buffer, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        for event in _events(5):
            buffer.push(event)
    assert buffer.pending_count() == 5


def test_drain_hands_every_event_once(click_buffer):
    sent = _events(25)
    for event in sent:
        buffer.push(event)
    store = Store()
    assert buffer.drain(store, batch_size=10) == 25
    assert sorted(store.rows) == sorted(e["id"] for e in sent)
    assert buffer.drain(store) == 0
    assert buffer.pending_count() == 0


def test_a_worker_dying_mid_flush_loses_nothing_and_counts_nothing_twice(click_buffer):
    sent = _events(12)
    for event in sent:
        buffer.push(event)
    store = Store(fail_times=1)
    with pytest.raises(RuntimeError):
        buffer.drain(store, batch_size=5)
    assert buffer.pending_count() == 12  # the claimed batch is still there
    buffer.drain(store, batch_size=5)
    assert store.calls > 2  # the first batch was handed over again
    assert sorted(store.rows) == sorted(e["id"] for e in sent)
    assert buffer.pending_count() == 0


def test_events_pushed_between_drains_are_kept(click_buffer):
    store = Store()
    first, second = _events(3), _events(4)
    for event in first:
        buffer.push(event)
    buffer.drain(store)
    for event in second:
        buffer.push(event)
    buffer.drain(store)
    assert len(store.rows) == 7


def test_malformed_events_are_skipped(click_buffer):
    backend = buffer._backend()
    backend.push("{not json")
    buffer.push({"id": "ok"})
    store = Store()
    assert buffer.drain(store) == 1
    assert list(store.rows) == ["ok"]
    assert buffer.pending_count() == 0


def test_only_one_drain_runs_at_a_time(click_buffer):
    buffer.push({"id": "a"})
    inner = Store()

    def write_while_another_drain_starts(events):
        assert buffer.drain(inner) == 0
        inner(events)

    assert buffer.drain(write_while_another_drain_starts) == 1
    assert list(inner.rows) == ["a"]


def test_a_push_failure_never_reaches_the_visitor(settings, caplog):
    settings.CLICK_BUFFER = "file"
    settings.CLICK_BUFFER_DIR = "/proc/not-writable"
    buffer.push({"id": "x"})
    assert "click buffer push failed" in caplog.text


def test_file_writer_never_writes_into_a_claimed_file(settings, tmp_path):
    settings.CLICK_BUFFER = "file"
    settings.CLICK_BUFFER_DIR = str(tmp_path / "clicks")
    backend = buffer._backend()
    buffer.push({"id": "before"})
    claimed = backend._claim()
    buffer.push({"id": "after"})  # same time slice: a new file, not the claimed one
    assert claimed[0].read_text().count("\n") == 1
    store = Store()
    buffer.drain(store)
    assert sorted(store.rows) == ["after", "before"]
