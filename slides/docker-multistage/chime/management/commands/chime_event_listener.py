import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Listen for chime events and hand them to Celery (the example processes a file, if given)."

    def handle(self, *args, **options):
        self.stdout.write("chime event listener started")
        source = os.environ.get("CHIME_EVENT_SOURCE")
        events = []
        if source:
            with open(source, encoding="utf-8") as handle:
                events = [line.strip() for line in handle if line.strip()]
        for event in events:
            self.stdout.write(f"event: {event}")
        self.stdout.write(f"chime event listener stopped after {len(events)} event(s)")
