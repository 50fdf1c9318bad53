from django.urls import path

from campaigns.views import calendar, campaigns, events, feeds, plans, public, quiz, reports

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", calendar.year_view, name="home"),
    path("campaigns/calendar/<int:year>/<int:month>/", calendar.month_view, name="month"),
    path("campaigns/agenda/", calendar.agenda_view, name="agenda"),
    path("campaigns/departments/", plans.department_list_view, name="departments"),
    path("campaigns/departments/<int:pk>/", plans.department_view, name="department"),
    path("campaigns/responsibilities/", plans.responsibility_list_view, name="responsibilities"),
    path("campaigns/plan/", plans.plan_year_view, name="plan_year"),
    path("campaigns/lists/copy/", plans.copy_lists_view, name="copy_lists"),
    path("campaigns/new/", campaigns.campaign_create_view, name="campaign_new"),
    path("campaigns/<int:pk>/", campaigns.campaign_view, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit_view, name="campaign_edit"),
    path("campaigns/<int:pk>/submit/", campaigns.campaign_submit_view, name="campaign_submit"),
    path("campaigns/<int:pk>/approve/", campaigns.campaign_approve_view, name="campaign_approve"),
    path("campaigns/<int:pk>/return/", campaigns.campaign_return_view, name="campaign_return"),
    path("campaigns/<int:pk>/cancel/", campaigns.campaign_cancel_view, name="campaign_cancel"),
    path("campaigns/<int:pk>/events/new/", events.event_create_view, name="event_new"),
    path("campaigns/<int:pk>/report/", reports.campaign_report_view, name="report"),
    path("campaigns/events/<int:pk>/edit/", events.event_edit_view, name="event_edit"),
    path("campaigns/events/<int:pk>/cancel/", events.event_cancel_view, name="event_cancel"),
    path("campaigns/events/<int:pk>/outcome/", events.outcome_view, name="outcome"),
    path("campaigns/events/<int:pk>/quiz/", quiz.quiz_settings_view, name="quiz_settings"),
    path("campaigns/milestones/<int:pk>/toggle/", events.milestone_toggle_view, name="milestone_toggle"),
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
