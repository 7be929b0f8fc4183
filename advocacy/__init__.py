"""The #AvecPôleEmploi advocacy platform (Django project package)."""

from advocacy.celery import app as celery_app

__all__ = ("celery_app",)
