"""Wagtail admin screens for departments and staff."""

from django.urls import reverse

from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from organisation.dates import DateRangeViewSetMixin
from organisation.models import Department, StaffProfile


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = "处室/单位"
    form_fields = ["name", "short_name", "parent", "is_law_enforcement", "sort_order", "is_active"]
    list_display = [
        "name",
        "short_name",
        "parent",
        BooleanColumn("is_law_enforcement", label="执法机构"),
        BooleanColumn("is_active", label="启用"),
    ]
    search_fields = ["name", "short_name"]
    copy_view_enabled = False


class StaffIndexView(generic.IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("organisation.import_staff"):
            buttons.append(HeaderButton("从 Excel 导入", url=reverse("organisation_staff_import"), icon_name="upload"))
        return buttons


class StaffProfileViewSet(DateRangeViewSetMixin, ModelViewSet):
    model = StaffProfile
    icon = "user"
    menu_label = "职工"
    index_view_class = StaffIndexView
    form_fields = [
        "user",
        "employee_no",
        "real_name",
        "department",
        "position",
        "is_law_enforcement",
        "enforcement_cert_no",
        "mobile",
        "joined_on",
        "left_on",
    ]
    list_display = [
        "employee_no",
        "real_name",
        "department",
        "position",
        BooleanColumn("is_law_enforcement", label="执法人员"),
    ]
    list_filter = ["department", "is_law_enforcement"]
    search_fields = ["employee_no", "real_name", "mobile"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return StaffProfile.objects.select_related("department", "user")


class OrganisationGroup(ModelViewSetGroup):
    menu_label = "组织人员"
    menu_icon = "group"
    menu_order = 800
    items = (DepartmentViewSet("departments"), StaffProfileViewSet("staff"))
