"""Sending a campaign: queue its recipients in chunks, then send each chunk once.

`campaign_queue` inserts one Delivery row per recipient and channel (COPY on
PostgreSQL), numbered in chunks, and queues one task per chunk after the transaction
commits. `chunk_send` is what a chunk task calls: it claims the chunk's rows
(delivery.claim), re-checks each recipient (left the programme or opted out since
queueing: skipped), writes the portal notifications, sends the e-mails (pipelined SMTP
with messages written once per campaign, or Django's e-mail backend when it is not
SMTP), marks each one sent as soon as the server took it, and sorts failures into
transient (the task retries with backoff) and permanent (the row fails, never retried).
"""

import smtplib
import socket
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice

from anymail.exceptions import AnymailAPIError, AnymailError, AnymailInvalidAddress, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import NotificationPreference, User
from advocacy.campaigns import delivery, smtp
from advocacy.campaigns.composer import Composer, message_id_for
from advocacy.campaigns.models import Campaign, Delivery, Notification
from advocacy.campaigns.selectors import pause_active, unread_forget

S = Delivery.Status

# Kinds held back by the global pause. Retraction requests and their reminders are the
# crisis response itself, so they go out even while everything else is paused.
PAUSABLE_KINDS = frozenset({Campaign.Kind.KIT_PUBLISHED, Campaign.Kind.ANNOUNCEMENT, Campaign.Kind.DIGEST})
# Kinds that only reach current ambassadors and respect the "no e-mail" preference.
# A retraction request reaches whoever shared the kit, because the post is theirs.
PROGRAMME_KINDS = PAUSABLE_KINDS

# Extra text per recipient for kinds that need it (a digest's kits, a retraction's
# acknowledgement link): kind -> callable(campaign, user_ids) -> {user_id: text}.
PERSONALISERS: dict[str, Callable[[Campaign, list[int]], dict[int, str]]] = {}


# --- Creating and queueing ------------------------------------------------------------


def campaign_create(
    *, kind: str, subject: str, body: str, sender: User | None, url: str = "",
    units: Iterable = (), job_functions: Iterable[str] = (), **extra,
) -> Campaign:  # fmt: skip
    campaign = Campaign.objects.create(
        kind=kind,
        subject=subject[:200],
        body=body,
        sender=sender,
        url=url,
        reply_to=settings.CAMPAIGN_REPLY_TO,
        target_job_functions=list(job_functions),
        **extra,
    )
    if units:
        campaign.target_units.set(units)
    return campaign


def _batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def campaign_queue(*, campaign: Campaign, recipients: Iterable[tuple[int, bool]], portal: bool = True) -> int:
    """Insert the delivery rows of `campaign`: `recipients` yields (user id, by e-mail?);
    everyone gets the portal channel unless `portal` is false (a digest repeats what the
    portal already shows). Returns the number of recipients (distinct people).

    Chunk tasks are queued when the transaction commits, never before: a worker must
    not look for rows that are not there yet.
    """
    now = timezone.now()
    size = settings.CAMPAIGN_CHUNK_SIZE
    people: set[int] = set()
    chunks = 0

    def rows():
        # A recipient listed twice keeps one row per channel (the first listing's).
        nonlocal chunks
        has_row: set[tuple[int, str]] = set()
        for number, batch in enumerate(_batched(recipients, size)):
            chunks = number + 1
            for user_id, by_email in batch:
                people.add(user_id)
                for channel in (("portal",) if portal else ()) + (("email",) if by_email else ()):
                    if (user_id, channel) not in has_row:
                        has_row.add((user_id, channel))
                        yield user_id, channel, number

    with transaction.atomic():
        if db_connection.vendor == "postgresql":
            _copy_deliveries(campaign.pk, rows(), now)
        else:
            for batch in _batched(rows(), 2000):
                Delivery.objects.bulk_create(
                    [
                        Delivery(
                            campaign=campaign,
                            recipient_id=user_id,
                            channel=channel,
                            chunk=number,
                            queued_at=now,
                            updated_at=now,
                        )
                        for user_id, channel, number in batch
                    ]
                )
        Campaign.objects.filter(pk=campaign.pk).update(
            recipient_count=len(people), queued_at=now, last_progress_at=now, status=Campaign.Status.QUEUED
        )
        if chunks == 0:
            Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.FINISHED, finished_at=now)
        transaction.on_commit(lambda: _dispatch(campaign.pk, range(chunks)))
    campaign.refresh_from_db()
    return len(people)


# The columns a new delivery row needs (the others are NULL until it moves).
COPY_COLUMNS = (
    "campaign_id", "recipient_id", "channel", "chunk", "status", "reason", "attempts",
    "provider_message_id", "claim_token", "queued_at", "updated_at",
)  # fmt: skip


def _copy_deliveries(campaign_id: int, rows, now) -> None:
    """PostgreSQL: the rows go in with one COPY, a few times faster than INSERTs."""
    table = db_connection.ops.quote_name(Delivery._meta.db_table)
    columns = ", ".join(db_connection.ops.quote_name(Delivery._meta.get_field(name).column) for name in COPY_COLUMNS)
    queued = Delivery.Status.QUEUED
    with db_connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for user_id, channel, number in rows:
            copy.write_row((campaign_id, user_id, channel, number, queued, "", 0, "", "", now, now))


def _dispatch(campaign_id: int, chunks: Iterable[int]) -> None:
    from advocacy.campaigns import tasks

    for chunk in chunks:
        tasks.send_chunk.delay(campaign_id, chunk)


# --- Sending a chunk --------------------------------------------------------------------


@dataclass
class ChunkOutcome:
    claimed: int = 0
    sent: int = 0
    portal: int = 0
    skipped: int = 0
    failed: int = 0
    transient: int = 0
    held: bool = False
    last_transient_reason: str = ""
    errors: list[str] = field(default_factory=list)


class Transient(Exception):
    """A failure worth trying again later (connection refused, 4xx answers)."""


def classify(exc: Exception) -> tuple[bool, str]:
    """(is transient?, reason) for an exception raised while sending one message."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        code = max(codes) if codes else 550
        detail = "; ".join(f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                           for code, msg in exc.recipients.values())  # fmt: skip
        return code < 500, f"SMTP {detail}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True, f"SMTP connexion interrompue : {exc}"
    if isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return exc.smtp_code < 500, f"SMTP {exc.smtp_code} {message}"
    if isinstance(exc, AnymailRecipientsRefused | AnymailInvalidAddress):
        return False, f"Fournisseur : {exc}"
    if isinstance(exc, AnymailAPIError):
        status = getattr(exc, "status_code", None)
        transient = status is None or status >= 500 or status == 429
        return transient, f"Fournisseur {status or ''} : {str(exc)[:200]}"
    if isinstance(exc, AnymailError):
        return True, f"Fournisseur : {str(exc)[:200]}"
    if isinstance(exc, ConnectionError | socket.timeout | TimeoutError | OSError):
        return True, f"Connexion impossible : {exc.__class__.__name__} {exc}"
    if isinstance(exc, ValueError | UnicodeError):
        return False, f"Adresse invalide : {exc}"
    return True, f"{exc.__class__.__name__}: {exc}"


# What a chunk reads of its recipients: _skip_reason, Composer and the unsubscribe token
# use these and nothing else (a deferred field read per row would cost a query per message).
RECIPIENT_FIELDS = ("id", "email", "first_name", "is_active", "opted_in_at", "notification_preference")


@dataclass(slots=True)
class ClaimedRow:
    """A delivery row a chunk holds, with what sending it reads (message_id_for, the
    composer, the personalisers): lighter than a Delivery with its recipient joined,
    which a chunk would build twice per person (portal and e-mail)."""

    pk: int
    campaign_id: int
    recipient_id: int | None
    channel: str
    recipient: User | None


def _claimed_rows(*, campaign_id: int, chunk: int, token: str) -> list[ClaimedRow]:
    rows = list(
        delivery.claimed(campaign_id=campaign_id, chunk=chunk, token=token)
        .order_by("channel", "pk")
        .values_list("pk", "recipient_id", "channel")
    )
    people = User.objects.only(*RECIPIENT_FIELDS).in_bulk({pk for _row, pk, _channel in rows if pk is not None})
    return [ClaimedRow(pk, campaign_id, person, channel, people.get(person)) for pk, person, channel in rows]


def _skip_reason(campaign: Campaign, recipient: User | None, channel: str) -> str:
    if recipient is None:
        return _("données personnelles effacées")
    if not recipient.is_active:
        return _("compte désactivé")
    # A kit retracted while its announcement waited (a pause, a retry) is not announced.
    if campaign.kind == Campaign.Kind.KIT_PUBLISHED and campaign.kit is not None and campaign.kit.status != "published":
        return _("kit retiré ou expiré avant l’envoi")
    if campaign.kind in PROGRAMME_KINDS:
        if recipient.opted_in_at is None:
            return _("a quitté le programme")
        if channel == Delivery.Channel.EMAIL and recipient.notification_preference == NotificationPreference.NONE:
            return _("désinscrit·e des e-mails")
    if channel == Delivery.Channel.EMAIL and not recipient.email:
        return _("pas d’adresse e-mail")
    return ""


def chunk_send(*, campaign_id: int, chunk: int, token: str) -> ChunkOutcome:
    """Send one chunk of a campaign, once. Safe to run twice and concurrently."""
    outcome = ChunkOutcome()
    campaign = Campaign.objects.select_related("sender", "kit").filter(pk=campaign_id).first()
    if campaign is None:
        return outcome
    if campaign.kind in PAUSABLE_KINDS and pause_active():
        Campaign.objects.filter(pk=campaign.pk).exclude(status=Campaign.Status.FINISHED).update(
            status=Campaign.Status.HELD
        )
        outcome.held = True
        return outcome
    outcome.claimed = delivery.claim(campaign_id=campaign_id, chunk=chunk, token=token)
    rows = _claimed_rows(campaign_id=campaign_id, chunk=chunk, token=token)
    if not rows:
        chunk_recount(campaign_id)
        return outcome
    Campaign.objects.filter(pk=campaign.pk, status__in=[Campaign.Status.QUEUED, Campaign.Status.HELD]).update(
        status=Campaign.Status.SENDING
    )
    with translation.override(settings.LANGUAGE_CODE):
        sendable = []
        skipped: dict[str, list[int]] = {}
        for row in rows:
            reason = _skip_reason(campaign, row.recipient, row.channel)
            if reason:
                skipped.setdefault(reason, []).append(row.pk)
            else:
                sendable.append(row)
        for reason, pks in skipped.items():
            outcome.skipped += delivery.mark_skipped(pks, token=token, reason=reason)
        portal = [row for row in sendable if row.channel == Delivery.Channel.PORTAL]
        email = [row for row in sendable if row.channel == Delivery.Channel.EMAIL]
        personaliser = PERSONALISERS.get(campaign.kind)
        extras = personaliser(campaign, [row.recipient_id for row in sendable]) if personaliser else {}
        if portal:
            _write_notifications(campaign, portal, extras)
            outcome.portal = delivery.mark_portal_delivered([row.pk for row in portal], token=token)
        if email:
            _send_emails(campaign, email, extras, token, outcome)
    chunk_recount(campaign_id)
    return outcome


def _write_notifications(campaign: Campaign, rows: list[ClaimedRow], extras: dict[int, str]) -> None:
    """One inbox message per row; a retried chunk adds none twice (notification_once)."""
    now = timezone.now()
    recipients = [row.recipient_id for row in rows]
    bodies = ["\n\n".join(p for p in (campaign.body, extras.get(pk, "")) if p) for pk in recipients]
    if db_connection.vendor == "postgresql":
        # One statement with two arrays instead of a Notification object per person.
        table = db_connection.ops.quote_name(Notification._meta.db_table)
        columns = ", ".join(
            db_connection.ops.quote_name(Notification._meta.get_field(name).column)
            for name in ("recipient_id", "campaign_id", "kind", "title", "body", "url", "created_at")
        )
        with db_connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT r, %s, %s, %s, b, %s, %s "  # noqa: S608 - model names only
                "FROM unnest(%s::bigint[], %s::text[]) AS t(r, b) ON CONFLICT DO NOTHING",
                [campaign.pk, campaign.kind, campaign.subject, campaign.url, now, recipients, bodies],
            )
    else:
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=pk,
                    campaign=campaign,
                    kind=campaign.kind,
                    title=campaign.subject,
                    body=body,
                    url=campaign.url,
                    created_at=now,
                )
                for pk, body in zip(recipients, bodies, strict=True)
            ],
            ignore_conflicts=True,
        )
    unread_forget(*recipients)


def _send_emails(campaign: Campaign, rows: list[ClaimedRow], extras, token: str, outcome: ChunkOutcome) -> None:
    composer = Composer(campaign)
    # Django's SMTP backend is replaced by a pipelining connection fed with bytes written
    # once per campaign; any other backend (console, file, locmem, anymail) gets the
    # EmailMessages it expects.
    fast = smtp.is_smtp_backend()
    connection = smtp.Connection() if fast else get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - sorted by classify()
        is_transient, reason = classify(exc)
        pks = [row.pk for row in rows]
        if is_transient:
            outcome.transient += delivery.release(pks, token=token, reason=reason)
            outcome.last_transient_reason = reason
        else:
            outcome.failed += delivery.mark_failed(pks, token=token, reason=reason)
        return
    send = _smtp_sender(composer, connection, extras) if fast else _backend_sender(composer, connection, extras)
    try:
        with _fast_commits(), delivery.sent_marker(token=token) as mark_sent:
            _send_each(rows, send, mark_sent, token, outcome)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001, S110 - the connection may already be gone
            pass


def _smtp_sender(composer: Composer, connection: "smtp.Connection", extras) -> Callable[[ClaimedRow], str]:
    sender = composer.envelope_sender

    def send(row: ClaimedRow) -> str:
        recipient, data = composer.render(row, row.recipient, extras.get(row.recipient_id, ""))
        connection.send(sender, recipient, data)
        return message_id_for(row)

    return send


def _backend_sender(composer: Composer, connection, extras) -> Callable[[ClaimedRow], str]:
    def send(row: ClaimedRow) -> str:
        message = composer.build(row, row.recipient, extras.get(row.recipient_id, ""))
        message.connection = connection
        connection.send_messages([message])
        status = getattr(message, "anymail_status", None)
        provider_id = str(status.message_id) if status is not None and status.message_id is not None else ""
        return provider_id or message_id_for(row)

    return send


@contextmanager
def _fast_commits():
    """On PostgreSQL, the per-message UPDATEs commit without waiting for the disk.

    A worker that dies loses nothing (a commit is visible at once); only a crash of the
    database server itself could forget the last fraction of a second of "sent" marks,
    which would then be sent again. Waiting for the disk on every message would instead
    cap a campaign at the disk's flush rate (about a hundred messages a second here).
    """
    if db_connection.vendor != "postgresql":
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with db_connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _send_each(rows, send, mark_sent, token: str, outcome: ChunkOutcome) -> None:
    """Send each message on the open connection and record its outcome at once: a
    message the server accepted is marked sent before the next one goes out, so a
    worker killed mid-chunk leaves at most one accepted message unmarked."""
    for index, row in enumerate(rows):
        try:
            message_id = send(row)
        except Exception as exc:  # noqa: BLE001 - sorted by classify()
            is_transient, reason = classify(exc)
            if not is_transient:
                outcome.failed += delivery.mark_failed(row.pk, token=token, reason=reason)
                continue
            outcome.transient += delivery.release(row.pk, token=token, reason=reason)
            outcome.last_transient_reason = reason
            if _connection_lost(exc):
                rest = [r.pk for r in rows[index + 1 :]]
                outcome.transient += delivery.release(rest, token=token, reason=reason)
                return
            continue
        outcome.sent += mark_sent(row.pk, message_id)


def _connection_lost(exc: Exception) -> bool:
    # smtplib's exceptions are OSErrors too; only a dropped connection stops the chunk.
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def chunk_give_up(*, campaign_id: int, chunk: int, token: str) -> int:
    moved = delivery.give_up(campaign_id=campaign_id, chunk=chunk, token=token, reason=_("échec temporaire persistant"))
    campaign_refresh(campaign_id)
    return moved


# How stale the counters of a campaign being sent may get.
RECOUNT_INTERVAL = timedelta(seconds=5)


def chunk_recount(campaign_id: int) -> None:
    """After a chunk: recount the campaign when nothing is left to send (it finishes) or
    when the last recount is older than RECOUNT_INTERVAL. Recounting every row after
    each of hundreds of chunks would cost more than sending them."""
    if Delivery.objects.filter(campaign_id=campaign_id, status__in=delivery.PENDING).exists():
        now = timezone.now()
        # The conditional UPDATE lets one of the chunks finishing together recount.
        due = Q(counted_at__isnull=True) | Q(counted_at__lt=now - RECOUNT_INTERVAL)
        if not Campaign.objects.filter(due, pk=campaign_id).update(counted_at=now):
            return
    campaign_refresh(campaign_id)


def campaign_refresh(campaign_id: int) -> None:
    """Recount the campaign's rows (one grouped query) and finish it when nothing is
    left to send."""
    email, counts = {}, {}
    rows = (
        Delivery.objects.filter(campaign_id=campaign_id)
        .values_list("channel", "status")
        .annotate(n=Count("pk"))
        .values_list("channel", "status", "n")
    )
    for channel, status, n in rows:
        counts[status] = counts.get(status, 0) + n
        if channel == Delivery.Channel.EMAIL:
            email[status] = n
    now = timezone.now()
    last_change = Delivery.objects.filter(campaign_id=campaign_id).aggregate(at=Max("updated_at"))["at"]
    # Sent, delivered and failed count e-mails (the portal is written at once); skipped
    # counts every channel a person was left out of.
    fields = {
        "sent_count": email.get(S.SENT, 0) + email.get(S.DELIVERED, 0) + email.get(S.BOUNCED, 0),
        "delivered_count": email.get(S.DELIVERED, 0),
        "failed_count": email.get(S.FAILED, 0) + email.get(S.BOUNCED, 0),
        "skipped_count": counts.get(S.SKIPPED, 0),
        "last_progress_at": last_change or now,
        "counted_at": now,
    }
    Campaign.objects.filter(pk=campaign_id).update(**fields)
    if not counts.get(S.QUEUED) and not counts.get(S.SENDING):
        Campaign.objects.filter(pk=campaign_id).exclude(status=Campaign.Status.FINISHED).update(
            status=Campaign.Status.FINISHED, finished_at=now
        )


# --- Housekeeping (beat) ---------------------------------------------------------------


def campaigns_resume() -> int:
    """Send again what waits: held campaigns once the pause is over, and rows whose
    claim outlived its task. Returns the number of chunk tasks queued."""
    claimed_before = timezone.now() - timedelta(minutes=settings.CAMPAIGN_CLAIM_TIMEOUT_MINUTES)
    pairs = set(delivery.requeue_stale(claimed_before=claimed_before))
    # A chunk task can also be lost before it claimed anything (a worker killed with
    # tasks reserved): campaigns with no progress for as long get their queued chunks
    # sent again. A chunk whose task was not lost after all finds nothing to claim.
    waiting = Campaign.objects.filter(
        status__in=[Campaign.Status.QUEUED, Campaign.Status.SENDING], last_progress_at__lt=claimed_before
    )
    if not pause_active():
        waiting = waiting | Campaign.objects.filter(status=Campaign.Status.HELD)
    campaign_ids = list(waiting.values_list("pk", flat=True))
    if campaign_ids:
        pairs |= set(
            Delivery.objects.filter(campaign_id__in=campaign_ids, status=S.QUEUED)
            .order_by()
            .values_list("campaign_id", "chunk")
            .distinct()
        )
    by_campaign: dict[int, list[int]] = {}
    for campaign_id, chunk in sorted(pairs):
        by_campaign.setdefault(campaign_id, []).append(chunk)
    for campaign_id, chunks in by_campaign.items():
        transaction.on_commit(lambda c=campaign_id, ch=chunks: _dispatch(c, ch))
    return len(pairs)
