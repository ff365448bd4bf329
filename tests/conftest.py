import os

# The suite polls far faster than a real client (up to 50 requests a second), so the per-caller
# rate limit is off unless a test sets it; tests/api/test_ratelimit.py sets it and tests it.
os.environ.setdefault("RESNET_STUDIO_RATE_LIMIT_PER_MINUTE", "0")

pytest_plugins = [
    "tests.fixtures.storage",
    "tests.fixtures.faulty_s3",
    "tests.fixtures.db",
    "tests.fixtures.app",
    "tests.fixtures.trained",
    "tests.fixtures.browser",
]
