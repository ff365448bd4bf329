pytest_plugins = [
    "tests.fixtures.storage",
    "tests.fixtures.db",
    "tests.fixtures.app",
    "tests.fixtures.trained",
]
