"""Signed links that work without signing in: one-click unsubscribe and the "c'est fait"
acknowledgement of a retraction request. Each kind has its own salt and expiry."""

from datetime import timedelta

from django.conf import settings
from django.core import signing

UNSUBSCRIBE_SALT = "campaigns.unsubscribe"
ACKNOWLEDGE_SALT = "campaigns.retraction-acknowledge"


class InvalidToken(Exception):
    """The link was altered, or it is too old."""

    def __init__(self, *, expired: bool):
        super().__init__("expired" if expired else "bad signature")
        self.expired = expired


def _load(token: str, *, salt: str, max_age: timedelta) -> dict:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidToken(expired=True) from exc
    except signing.BadSignature as exc:
        raise InvalidToken(expired=False) from exc


def unsubscribe_token(user) -> str:
    return unsubscribe_tokens()(user)


def unsubscribe_tokens():
    """unsubscribe_token for the many recipients of one campaign: the signer is built
    once rather than once per person (half the cost of a token)."""
    signer = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
    # The address is part of the payload so that a link stops working for an account
    # whose address changed hands.
    return lambda user: signer.sign_object({"u": user.pk, "e": user.email}, compress=True)


def unsubscribe_payload(token: str) -> dict:
    return _load(token, salt=UNSUBSCRIBE_SALT, max_age=timedelta(days=settings.CAMPAIGN_UNSUBSCRIBE_MAX_AGE_DAYS))


def acknowledge_token(request_pk: int) -> str:
    return signing.dumps({"r": request_pk}, salt=ACKNOWLEDGE_SALT)


def acknowledge_payload(token: str) -> dict:
    return _load(token, salt=ACKNOWLEDGE_SALT, max_age=timedelta(days=settings.CAMPAIGN_UNSUBSCRIBE_MAX_AGE_DAYS))
