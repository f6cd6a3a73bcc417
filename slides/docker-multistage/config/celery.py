import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
# CELERY_* settings from Django; the broker is only contacted by `worker`/`beat`.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
