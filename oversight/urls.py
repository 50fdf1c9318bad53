from django.urls import path

from oversight.views import annual_report, campaigns, dashboard, downloads, year_end

app_name = "oversight"

urlpatterns = [
    path("oversight/", dashboard.dashboard, name="dashboard"),
    path("oversight/people/", dashboard.people, name="people"),
    path("oversight/sessions/<int:pk>/", dashboard.session, name="session"),
    path("oversight/records/", dashboard.records, name="records"),
    path("oversight/events/", campaigns.events, name="events"),
    path("oversight/letters/", campaigns.letters, name="letters"),
    path("oversight/letters/<int:pk>/", campaigns.letter, name="letter"),
    path("oversight/export.xlsx", downloads.export_xlsx, name="export_xlsx"),
    path("oversight/export/<slug:sheet>.csv", downloads.export_csv, name="export_csv"),
    path("oversight/report/", annual_report.report, name="report"),
    path("oversight/report.docx", annual_report.report_docx_view, name="report_docx"),
    path("oversight/report.md", annual_report.report_md_view, name="report_md"),
    path("oversight/report/template.docx", annual_report.report_template_view, name="report_template"),
    path("oversight/report/template/", annual_report.report_template_upload_view, name="report_template_upload"),
    path("oversight/report/template/reset/", annual_report.report_template_reset_view, name="report_template_reset"),
    path("oversight/report/done/", year_end.report_done_view, name="report_done"),
    path("oversight/targets/copy/", year_end.copy_targets_view, name="copy_targets"),
]
