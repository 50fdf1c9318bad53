import io

import pytest
from openpyxl import Workbook

from django.core.management import CommandError, call_command

from organisation.models import StaffProfile
from organisation.services import STAFF_COLUMNS, staff_import
from tests.clock import on
from tests.factories import DepartmentFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db


def xlsx(rows, header=STAFF_COLUMNS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "staff.xlsx"
    return buffer


@pytest.fixture
def departments():
    return DepartmentFactory(name="办公室"), DepartmentFactory(name="文化市场综合行政执法队", short_name="执法队")


def test_good_file_creates_staff_with_accounts(departments):
    report = staff_import(
        fileobj=xlsx(
            [
                ["A001", "张三", "办公室", "科员", "否", None, "13800000001"],
                ["A002", "李四", "执法队", "队员", "是", "浙文执123", None],
            ]
        )
    )
    assert report.ok, report.errors
    assert report.created == ["张三（A001）", "李四（A002）"]
    enforcer = StaffProfile.objects.get(employee_no="A002")
    assert enforcer.department.name == "文化市场综合行政执法队"
    assert enforcer.is_law_enforcement and enforcer.enforcement_cert_no == "浙文执123"
    assert enforcer.user.groups.filter(name="职工").exists()
    assert not enforcer.user.has_usable_password()


def test_existing_employee_number_is_updated_not_duplicated(departments):
    StaffProfileFactory(employee_no="A001", real_name="旧名", department=departments[0])
    report = staff_import(fileobj=xlsx([["A001", "新名", "办公室", "科员", "否", None, None]]))
    assert report.updated == ["新名（A001）"] and report.created == []
    assert StaffProfile.objects.get(employee_no="A001").real_name == "新名"


def test_a_leaving_date_marks_the_person_as_left_and_switches_the_account_off(departments):
    leaving = StaffProfileFactory(employee_no="A001", department=departments[0])
    staying = StaffProfileFactory(employee_no="A002", department=departments[0], left_on=on(1, 31))
    report = staff_import(
        fileobj=xlsx(
            [
                ["A001", leaving.real_name, "办公室", "科员", "否", None, None, on(11, 30).strftime("%Y/%m/%d")],
                ["A002", staying.real_name, "办公室", "科员", "否", None, None, None],
            ]
        )
    )
    assert report.ok, report.errors
    leaving.refresh_from_db(), leaving.user.refresh_from_db()
    assert leaving.left_on == on(11, 30) and not leaving.user.is_active
    staying.refresh_from_db(), staying.user.refresh_from_db()
    assert staying.left_on == on(1, 31), "an empty cell leaves a recorded date alone"
    assert staying.user.is_active


def test_a_leaving_date_that_is_not_a_date_is_refused_and_nothing_changes(departments):
    person = StaffProfileFactory(employee_no="A001", department=departments[0])
    report = staff_import(fileobj=xlsx([["A001", person.real_name, "办公室", "科员", "否", None, None, "下月"]]))
    assert [str(error) for error in report.errors] == ["第 2 行：离岗日期“下月”应为日期，如 2026-11-30"]
    person.refresh_from_db(), person.user.refresh_from_db()
    assert person.left_on is None and person.user.is_active


def test_wrong_column_is_rejected_with_the_header_row(departments):
    header = ["工号", "名字", "处室", "职务", "是否执法人员", "执法证号", "手机"]
    report = staff_import(fileobj=xlsx([["A001", "张三", "办公室", "科员", "否", None, None]], header=header))
    assert not report.ok
    assert report.errors[0].row == 1
    assert "缺少列：姓名" in report.errors[0].message and "无法识别的列：名字" in report.errors[0].message
    assert StaffProfile.objects.count() == 0


def test_bad_rows_are_all_reported_and_nothing_is_imported(departments):
    report = staff_import(
        fileobj=xlsx(
            [
                ["A001", "张三", "办公室", "科员", "否", None, None],
                ["A001", "王五", "办公室", "科员", "否", None, None],
                ["A003", "赵六", "不存在的处", "科员", "否", None, None],
                ["A004", "钱七", "执法队", "队员", "是", None, None],
                ["A005", "孙八", "办公室", "科员", "也许", None, "123"],
            ]
        )
    )
    messages = [str(error) for error in report.errors]
    assert "第 3 行：工号 A001 与第 2 行重复" in messages
    assert "第 4 行：处室“不存在的处”不存在" in messages
    assert "第 5 行：执法人员须填写执法证号" in messages
    assert any(m.startswith("第 6 行：是否执法人员应填") for m in messages)
    assert "第 6 行：手机号“123”格式不正确" in messages
    assert StaffProfile.objects.count() == 0
    assert report.summary() == f"发现 {len(messages)} 处错误，未导入任何数据。"


def test_dry_run_reports_but_saves_nothing(departments):
    report = staff_import(fileobj=xlsx([["A001", "张三", "办公室", "科员", "否", None, None]]), dry_run=True)
    assert report.ok and report.created == ["张三（A001）"]
    assert report.summary() == "将新增 1 人，将更新 0 人。"
    assert StaffProfile.objects.count() == 0


def test_a_file_that_is_not_xlsx_is_refused():
    report = staff_import(fileobj=io.BytesIO(b"name,department\n\xe5\xbc\xa0,x\n"))
    assert "不是有效的 Excel" in report.errors[0].message


def test_a_zip_bomb_is_refused_before_it_is_inflated(settings):
    import zipfile

    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    report = staff_import(fileobj=io.BytesIO(buffer.getvalue()))
    assert "疑似恶意压缩文件" in report.errors[0].message


def test_command_exits_non_zero_and_prints_row_errors(departments, tmp_path, capsys):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(xlsx([["A001", "张三", "不存在的处", "科员", "否", None, None]]).getvalue())
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_staff", str(path))
    assert "第 2 行：处室“不存在的处”不存在" in capsys.readouterr().err
    assert StaffProfile.objects.count() == 0


def test_command_dry_run_then_import(departments, tmp_path, capsys):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(xlsx([["A001", "张三", "办公室", "科员", "否", None, None]]).getvalue())
    call_command("import_staff", str(path), "--dry-run")
    assert StaffProfile.objects.count() == 0
    call_command("import_staff", str(path))
    assert StaffProfile.objects.filter(employee_no="A001").exists()


def test_admin_screen_shows_errors_and_imports_nothing(departments, client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.com", "x")
    client.force_login(admin)
    upload = xlsx([["A001", "张三", "不存在的处", "科员", "否", None, None]])
    response = client.post("/admin/organisation/staff-import/", {"file": upload, "dry_run": ""})
    assert response.status_code == 200
    assert "第 2 行：处室“不存在的处”不存在" in response.content.decode()
    assert StaffProfile.objects.count() == 0
    upload = xlsx([["A001", "张三", "办公室", "科员", "否", None, None]])
    client.post("/admin/organisation/staff-import/", {"file": upload, "dry_run": ""})
    assert StaffProfile.objects.filter(employee_no="A001").exists()


def test_over_long_position_and_certificate_are_row_errors_not_truncated_or_crashing(departments):
    report = staff_import(
        fileobj=xlsx(
            [
                ["A001", "张三", "办公室", "科" * 51, "否", None, None],
                ["A002", "李四", "执法队", "队员", "是", "浙" * 51, None],
            ]
        )
    )
    messages = [str(error) for error in report.errors]
    assert messages == ["第 2 行：职务超过 50 个字符", "第 3 行：执法证号超过 50 个字符"]
    assert StaffProfile.objects.count() == 0


def test_a_new_employee_number_naming_someone_elses_account_is_refused(departments):
    """A new person's account is named after the employee number; one another person holds is an error."""
    StaffProfileFactory(user__username="A009", employee_no="B100", real_name="钱九", department=departments[0])
    report = staff_import(
        fileobj=xlsx(
            [
                ["A001", "张三", "办公室", "科员", "否", None, None],
                ["A009", "李四", "办公室", "科员", "否", None, None],
            ]
        )
    )
    assert [str(error) for error in report.errors] == [
        "第 3 行：账号“A009”已属于钱九（工号 B100），不能再作为新职工的账号，请核对工号"
    ]
    assert list(StaffProfile.objects.values_list("employee_no", flat=True)) == ["B100"]
