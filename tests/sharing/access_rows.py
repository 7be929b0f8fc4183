"""Role × URL rows for the ambassador portal (see tests/test_access.py)."""

from tests.access import EVERYONE, Row

AMBASSADORS = frozenset({"ambassador"})


def build_context(ctx):
    from tests.sharing.factories import live_kit, share

    kit = live_kit(title="Kit pour le tableau des accès")
    ctx["sharing_kit"] = kit
    ctx["sharing_share"] = share(ambassador=ctx["people"]["ambassador"], kit=kit)


ROWS = [
    Row("sharing:click_redirect", kwargs=lambda ctx: {"code": ctx["sharing_share"].link.code}, allowed=EVERYONE),
    Row("sharing:withdrawn", allowed=EVERYONE),
    Row("sharing:feed", allowed=AMBASSADORS),
    Row("sharing:kit", kwargs=lambda ctx: {"pk": ctx["sharing_kit"].pk}, allowed=AMBASSADORS),
    Row("sharing:share", kwargs=lambda ctx: {"slug": ctx["sharing_kit"].slug}, allowed=AMBASSADORS),
    Row(
        "sharing:share_check",
        method="post",
        kwargs=lambda ctx: {"slug": ctx["sharing_kit"].slug},
        data={"text": "Bonjour"},
        allowed=AMBASSADORS,
    ),
    Row("sharing:my_shares", kwargs=lambda ctx: {"slug": ctx["sharing_kit"].slug}, allowed=AMBASSADORS),
    Row(
        "sharing:attach_post",
        method="post",
        kwargs=lambda ctx: {"pk": ctx["sharing_share"].pk},
        data={"post_url": "https://x.com/agent/status/1"},
        allowed=AMBASSADORS,
    ),
    Row("sharing:impact", allowed=AMBASSADORS),
    Row("api_sharing_feed", allowed=AMBASSADORS, api=True),
    Row(
        "api_sharing_share_create",
        method="post",
        kwargs=lambda ctx: {"slug": ctx["sharing_kit"].slug},
        data={"network": "x", "text": "Mon texte"},
        allowed=AMBASSADORS,
        api=True,
    ),
    Row(
        "api_sharing_share_post",
        method="post",
        kwargs=lambda ctx: {"pk": ctx["sharing_share"].pk},
        data={"post_url": "https://x.com/agent/status/1"},
        allowed=AMBASSADORS,
        api=True,
    ),
    Row("api_sharing_my_figures", allowed=AMBASSADORS, api=True),
]
