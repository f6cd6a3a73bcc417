from django.apps import AppConfig


class ChimeConfig(AppConfig):
    name = "chime"
