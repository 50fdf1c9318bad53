from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("oversight/", views.dashboard, name="dashboard"),
    path("oversight/people/", views.people, name="people"),
    path("oversight/sessions/<int:pk>/", views.session, name="session"),
    path("oversight/records/", views.records, name="records"),
    path("oversight/events/", views.events, name="events"),
    path("oversight/letters/", views.letters, name="letters"),
    path("oversight/letters/<int:pk>/", views.letter, name="letter"),
    path("oversight/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("oversight/export/<slug:sheet>.csv", views.export_csv, name="export_csv"),
    path("oversight/report/", views.report, name="report"),
    path("oversight/report.docx", views.report_docx_view, name="report_docx"),
    path("oversight/report.md", views.report_md_view, name="report_md"),
    path("oversight/report/template.docx", views.report_template_view, name="report_template"),
    path("oversight/report/template/", views.report_template_upload_view, name="report_template_upload"),
    path("oversight/report/template/reset/", views.report_template_reset_view, name="report_template_reset"),
    path("oversight/report/done/", views.report_done_view, name="report_done"),
    path("oversight/targets/copy/", views.copy_targets_view, name="copy_targets"),
]
