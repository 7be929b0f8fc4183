"""Role × URL rows for the campaigns pages and API (see tests/test_access.py)."""

from tests.access import EVERYONE, SIGNED_IN, Row

WEB_SOCIAL = frozenset({"curator", "moderator", "admin"})
CURATORS = frozenset({"curator", "admin"})
MODERATORS = frozenset({"moderator", "admin"})


def build_context(ctx):
    from advocacy.campaigns import alerts, services, tokens
    from advocacy.campaigns.models import Alert, Notification, RetractionRequest

    people = ctx["people"]
    campaign = services.announcement_send(by=people["curator"], subject="Annonce", body="Bonjour à toutes et tous.")
    ctx["campaign"] = campaign
    ctx["unsubscribe_token"] = tokens.unsubscribe_token(people["ambassador"])
    ctx["alert"] = alerts.alert_raise(kind=Alert.Kind.STALLED, key="access-rows", message="Test", campaign=campaign)
    ctx["notification"] = Notification.objects.create(recipient=people["ambassador"], kind="announcement", title="T")

    from content.models import Kit
    from tests.content.factories import make_kit

    ctx["published_kit"] = make_kit(status=Kit.Status.PUBLISHED, title="Kit publié")
    ctx["retracted_kit"] = make_kit(status=Kit.Status.RETRACTED, title="Kit retiré")
    request = RetractionRequest.objects.create(kit=ctx["retracted_kit"], ambassador=people["ambassador"])
    ctx["acknowledge_token"] = tokens.acknowledge_token(request.pk)


ROWS = [
    Row("campaigns:inbox", allowed=SIGNED_IN),
    Row("campaigns:notification_read", method="post", kwargs={"pk": 999999}, allowed=SIGNED_IN),
    Row("campaigns:notifications_read_all", method="post", allowed=SIGNED_IN),
    Row("campaigns:unsubscribe", kwargs=lambda ctx: {"token": ctx["unsubscribe_token"]}, allowed=EVERYONE),
    Row("campaigns:campaign_list", allowed=WEB_SOCIAL),
    Row("campaigns:announcement_new", allowed=CURATORS),
    Row("campaigns:reconciliation", allowed=WEB_SOCIAL),
    Row("campaigns:campaign_detail", kwargs=lambda ctx: {"pk": ctx["campaign"].pk}, allowed=WEB_SOCIAL),
    Row("campaigns:campaign_live", kwargs=lambda ctx: {"pk": ctx["campaign"].pk}, allowed=WEB_SOCIAL),
    Row("campaigns:alert_resolve", method="post", kwargs={"pk": 999999}, allowed=WEB_SOCIAL),
    Row("campaigns:crisis", allowed=MODERATORS),
    Row("campaigns:pause_lift", method="post", allowed=MODERATORS),
    Row("campaigns:tracking_webhook", method="post", allowed=EVERYONE),
    Row("campaigns:kit_retract", kwargs=lambda ctx: {"kit_pk": ctx["published_kit"].pk}, allowed=MODERATORS),
    Row("campaigns:retraction_follow", kwargs=lambda ctx: {"kit_pk": ctx["retracted_kit"].pk}, allowed=MODERATORS),
    Row("campaigns:my_retractions", allowed=SIGNED_IN),
    Row("campaigns:retraction_acknowledge", method="post", kwargs={"pk": 999999}, allowed=SIGNED_IN),
    Row("api_campaigns", allowed=WEB_SOCIAL, api=True),
    Row("api_campaign", kwargs=lambda ctx: {"pk": ctx["campaign"].pk}, allowed=WEB_SOCIAL, api=True),
    Row("api_announcements", method="post", data={"subject": "S", "body": "B"}, allowed=CURATORS, api=True),
    Row("api_me_notifications", allowed=SIGNED_IN, api=True),
    Row("api_me_notification_read", method="post", kwargs={"pk": 999999}, allowed=SIGNED_IN, api=True),
    Row("api_me_retraction_requests", allowed=SIGNED_IN, api=True),
    Row("api_me_retraction_acknowledge", method="post", kwargs={"pk": 999999}, allowed=SIGNED_IN, api=True),
    Row("api_kit_retract", method="post", kwargs={"kit_pk": 999999}, allowed=MODERATORS, api=True),
    Row("api_kit_retraction", kwargs=lambda ctx: {"kit_pk": ctx["retracted_kit"].pk}, allowed=MODERATORS, api=True),
    Row("api_pause", allowed=SIGNED_IN, api=True),
    Row("api_pause", method="post", data={"reason": "R"}, allowed=MODERATORS, api=True),
    Row("api_pause_lift", method="post", allowed=MODERATORS, api=True),
    Row("campaigns:acknowledge_link", kwargs=lambda ctx: {"token": ctx["acknowledge_token"]}, allowed=EVERYONE),
]
