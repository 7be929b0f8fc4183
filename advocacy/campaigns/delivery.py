"""The delivery state machine: the only code that changes `Delivery.status`.

    queued ──claim──► sending ──► sent ──► delivered / bounced / failed   (e-mail)
       ▲                 │ ├────► delivered                              (portal)
       └──transient──────┘ ├────► failed (permanent)
                           └────► skipped (left the programme or opted out after queueing)

Every move is one conditional UPDATE naming the statuses it may leave, so two workers
(or a worker and a webhook) racing on the same row cannot both win, and the row count
says who did.
"""

from contextlib import contextmanager

from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from advocacy.campaigns.models import Delivery

S = Delivery.Status

# For each target status, the statuses a row may be in to move there.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    S.SENDING: frozenset({S.QUEUED}),
    S.QUEUED: frozenset({S.SENDING}),
    S.SENT: frozenset({S.SENDING}),
    # A provider may report delivery of a row we have not yet marked sent (the webhook
    # can beat the worker's own UPDATE), and a late bounce can follow a delivery.
    S.DELIVERED: frozenset({S.SENDING, S.SENT}),
    S.BOUNCED: frozenset({S.SENT, S.DELIVERED, S.SENDING}),
    S.FAILED: frozenset({S.SENDING, S.SENT}),
    S.SKIPPED: frozenset({S.SENDING}),
}

UNDELIVERED = (S.FAILED, S.BOUNCED)
PENDING = (S.QUEUED, S.SENDING)


def _move(queryset: QuerySet, to: str, **fields) -> int:
    now = timezone.now()
    return queryset.filter(status__in=ALLOWED_FROM[to]).update(status=to, updated_at=now, **fields)


def claim(*, campaign_id: int, chunk: int, token: str) -> int:
    """Take the queued rows of a chunk for the task holding `token`; returns how many.

    Rows still `sending` under the same token (the task was redelivered after its worker
    died) stay with it, so the task resumes them; rows claimed by any other task are
    left alone, which is what makes a duplicated task harmless.
    """
    now = timezone.now()
    return Delivery.objects.filter(campaign_id=campaign_id, chunk=chunk, status=S.QUEUED).update(
        status=S.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
    )


def claimed(*, campaign_id: int, chunk: int, token: str) -> QuerySet[Delivery]:
    return Delivery.objects.filter(campaign_id=campaign_id, chunk=chunk, status=S.SENDING, claim_token=token)


def _mine(pks, token: str) -> QuerySet[Delivery]:
    pks = [pks] if isinstance(pks, int) else list(pks)
    return Delivery.objects.filter(pk__in=pks, claim_token=token)


@contextmanager
def sent_marker(*, token: str):
    """A function marking one row sent, (pk, message id) -> rows moved (0 or 1), for the
    rows of the task holding `token`: one fixed SQL statement on one cursor, so that each
    message is recorded the moment the server accepted it without building a query per
    message. A worker killed in between leaves that one message to be sent again."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    column = {name: connection.ops.quote_name(Delivery._meta.get_field(name).column) for name in _SENT_COLUMNS}
    allowed = sorted(ALLOWED_FROM[S.SENT])
    # Only names from the model and placeholders go into the SQL text.
    sql = (
        f"UPDATE {table} SET {column['status']} = %s, {column['updated_at']} = %s, {column['sent_at']} = %s, "  # noqa: S608
        f"{column['provider_message_id']} = %s, {column['reason']} = '' "
        f"WHERE {column['id']} = %s AND {column['claim_token']} = %s "
        f"AND {column['status']} IN ({', '.join(['%s'] * len(allowed))})"
    )
    adapt = connection.ops.adapt_datetimefield_value
    with _statement_cursor() as cursor:

        def mark(pk: int, message_id: str) -> int:
            now = adapt(timezone.now())
            with connection.wrap_database_errors:
                cursor.execute(sql, [S.SENT, now, now, message_id[:255], pk, token, *allowed])
            return cursor.rowcount

        yield mark


@contextmanager
def _statement_cursor():
    """A cursor for one statement run many times. On PostgreSQL it binds parameters on
    the server, so psycopg prepares the statement after a few runs and PostgreSQL stops
    parsing and planning it for every message (Django's own cursors bind on the client)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        yield cursor


_SENT_COLUMNS = ("id", "status", "updated_at", "sent_at", "provider_message_id", "reason", "claim_token")


def mark_portal_delivered(pks, *, token: str) -> int:
    now = timezone.now()
    return _move(_mine(pks, token), S.DELIVERED, sent_at=now, finished_at=now, reason="")


def mark_failed(pks, *, token: str, reason: str) -> int:
    return _move(_mine(pks, token), S.FAILED, finished_at=timezone.now(), reason=reason[:300])


def mark_skipped(pks, *, token: str, reason: str) -> int:
    return _move(_mine(pks, token), S.SKIPPED, finished_at=timezone.now(), reason=reason[:300])


def release(pks, *, token: str, reason: str) -> int:
    """A transient failure: the rows go back to the queue for the task's next attempt."""
    return _move(_mine(pks, token), S.QUEUED, claim_token="", claimed_at=None, reason=reason[:300])


def give_up(*, campaign_id: int, chunk: int, token: str, reason: str) -> int:
    """After the last retry, the rows still queued fail with the last transient reason
    (kept when there is one)."""
    now = timezone.now()
    # Claimed without counting an attempt: nothing is tried any more.
    Delivery.objects.filter(campaign_id=campaign_id, chunk=chunk, status=S.QUEUED).update(
        status=S.SENDING, claim_token=token, claimed_at=now, updated_at=now
    )
    rows = claimed(campaign_id=campaign_id, chunk=chunk, token=token)
    moved = 0
    for last_reason in set(rows.values_list("reason", flat=True)):
        moved += _move(
            rows.filter(reason=last_reason),
            S.FAILED,
            finished_at=now,
            reason=(f"{reason} ({last_reason})" if last_reason else reason)[:300],
        )
    return moved


def requeue_stale(*, claimed_before) -> list[tuple[int, int]]:
    """Rows whose claim outlived any task (the worker died and the task was never
    redelivered) go back to the queue; returns the (campaign, chunk) pairs to resend."""
    stale = Delivery.objects.filter(status=S.SENDING, claimed_at__lt=claimed_before)
    pairs = sorted(set(stale.values_list("campaign_id", "chunk")))
    _move(stale, S.QUEUED, claim_token="", claimed_at=None)
    return pairs


# Provider event types (anymail's normalised names) and what they mean for a row.
PROVIDER_OUTCOMES = {
    "delivered": S.DELIVERED,
    "bounced": S.BOUNCED,
    "rejected": S.FAILED,
    "failed": S.FAILED,
}


def apply_provider_event(*, message_id: str, event_type: str, reason: str = "") -> int:
    """Apply a provider's tracking event to the rows it names; other event types
    (opened, clicked, deferred...) are stored but change nothing."""
    to = PROVIDER_OUTCOMES.get(event_type)
    if to is None or not message_id:
        return 0
    rows = Delivery.objects.filter(provider_message_id=message_id, channel=Delivery.Channel.EMAIL)
    fields = {"finished_at": timezone.now()}
    if to != S.DELIVERED:
        fields["reason"] = (reason or event_type)[:300]
    return _move(rows, to, **fields)
