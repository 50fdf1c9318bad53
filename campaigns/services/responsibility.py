"""A new year's responsibility lists (普法责任清单), copied from the year before in one step.

Every active department with a list last year and none this year gets a copy: laws, audiences,
domains, key dates, duties and liaison. Pressing twice creates nothing the second time, and two
people pressing at once create one set: the unique (department, year) constraint refuses the
second copy, whose whole step is then undone. The copies are ordinary lists, edited afterwards.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from campaigns.models import ResponsibilityList
from campaigns.services.errors import CampaignError
from organisation.validators import YEAR_MAX, YEAR_MIN, parse_year


@dataclass
class ListCopyResult:
    year: int
    created: int = 0
    lost_race: bool = False

    def summary(self) -> str:
        if self.lost_race:
            return f"{self.year}年普法责任清单刚刚已由他人复制，未重复创建。"
        if not self.created:
            return f"{self.year}年各处室已有普法责任清单，未重复创建。"
        return f"已从{self.year - 1}年复制 {self.created} 份普法责任清单到{self.year}年，可在管理后台修改。"


def lists_to_copy(year: int):
    """Last year's lists of active departments that have none for ``year`` yet."""
    listed = ResponsibilityList.objects.for_year(year).values("department_id")
    return (
        ResponsibilityList.objects.for_year(year - 1)
        .filter(department__is_active=True)
        .exclude(department_id__in=listed)
        .prefetch_related("laws", "audiences", "domains", "key_dates")
        .order_by("pk")
    )


def responsibility_lists_copy_year(*, year: int) -> ListCopyResult:
    if parse_year(year, lowest=YEAR_MIN + 1) is None:  # copied from the year before, which must be known
        raise CampaignError(f"年度应在 {YEAR_MIN + 1} 至 {YEAR_MAX} 之间。")
    result = ListCopyResult(year=year)
    try:
        with transaction.atomic():
            for source in lists_to_copy(year):
                copy = ResponsibilityList.objects.create(
                    department_id=source.department_id, year=year, duties=source.duties, liaison_id=source.liaison_id
                )
                copy.laws.set(source.laws.all())
                copy.audiences.set(source.audiences.all())
                copy.domains.set(source.domains.all())
                copy.key_dates.set(source.key_dates.all())
                result.created += 1
    except IntegrityError:  # the same copy committed a moment ago by someone else
        return ListCopyResult(year=year, lost_race=True)
    return result
