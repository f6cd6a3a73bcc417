# The Celery app is loaded with Django so `celery -A config` and shared tasks find it.
from .celery import app as celery_app

__all__ = ("celery_app",)
