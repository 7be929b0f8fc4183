"""Report API: the same Report object as the pages and exports (advocacy.reach.reports),
with the same scoping, serialised field by field."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Role, rule_for
from advocacy.reach import reports
from advocacy.reach.forms_reports import ReportFilterForm
from advocacy.schema import ERROR_RESPONSES

READERS = rule_for(Role.MANAGER, Role.CURATOR, Role.MODERATOR, Role.ADMIN)


class ReportQuery(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=["7", "30", "90", "month", "custom"], required=False, default="30", help_text="Période"
    )
    month = serializers.RegexField(r"^\d{4}-\d{2}$", required=False, help_text="AAAA-MM, avec period=month")
    start = serializers.DateField(required=False, help_text="Premier jour, avec period=custom")
    end = serializers.DateField(required=False, help_text="Dernier jour inclus, avec period=custom")
    unit = serializers.IntegerField(required=False, min_value=1, help_text="Unité (par défaut : votre périmètre)")

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
            non_field = [str(e) for e in form.non_field_errors()]
            # The form speaks the page's French parameter names; the error names the API's.
            raise serializers.ValidationError(
                non_field or {self.FORM_FIELDS.get(name, name): errors for name, errors in form.errors.items()}
            )
        attrs["period_obj"] = form.cleaned_data["period"]
        return attrs


class PeriodOutput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()


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
    organic_posts = serializers.IntegerField()
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
    top_kits = KitOutput(many=True)
    top_ambassadors = AmbassadorOutput(many=True)


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
        return Response(ReportOutput(report).data)


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
