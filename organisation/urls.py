from django.urls import path

from organisation import views

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("menu/", views.menu_view, name="menu"),
    path("me/account/", views.account_view, name="account"),
    path("me/notifications/", views.notification_list, name="notifications"),
    path("me/notifications/read/", views.notification_read, name="notifications_read"),
]
