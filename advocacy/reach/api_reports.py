"""Report API: the same Report object as the pages and exports (advocacy.reach.reports),
with the same scoping, serialised field by field."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Role, rule_for
from advocacy.reach import reports
from advocacy.reach.forms_reports import ReportFilterForm
from advocacy.reach.models import SocialPost
from advocacy.schema import ERROR_RESPONSES

READERS = rule_for(Role.MANAGER, Role.CURATOR, Role.MODERATOR, Role.ADMIN)
WEB_SOCIAL = rule_for(Role.CURATOR, Role.MODERATOR, Role.ADMIN)


class PeriodQuery(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=["7", "30", "90", "month", "custom"], required=False, default="30", help_text="Période"
    )
    month = serializers.RegexField(r"^\d{4}-\d{2}$", required=False, help_text="AAAA-MM, avec period=month")
    start = serializers.DateField(required=False, help_text="Premier jour, avec period=custom")
    end = serializers.DateField(required=False, help_text="Dernier jour inclus, avec period=custom")

    FORM_FIELDS = {"periode": "period", "mois": "month", "debut": "start", "fin": "end"}

    def validate(self, attrs):
        form = ReportFilterForm(
            {
                "periode": attrs.get("period", "30"),
                "mois": attrs.get("month", ""),
                "debut": attrs.get("start") or "",
                "fin": attrs.get("end") or "",
            }
        )
        if not form.is_valid():
            # The form gives each error to the parameter it concerns, in the page's French
            # names; the error names the API's.
            raise serializers.ValidationError(
                {self.FORM_FIELDS.get(name, "non_field_errors"): errors for name, errors in form.errors.items()}
            )
        attrs["period_obj"] = form.cleaned_data["period"]
        return attrs


class ReportQuery(PeriodQuery):
    unit = serializers.IntegerField(required=False, min_value=1, help_text="Unité (par défaut : votre périmètre)")


class PeriodOutput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()
    is_in_progress = serializers.BooleanField(
        help_text="La période comprend aujourd’hui, pas terminé : ses écarts avec la précédente sont provisoires"
    )


class UnitOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    depth = serializers.IntegerField()


class FiguresOutput(serializers.Serializer):
    ambassadors_enrolled = serializers.IntegerField()
    ambassadors_active = serializers.IntegerField()
    participation_rate = serializers.FloatField(allow_null=True, help_text="Pourcentage")
    shares = serializers.IntegerField()
    human_clicks = serializers.IntegerField()
    click_rate = serializers.FloatField(allow_null=True, help_text="Clics par partage")
    link_day_visitors = serializers.IntegerField(help_text="Somme des visiteurs uniques par lien et par jour")
    bot_clicks = serializers.IntegerField(help_text="Robots, aperçus, HEAD et préchargements (exclus)")
    ambassador_posts = serializers.IntegerField()
    organic_posts = serializers.IntegerField(
        help_text="Rattachées à aucune unité : 0 hors du rapport de toute l’organisation"
    )
    reposts = serializers.IntegerField()
    likes = serializers.IntegerField()
    impressions = serializers.IntegerField(allow_null=True, help_text="Null : aucun réseau ne les a données")
    posts_with_impressions = serializers.IntegerField()
    potential_reach = serializers.IntegerField(help_text="Estimation : somme des abonné·es des auteur·rices")


class TrendOutput(serializers.Serializer):
    day = serializers.DateField()
    shares = serializers.IntegerField()
    human_clicks = serializers.IntegerField()
    ambassador_posts = serializers.IntegerField()
    organic_posts = serializers.IntegerField()


class BreakdownFields(serializers.Serializer):
    shares = serializers.IntegerField()
    human_clicks = serializers.IntegerField()
    link_day_visitors = serializers.IntegerField()
    bot_clicks = serializers.IntegerField()
    ambassador_posts = serializers.IntegerField()
    organic_posts = serializers.IntegerField()
    reposts = serializers.IntegerField()
    likes = serializers.IntegerField()
    impressions = serializers.IntegerField(allow_null=True)
    posts_with_impressions = serializers.IntegerField()
    potential_reach = serializers.IntegerField()


class NetworkOutput(BreakdownFields):
    network = serializers.CharField()
    label = serializers.CharField()


class SubUnitOutput(BreakdownFields):
    unit = UnitOutput()
    label = serializers.CharField()
    is_direct = serializers.BooleanField(
        help_text="Vrai pour l’activité rattachée à l’unité elle-même, hors de ses sous-unités"
    )


class KitOutput(serializers.Serializer):
    kit_id = serializers.IntegerField()
    title = serializers.CharField()
    shares = serializers.IntegerField()
    human_clicks = serializers.IntegerField()
    posts = serializers.IntegerField()


class AmbassadorOutput(serializers.Serializer):
    name = serializers.CharField(
        help_text="« un·e ambassadeur·rice » pour qui ne veut pas figurer dans les classements"
    )
    unit = serializers.CharField()
    shares = serializers.IntegerField()
    human_clicks = serializers.IntegerField()
    posts = serializers.IntegerField()


class HashtagVolumeOutput(serializers.Serializer):
    tag = serializers.CharField()
    kind = serializers.CharField()
    posts = serializers.IntegerField()


class AuthorOutput(serializers.Serializer):
    network = serializers.CharField()
    network_label = serializers.CharField()
    handle = serializers.CharField()
    name = serializers.CharField()
    posts = serializers.IntegerField()
    followers = serializers.IntegerField(allow_null=True)


class NationalOutput(serializers.Serializer):
    hashtags = HashtagVolumeOutput(many=True, help_text="Publications de la période par hashtag suivi")
    top_authors = AuthorOutput(many=True, help_text="Auteur·rices organiques les plus actif·ves")


class CollectionGapOutput(serializers.Serializer):
    source = serializers.CharField(help_text="Collecteur : x_api, mastodon")
    tag = serializers.CharField(help_text="Hashtag, sans #")
    starts_at = serializers.DateTimeField(help_text="Publications non collectées depuis cet instant")
    ends_at = serializers.DateTimeField(help_text="jusqu’à cet instant (exclu)")
    description = serializers.CharField(help_text="La phrase que la page du rapport et l’e-mail mensuel affichent")


class ReportOutput(serializers.Serializer):
    scope = serializers.CharField(source="user_scope_label")
    unit = UnitOutput(allow_null=True)
    is_national = serializers.BooleanField()
    period = PeriodOutput()
    previous_period = PeriodOutput()
    figures = FiguresOutput()
    previous_figures = FiguresOutput()
    trend = TrendOutput(many=True)
    networks = NetworkOutput(many=True)
    sub_units = SubUnitOutput(many=True)
    top_kits = KitOutput(
        many=True, help_text="Kits les plus partagés de la période : par partages, puis par clics (10 au plus)"
    )
    top_kits_by_clicks = KitOutput(
        many=True,
        help_text="Kits les plus cliqués de la période : par clics de personnes sur leurs liens suivis, puis par "
        "partages (10 au plus)",
    )
    top_ambassadors = AmbassadorOutput(many=True)
    collection_gaps = CollectionGapOutput(
        many=True,
        help_text="Périodes qu’un collecteur n’a pas pu lire (collecte interrompue plus longtemps que l’API du réseau "
        "ne permet de rattraper) et que personne n’a encore marquées comblées, touchant la période ou celle de "
        "comparaison : les publications avec le hashtag, leurs partages, j’aime, impressions et l’audience "
        "potentielle de ces jours sont incomplets, comme leurs écarts. Vide le plus souvent ; la page du rapport et "
        "l’e-mail mensuel en avertissent de même.",
    )
    national = serializers.SerializerMethodField(
        help_text="Pour l’équipe web social, sur toute l’organisation : le volume des hashtags suivis et les "
        "auteur·rices organiques, comme sur la page. Null ailleurs."
    )

    @extend_schema_field(NationalOutput(allow_null=True))
    def get_national(self, report):
        extras = self.context.get("extras")
        return None if extras is None else NationalOutput(extras).data


class ReportApi(APIView):
    """The reach report of a period for a unit within the caller's scope."""

    access_rule = READERS

    @extend_schema(
        operation_id="reach_report_retrieve",
        parameters=[ReportQuery],
        responses={200: ReportOutput, **ERROR_RESPONSES},
        description="Les mêmes chiffres que la page du rapport et ses exports. Une unité hors périmètre : 404.",
    )
    def get(self, request):
        query = ReportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = reports.reach_report(
            user=request.user, period=query.validated_data["period_obj"], unit_id=query.validated_data.get("unit")
        )
        extras = reports.national_extras(user=request.user, report=report)
        return Response(ReportOutput(report, context={"extras": extras}).data)


class ReportUnitsApi(APIView):
    """The units whose report the caller may read."""

    access_rule = READERS
    pagination_class = None

    @extend_schema(
        operation_id="reach_report_units_list",
        responses={200: UnitOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request):
        return Response(UnitOutput(reports.report_units_for(user=request.user), many=True).data)


class UnattributedPostOutput(serializers.ModelSerializer):
    class Meta:
        model = SocialPost
        fields = [
            "id", "network", "external_id", "url", "author_handle", "author_name", "text", "posted_at",
            "attribution", "tracked_code",
        ]  # fmt: skip
        read_only_fields = fields


class PostsUnattributedApi(generics.ListAPIView):
    """The posts of the period tied to no unit yet, newest first: the page's list."""

    access_rule = WEB_SOCIAL
    serializer_class = UnattributedPostOutput
    queryset = SocialPost.objects.none()  # for the schema; get_queryset() reads the period
    filter_backends = []

    def get_queryset(self):
        query = PeriodQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return reports.posts_unattributed(user=self.request.user, period=query.validated_data["period_obj"])

    @extend_schema(
        operation_id="reach_report_unattributed_posts_list",
        parameters=[PeriodQuery],
        responses={200: UnattributedPostOutput(many=True), **ERROR_RESPONSES},
        description="Les publications de la période rattachées à aucune unité, comme sur la page.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
