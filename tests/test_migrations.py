"""`flask db upgrade` from an empty database builds exactly the schema the models describe."""
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from config import TestConfig


def _fresh_database_url(tmp_path):
    """A brand-new empty database of the same kind as the suite's."""
    url = sa.make_url(TestConfig.SQLALCHEMY_DATABASE_URI)
    if url.get_backend_name() != "postgresql":
        return f"sqlite:///{tmp_path / 'migrated.db'}", None
    name = f"asar_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture
def migrated_app(tmp_path):
    url, drop = _fresh_database_url(tmp_path)
    cfg = type("MigrationConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(cfg)
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()
    if drop:
        drop()


def test_upgrade_from_empty_matches_the_models(migrated_app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == [], f"models and migrations disagree; run `flask db migrate`: {diff}"


def test_upgrade_loads_the_twenty_regions(migrated_app):
    rows = db.session.execute(sa.text("SELECT code, name_kk FROM regions ORDER BY code")).all()
    assert len(rows) == 20
    assert ("KZ-23", "Атырау облысы") in rows
    assert ("KZ-62", "Ұлытау облысы") in rows


def test_downgrade_to_empty_and_back(migrated_app):
    downgrade(revision="base")
    assert sa.inspect(db.engine).get_table_names() in ([], ["alembic_version"])
    upgrade()
    assert "forums" in sa.inspect(db.engine).get_table_names()
