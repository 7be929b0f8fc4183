"""The personal data held by the accounts app and the libraries it relies on."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from rest_framework.authtoken.models import Token

from accounts.models import (
    AuditEvent,
    CharterAcceptance,
    CharterVersion,
    ProgrammeMembership,
    SocialHandle,
    User,
)
from accounts.privacy import DELETE, DETACH, register

register(
    User,
    user_field="pk",
    fields=(
        "email", "first_name", "last_name", "unit", "job_function", "notification_preference",
        "appears_in_rankings", "is_curator", "is_moderator", "is_platform_admin", "managed_unit",
        "opted_in_at", "is_active", "date_joined", "last_login",
    ),
)  # fmt: skip
register(
    SocialHandle,
    fields=("network", "handle", "instance", "follower_count", "followers_declared_at", "created_at"),
)
register(CharterAcceptance, fields=("version", "accepted_at"))
register(ProgrammeMembership, fields=("unit", "job_function", "joined_at", "left_at"), on_erase=DETACH)
register(CharterVersion, user_field="created_by", fields=("number", "title", "created_at"), on_erase=DETACH)
register(AuditEvent, user_field="actor", fields=("action", "detail", "created_at"), on_erase=DETACH)
register(EmailAddress, fields=("email", "verified", "primary"))
register(SocialAccount, fields=("provider", "uid", "last_login", "date_joined"))
# Secrets (TOTP seeds, recovery codes, API keys) are never exported, only their existence.
register(Authenticator, fields=("type", "created_at", "last_used_at"))
register(Token, fields=("created",))
register(UserSession, fields=("ip", "user_agent", "created_at", "last_seen_at"))
register(LogEntry, fields=("action_time", "object_repr", "change_message"), on_erase=DELETE)
