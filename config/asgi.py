import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

from config.warmup import warm_up  # noqa: E402  (needs the application's settings)

warm_up()
