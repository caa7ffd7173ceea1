"""The application factory and the choice of configuration."""
import importlib

import pytest

import config as config_module
from app import create_app
from config import DevelopmentConfig, ProductionConfig, TestConfig


def reload_config(monkeypatch, **env):
    for key, value in env.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    return importlib.reload(config_module)


@pytest.fixture(autouse=True)
def restore_config():
    yield
    importlib.reload(config_module)


def test_testing_config_gives_a_testing_app():
    app = create_app(TestConfig)
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"


def test_asar_env_selects_the_configuration(monkeypatch):
    cfg = reload_config(monkeypatch, ASAR_ENV="testing")
    assert cfg.config_from_env().__name__ == "TestConfig"
    cfg = reload_config(monkeypatch, ASAR_ENV=None)
    assert cfg.config_from_env().__name__ == "DevelopmentConfig"


def test_database_url_comes_from_the_environment(monkeypatch):
    cfg = reload_config(monkeypatch, DATABASE_URL="postgres://asar:pw@db.local:5432/asar")
    assert cfg.Config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://asar:pw@db.local:5432/asar"
    cfg = reload_config(monkeypatch, DATABASE_URL=None)
    assert cfg.Config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert cfg.Config.SQLALCHEMY_DATABASE_URI.endswith("instance/asar.db")


def test_production_refuses_the_default_secret():
    class Prod(ProductionConfig):
        SECRET_KEY = config_module.DEV_SECRET
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Prod)


def test_production_starts_with_a_real_secret_and_secure_cookies():
    class Prod(ProductionConfig):
        SECRET_KEY = "x" * 64
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    app = create_app(Prod)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not app.debug


def test_development_config_is_debug():
    assert DevelopmentConfig.DEBUG is True


def test_every_blueprint_is_registered(app):
    assert {"main", "auth", "forums", "api_forums", "api_accounts"} <= set(app.blueprints)
