"""Fuzzing fixtures: one app and one realistic forum per test module (seeding it for every generated example
would cost more than the examples), and Hypothesis settings that keep CI fast and deterministic.

Hypothesis keeps nothing in the repository: no example database (`database=None`), and its cache directory
(Unicode tables) goes to the system's temp folder.
"""
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.configuration import set_hypothesis_home_dir

from config import TestConfig
from tests.conftest import app_with_database

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "asar-hypothesis")

# Deterministic, bounded, silent: the same examples on every run, nothing written, no shrinking time limit
# surprises (shrinking only runs once an example already failed).
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=(HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture),
)


@pytest.fixture(scope="module")
def fuzz_app():
    """An app with its own database for the whole module (empty again afterwards, as the suite expects)."""
    with app_with_database(type("FuzzConfig", (TestConfig,), {})) as app:
        yield app


@pytest.fixture(scope="module")
def world(fuzz_app):
    from tests.fuzz.world import build_world

    return build_world()
