"""The role × URL table: who may reach which page or endpoint.

Each app lists its URLs in tests/<app>/access_rows.py (a ROWS list, and optionally a
`build_context(ctx)` that creates the objects its URLs need). tests/test_access.py runs
every row for every role and fails when a URL of ours has no row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "staff", "ambassador", "curator", "moderator", "manager", "admin")
EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
PRIVILEGED = frozenset({"curator", "moderator", "admin"})


@dataclass(frozen=True)
class Row:
    name: str
    method: str = "get"
    kwargs: dict | Callable = field(default_factory=dict)
    allowed: frozenset = SIGNED_IN
    api: bool = False
    path: str | None = None
    data: dict | Callable | None = None
    # Follow redirects and judge the final answer (the Django admin bounces through
    # its own login URL before reaching ours).
    follow: bool = False

    def resolve(self, ctx) -> tuple[str, dict | None]:
        from django.urls import reverse

        kwargs = self.kwargs(ctx) if callable(self.kwargs) else self.kwargs
        url = self.path or reverse(self.name, kwargs=kwargs or None)
        data = self.data(ctx) if callable(self.data) else self.data
        return url, data
