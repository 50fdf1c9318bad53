from django.urls import path

from website import views

app_name = "website"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("feeds/explainers/", views.ExplainerFeed(), name="explainer_feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
