"""The project package as an app: site-wide template tags, pages and health check."""

from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = "#AvecPôleEmploi"
