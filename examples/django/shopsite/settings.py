SECRET_KEY = "example"
INSTALLED_APPS = ["shop"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
