import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from organisation import roles
from organisation.models import Department, StaffProfile
from organisation.spreadsheets import SpreadsheetError, read_xlsx
from organisation.validators import normalise_mobile

STAFF_COLUMNS = ["工号", "姓名", "处室", "职务", "是否执法人员", "执法证号", "手机", "离岗日期"]
STAFF_REQUIRED = ["工号", "姓名", "处室"]
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "对"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "", "none"}


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self):
        return f"第 {self.row} 行：{self.message}"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"发现 {len(self.errors)} 处错误，未导入任何数据。"
        verb = "将" if self.dry_run else "已"
        return f"{verb}新增 {len(self.created)} 人，{verb}更新 {len(self.updated)} 人。"


class ImportAborted(Exception):
    """Raised inside the import transaction to roll everything back."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _flag(value) -> bool | None:
    word = _text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _date(value) -> datetime.date | None:
    """A date cell or text such as 2026-11-30 / 2026/11/30; ValueError for anything else."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    return datetime.date.fromisoformat(text.replace("/", "-").replace(".", "-"))


def staff_import(*, fileobj, dry_run: bool = False) -> ImportReport:
    """Create or update staff from an .xlsx; on any row error nothing is saved.

    A 离岗日期 marks the person as left and switches their account off.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        sheet = read_xlsx(
            fileobj, required=STAFF_REQUIRED, optional=[c for c in STAFF_COLUMNS if c not in STAFF_REQUIRED]
        )
    except SpreadsheetError as exc:
        report.errors.append(RowError(1, str(exc)))
        return report
    if not sheet.rows:
        report.errors.append(RowError(2, "表格中没有数据行。"))
        return report

    departments = {d.name: d for d in Department.objects.all()}
    departments.update({d.short_name: d for d in departments.values() if d.short_name})
    seen: dict[str, int] = {}
    cleaned = []
    for number, values in sheet.rows:
        row, problems = _staff_row(number, values, departments=departments, seen=seen)
        if problems:
            report.errors.extend(RowError(number, problem) for problem in problems)
        else:
            cleaned.append(row)
    report.errors.extend(_account_conflicts(cleaned, seen))
    if report.errors:
        return report

    try:
        with transaction.atomic():
            _save_staff(cleaned, report)
            if dry_run:
                raise ImportAborted
    except ImportAborted:
        pass
    return report


def _staff_row(number: int, values: dict, *, departments: dict, seen: dict[str, int]) -> tuple[dict, list[str]]:
    """One row as the fields of a staff profile, and what is wrong with it (``seen`` collects employee numbers)."""
    problems = []
    employee_no = _text(values.get("工号"))
    name = _text(values.get("姓名"))
    department_name = _text(values.get("处室"))
    enforcer = _flag(values.get("是否执法人员"))
    cert_no = _text(values.get("执法证号"))
    given_mobile = _text(values.get("手机"))
    position = _text(values.get("职务"))
    try:
        left_on = _date(values.get("离岗日期"))
    except ValueError:
        left_on = None
        problems.append(f"离岗日期“{_text(values.get('离岗日期'))}”应为日期，如 2026-11-30")
    problems += _employee_no_problems(employee_no, number, seen)
    if not name:
        problems.append("姓名为空")
    elif len(name) > 50:
        problems.append("姓名超过 50 个字符")
    department = departments.get(department_name)
    if not department_name:
        problems.append("处室为空")
    elif department is None:
        problems.append(f"处室“{department_name}”不存在")
    if len(position) > 50:
        problems.append("职务超过 50 个字符")
    if enforcer is None:
        problems.append(f"是否执法人员应填“是”或“否”，而不是“{_text(values.get('是否执法人员'))}”")
    elif enforcer and not cert_no:
        problems.append("执法人员须填写执法证号")
    if len(cert_no) > 50:
        problems.append("执法证号超过 50 个字符")
    try:
        mobile = normalise_mobile(given_mobile)
    except ValueError:
        mobile = ""
        problems.append(f"手机号“{given_mobile}”格式不正确")
    row = {
        "employee_no": employee_no,
        "real_name": name,
        "department": department,
        "position": position,
        "is_law_enforcement": bool(enforcer),
        "enforcement_cert_no": cert_no,
        "mobile": mobile,
    }
    if left_on is not None:  # an empty cell leaves a recorded date alone
        row["left_on"] = left_on
    return row, problems


def _employee_no_problems(employee_no: str, number: int, seen: dict[str, int]) -> list[str]:
    if not employee_no:
        return ["工号为空"]
    if len(employee_no) > 30:
        return ["工号超过 30 个字符"]
    if employee_no in seen:
        return [f"工号 {employee_no} 与第 {seen[employee_no]} 行重复"]
    seen[employee_no] = number
    return []


def _account_conflicts(rows: list[dict], row_numbers: dict[str, int]) -> list[RowError]:
    """New staff get the account named after their employee number: refuse one that belongs to someone else."""
    new_numbers = {r["employee_no"] for r in rows} - set(
        StaffProfile.objects.filter(employee_no__in=[r["employee_no"] for r in rows]).values_list(
            "employee_no", flat=True
        )
    )
    taken = (
        StaffProfile.objects.filter(user__username__in=new_numbers).select_related("user").order_by("user__username")
    )
    return [
        RowError(
            row_numbers[profile.user.username],
            f"账号“{profile.user.username}”已属于{profile.real_name}（工号 {profile.employee_no}），"
            "不能再作为新职工的账号，请核对工号",
        )
        for profile in taken
    ]


def _save_staff(rows: list[dict], report: ImportReport) -> None:
    User = get_user_model()
    staff_group, _ = Group.objects.get_or_create(name=roles.STAFF)
    existing = {
        p.employee_no: p
        for p in StaffProfile.objects.select_related("user").filter(employee_no__in=[r["employee_no"] for r in rows])
    }
    for row in rows:
        profile = existing.get(row["employee_no"])
        label = f"{row['real_name']}（{row['employee_no']}）"
        if profile is None:
            user, created = User.objects.get_or_create(username=row["employee_no"])
            if created:
                user.set_unusable_password()
                user.save()
            user.groups.add(staff_group)
            StaffProfile.objects.create(user=user, **row)
            report.created.append(label)
        else:
            for key, value in row.items():
                setattr(profile, key, value)
            profile.save()
            report.updated.append(label)
    # People marked as left can no longer sign in; their sessions end with the switch (SignInEpoch).
    leaving = [row["employee_no"] for row in rows if "left_on" in row]
    User.objects.filter(staff_profile__employee_no__in=leaving, is_active=True).update(is_active=False)


def staff_template_bytes() -> bytes:
    """A blank import template with the expected header and one example row."""
    import pandas as pd

    from organisation.spreadsheets import write_xlsx

    example = pd.DataFrame(
        [["A0001", "张三", "文化市场综合行政执法队", "科员", "是", "浙A12345", "13800000000", ""]],
        columns=STAFF_COLUMNS,
    )
    return write_xlsx({"职工名单": example})
