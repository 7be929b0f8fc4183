"""The period and unit picker of the reach reports (query-string form, Europe/Paris days)."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.forms import FilterForm
from advocacy.reach.reports import MAX_PERIOD_DAYS, Period

NOT_STARTED = _("Cette période n’a pas encore commencé.")


class ReportFilterForm(FilterForm):
    PERIODS = (
        ("7", _("7 derniers jours")),
        ("30", _("30 derniers jours")),
        ("90", _("90 derniers jours")),
        ("month", _("Un mois")),
        ("custom", _("Dates choisies")),
    )

    DEFAULT_PERIOD = "30"
    periode = forms.ChoiceField(label=_("Période"), choices=PERIODS, required=False, initial=DEFAULT_PERIOD)
    mois = forms.CharField(
        label=_("Mois"), required=False, widget=forms.DateInput(attrs={"type": "month"}), help_text=_("AAAA-MM")
    )
    debut = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    fin = forms.DateField(label=_("Au (inclus)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # Checked against the person's scope by reports.report_unit (a 404 outside it), not
    # by the choices: an invalid choice must not fall back silently to another unit.
    unite = forms.IntegerField(label=_("Unité"), required=False, widget=forms.Select)

    def __init__(self, *args, units=(), national_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("periode"):
            # A link that names only the unit shows the default period: say so in the picker
            # too, rather than leave it on its first choice.
            self.data = self.data.copy()
            self.data["periode"] = self.DEFAULT_PERIOD
        choices = [("", national_label)] if national_label else []
        choices += [(unit.pk, "\u00a0\u00a0" * unit.depth + unit.name) for unit in units]
        self.fields["unite"].widget.choices = choices

    def clean_mois(self):
        value = self.cleaned_data.get("mois") or ""
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError as error:
            raise forms.ValidationError(_("Indiquez un mois sous la forme AAAA-MM.")) from error

    def clean(self):
        """The period asked for, in cleaned_data["period"]. Each error is given to the field
        it concerns (the month, the start or the end date), so the page shows it on that
        input and ties it to it, and the API names that field; a field already refused
        (a date that is not one) is not judged again."""
        data = super().clean()
        today = timezone.localdate()
        kind = data.get("periode") or self.DEFAULT_PERIOD
        if kind == "month":
            if "mois" in self.errors:
                return data
            month = data.get("mois") or today.replace(day=1)
            if month > today:
                # Before working out its last day: December 9999 has no following month.
                self.add_error("mois", NOT_STARTED)
                return data
            if (month.year, month.month) == (today.year, today.month):
                # The month in progress: its days so far, not days to come, which would
                # show as empty days on the charts.
                period = Period.month_to_date(today)
            else:
                period = Period.month(month.year, month.month)
            first_field = "mois"
        elif kind == "custom":
            if "debut" in self.errors or "fin" in self.errors:
                return data
            start, end = data.get("debut"), data.get("fin")
            if not start:
                self.add_error("debut", _("Indiquez la date de début de la période."))
            if not end:
                self.add_error("fin", _("Indiquez la date de fin de la période."))
            if not start or not end:
                return data
            if start > end:
                self.add_error("debut", _("La date de début doit précéder la date de fin."))
                return data
            if (end - start).days + 1 > MAX_PERIOD_DAYS:
                self.add_error(
                    "fin", _("Une période dure au plus un an : rapprochez la date de fin de la date de début.")
                )
                return data
            period = Period(start, end)
            first_field = "debut"
        else:
            period = Period.last_days(int(kind), today=today)
            first_field = "periode"
        if period.start > today:
            self.add_error(first_field, NOT_STARTED)
            return data
        try:
            period.previous()
        except OverflowError:
            # The comparison period of a period in year 1 would start before the calendar does.
            self.add_error(first_field, _("Choisissez une période plus récente."))
            return data
        data["period"] = period
        return data

    def period(self) -> Period:
        if self.is_valid():
            return self.cleaned_data["period"]
        return Period.last_days(30)

    def unit_id(self) -> int | None:
        """The unit asked for; anything that is not a unit id is a unit nobody may see."""
        raw = (self.data.get("unite") or "").strip()
        if not raw:
            return None
        # isdigit() alone accepts "²", which int() refuses.
        return int(raw) if raw.isascii() and raw.isdigit() else -1


def default_period() -> Period:
    return Period.last_days(30)


def previous_month(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    last = today.replace(day=1) - timedelta(days=1)
    return Period.month(last.year, last.month)
