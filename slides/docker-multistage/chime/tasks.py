from celery import shared_task


@shared_task
def chime(name):
    return f"chime for {name}"
