from django.urls import path

from guanjia.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
