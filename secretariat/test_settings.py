"""Settings for the test suite: the production settings with a throwaway key over plain HTTP."""

import os

os.environ.setdefault("SECRETARIAT_SECRET_KEY", "test-suite-only-key-not-secret")
os.environ.setdefault("SECRETARIAT_HTTPS", "false")
os.environ.setdefault("SECRETARIAT_AUDIT_KEY", "test-suite-only-audit-key-not-secret")

from secretariat.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; argon2 is tested explicitly
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise warns about a missing root)
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Throttling is tested with its own rates; the rest of the suite must never meet it.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "100000/minute", "user": "100000/minute"}  # noqa: F405
# Most tests sign privileged users in with force_login, which has no second factor; the tests of
# the second factor turn this back on.
SECRETARIAT_PRIVILEGED_NEED_SECOND_FACTOR = False
# Tests run tasks in their own process: a spawned worker would use the real database.
CONTENT_LOCAL_WORKER = False
