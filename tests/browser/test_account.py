"""我的账户 on a phone: a person turns off the reminder emails and sees the choice kept."""

from playwright.sync_api import expect

from organisation.models import NotificationSettings
from tests.browser.conftest import assert_accessible, login
from tests.factories import PASSWORD, staff


def test_a_person_turns_off_reminder_emails_on_the_account_page(live_server, phone):
    user = staff("wang", real_name="王晓红")
    user.email = "wang@example.com"
    user.save(update_fields=["email"])
    login(phone, live_server.url, "wang", PASSWORD)
    phone.get_by_role("banner").get_by_role("link", name="王晓红").click()
    settings = phone.get_by_role("group", name="邮件通知")
    expect(settings.get_by_text("（wang@example.com）")).to_be_visible()
    reminders = settings.get_by_role("checkbox", name="提醒")
    expect(reminders).to_be_checked()
    assert_accessible(phone)

    reminders.click()
    phone.get_by_role("button", name="保存通知设置").click()

    expect(phone.get_by_role("status")).to_contain_text("邮件通知设置已保存。")
    expect(settings.get_by_role("checkbox", name="提醒")).not_to_be_checked()
    expect(settings.get_by_role("checkbox", name="待办事项")).to_be_checked()
    assert NotificationSettings.objects.filter(user=user, email_reminders=False, email_tasks=True).exists()
