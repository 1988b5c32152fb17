"""Deadlines are rules, not dates (docs/architecture.md#the-booking-rules). A rule is stored as a
short string:

- ``days:N@HH:MM``      N days before the day, at HH:MM (0 = the same day);
- ``workdays:N@HH:MM``  N working days before (Monday–Friday, public holidays excluded);
- ``prevweek:W@HH:MM``  weekday W (0 = Monday … 6 = Sunday) of the previous week;
- ``prevmonth:D@HH:MM`` day D of the previous month (the month's last day if shorter).

Everything is computed on calendar dates, then placed at HH:MM in Europe/Paris, so a deadline
keeps its wall-clock time across DST changes. An action is allowed strictly before it.
"""

from __future__ import annotations

import calendar as pycalendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from espacefamille.core.dates import monday_of

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
_RULE = re.compile(r"^(days|workdays|prevweek|prevmonth):(\d{1,3})@([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class DeadlineRule:
    kind: str
    value: int
    at: time

    @classmethod
    def parse(cls, text: str) -> DeadlineRule:
        match = _RULE.match(text.strip())
        if not match:
            raise ValidationError(
                _("Règle de délai « %(rule)s » invalide (ex. days:2@10:00).") % {"rule": text}
            )
        kind, value, hour, minute = match.groups()
        rule = cls(kind, int(value), time(int(hour), int(minute)))
        if kind == "prevweek" and rule.value > 6:
            raise ValidationError(_("Le jour de la semaine va de 0 (lundi) à 6 (dimanche)."))
        if kind == "prevmonth" and not 1 <= rule.value <= 31:
            raise ValidationError(_("Le jour du mois va de 1 à 31."))
        return rule

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}@{self.at:%H:%M}"

    def deadline_date(self, day: date, is_working_day: Callable[[date], bool]) -> date:
        if self.kind == "days":
            return day - timedelta(days=self.value)
        if self.kind == "workdays":
            current, left = day, self.value
            while left > 0:
                current -= timedelta(days=1)
                if is_working_day(current):
                    left -= 1
            return current
        if self.kind == "prevweek":
            return monday_of(day) - timedelta(days=7) + timedelta(days=self.value)
        # prevmonth
        first = day.replace(day=1)
        previous = first - timedelta(days=1)
        last = pycalendar.monthrange(previous.year, previous.month)[1]
        return previous.replace(day=min(self.value, last))

    def deadline(self, day: date, is_working_day: Callable[[date], bool]) -> datetime:
        """The instant after which the action is refused: HH:MM on the Paris wall clock,
        returned in UTC so comparisons and differences are exact across DST changes."""
        local = datetime.combine(self.deadline_date(day, is_working_day), self.at, tzinfo=PARIS)
        return local.astimezone(UTC)

    def allows(self, day: date, now: datetime, is_working_day: Callable[[date], bool]) -> bool:
        return now < self.deadline(day, is_working_day)

    def describe(self) -> str:
        """In French, for the families: "jusqu'à 2 jours avant, 10h00"."""
        at = f"{self.at.hour}h{self.at.minute:02d}"
        if self.kind == "days":
            if self.value == 0:
                return _("jusqu'au jour même, %(at)s") % {"at": at}
            if self.value == 1:
                return _("jusqu'à la veille, %(at)s") % {"at": at}
            return _("jusqu'à %(n)s jours avant, %(at)s") % {"n": self.value, "at": at}
        if self.kind == "workdays":
            return _("jusqu'à %(n)s jours ouvrés avant, %(at)s") % {"n": self.value, "at": at}
        if self.kind == "prevweek":
            return _("jusqu'au %(day)s de la semaine précédente, %(at)s") % {
                "day": WEEKDAYS_FR[self.value],
                "at": at,
            }
        return _("jusqu'au %(d)s du mois précédent, %(at)s") % {"d": self.value, "at": at}


def validate_rule(text: str) -> None:
    DeadlineRule.parse(text)
