from django.urls import path

from campaigns.views import feeds, public, quiz, reports, team

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", team.year_view, name="home"),
    path("campaigns/calendar/<int:year>/<int:month>/", team.month_view, name="month"),
    path("campaigns/agenda/", team.agenda_view, name="agenda"),
    path("campaigns/departments/", team.department_list_view, name="departments"),
    path("campaigns/departments/<int:pk>/", team.department_view, name="department"),
    path("campaigns/responsibilities/", team.responsibility_list_view, name="responsibilities"),
    path("campaigns/plan/", team.plan_year_view, name="plan_year"),
    path("campaigns/new/", team.campaign_create_view, name="campaign_new"),
    path("campaigns/<int:pk>/", team.campaign_view, name="campaign"),
    path("campaigns/<int:pk>/edit/", team.campaign_edit_view, name="campaign_edit"),
    path("campaigns/<int:pk>/submit/", team.campaign_submit_view, name="campaign_submit"),
    path("campaigns/<int:pk>/approve/", team.campaign_approve_view, name="campaign_approve"),
    path("campaigns/<int:pk>/return/", team.campaign_return_view, name="campaign_return"),
    path("campaigns/<int:pk>/cancel/", team.campaign_cancel_view, name="campaign_cancel"),
    path("campaigns/<int:pk>/events/new/", team.event_create_view, name="event_new"),
    path("campaigns/<int:pk>/report/", reports.campaign_report_view, name="report"),
    path("campaigns/events/<int:pk>/edit/", team.event_edit_view, name="event_edit"),
    path("campaigns/events/<int:pk>/cancel/", team.event_cancel_view, name="event_cancel"),
    path("campaigns/events/<int:pk>/outcome/", team.outcome_view, name="outcome"),
    path("campaigns/events/<int:pk>/quiz/", quiz.quiz_settings_view, name="quiz_settings"),
    path("campaigns/milestones/<int:pk>/toggle/", team.milestone_toggle_view, name="milestone_toggle"),
    path("campaigns/reports/<int:year>/", reports.rollup_view, name="rollup"),
    path("campaigns/reports/<int:year>.xlsx", reports.rollup_xlsx_view, name="rollup_xlsx"),
    path("campaigns/coverage/<int:year>/", reports.coverage_view, name="coverage"),
    path("campaigns/subscribe/", feeds.subscribe_view, name="subscribe"),
    path("campaigns/subscribe/new/", feeds.feed_create_view, name="feed_new"),
    path("campaigns/subscribe/<int:pk>/<str:action>/", feeds.feed_action_view, name="feed_action"),
    path("campaigns/feeds/<str:token>.ics", feeds.feed_view, name="feed"),
    path("events/", public.public_event_list_view, name="public_events"),
    path("events/<int:pk>/", public.public_event_view, name="public_event"),
    path("events/<int:pk>/quiz/", quiz.quiz_view, name="quiz"),
    path("events/<int:pk>/quiz/result/<str:key>/", quiz.quiz_result_view, name="quiz_result"),
]
