from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _


def index(request, language=None):
    """A page in the request's language, or in the one named by the path (`/de/`)."""
    if language is not None:
        if language not in dict(settings.LANGUAGES):
            raise Http404(language)
        translation.activate(language)
    text = _("Hello from the backend stage!")
    return HttpResponse(f"<!doctype html><title>chime</title><p>{text}</p>\n")
