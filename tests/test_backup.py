"""`flask backup` and `flask restore`: a logical backup that restores into an empty database, all or nothing."""
import gzip
import hashlib
import json
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.backup import head_revision
from app.demo import load as load_demo
from app.extensions import db
from app.models import (CheckIn, Delegate, FairProject, Forum, Memorandum, Pledge, ProjectAttachment, Signature,
                        User)
from config import TestConfig
from tests.factories import make_delegate, make_forum, make_user

ATTACHMENT = b"%PDF-1.4\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


def _fresh_database_url(tmp_path):
    """A brand-new empty database of the same kind as the suite's (as in tests/test_migrations.py)."""
    url = sa.make_url(TestConfig.SQLALCHEMY_DATABASE_URI)
    if url.get_backend_name() != "postgresql":
        return f"sqlite:///{tmp_path / 'restored.db'}", None
    name = f"asar_restore_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture
def target(tmp_path):
    """A second app on its own database, built by the migrations (`flask db upgrade`) and otherwise empty."""
    url, drop = _fresh_database_url(tmp_path)
    target = create_app(type("RestoreConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with target.app_context():
        upgrade()
        db.session.remove()
    yield target
    with target.app_context():
        db.session.remove()
        db.engine.dispose()
    if drop:
        drop()


def restore(app, *args):
    """`flask restore …` against `app` (its own app context, or the command would use the test's app)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["restore", *map(str, args)])


def snapshot(app):
    """Every row of every table, in primary-key order."""
    with app.app_context():
        with db.engine.connect() as conn:
            return {t.name: conn.execute(sa.select(t).order_by(*t.primary_key.columns)).all()
                    for t in db.metadata.sorted_tables}


def rewrite(src, dst, change):
    """Copy a backup's JSON lines, passing the list of parsed lines through `change`."""
    with gzip.open(src, "rt", encoding="utf-8") as f:
        lines = [json.loads(line) for line in f]
    lines = change(lines)
    with gzip.open(dst, "wt", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return dst


@pytest.fixture
def small_backup(app, runner, tmp_path):
    forum = make_forum(slug="almaty")
    for name in ("Айгүл Сейітқызы", "Ержан Омарұлы"):
        make_delegate(forum, full_name=name)
    path = tmp_path / "small.json.gz"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_backup_of_the_demo_restores_every_row_into_an_empty_database(app, runner, tmp_path, target):
    load_demo()
    forum = db.session.scalar(sa.select(Forum))
    make_delegate(forum, full_name="Әйгерім Нұрланқызы Төлеуова")
    project_id = db.session.scalar(sa.select(sa.func.min(FairProject.id)))
    db.session.add(ProjectAttachment(project_id=project_id, filename="смета.pdf", content_type="application/pdf",
                                     size=len(ATTACHMENT), sha256=hashlib.sha256(ATTACHMENT).hexdigest(),
                                     data=ATTACHMENT))
    db.session.commit()

    names = set(db.session.scalars(sa.select(Delegate.full_name)))
    signatures = set(db.session.execute(sa.select(Signature.public_id, Signature.sha256)))
    pledges = sorted(db.session.execute(sa.select(Pledge.id, Pledge.amount_kzt, Pledge.in_kind_value_kzt)))
    sealed = {m.id: m.sealed_pdf for m in db.session.scalars(sa.select(Memorandum)) if m.sealed_pdf}
    checkins = db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn))
    assert "Әйгерім Нұрланқызы Төлеуова" in names and len(signatures) > 5 and len(pledges) > 5
    assert sealed and checkins > 50

    path = tmp_path / "demo.json.gz"
    made = runner.invoke(args=["backup", str(path)])
    assert made.exit_code == 0, made.output
    assert "Backup written" in made.output and "memorandum_signatures" in made.output
    with gzip.open(path, "rt", encoding="utf-8") as f:
        header = json.loads(f.readline())
    assert header["format"] == "asar-backup" and header["revision"] == head_revision()

    result = restore(target, path)
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert snapshot(target) == snapshot(app)

    with target.app_context():
        assert set(db.session.scalars(sa.select(Delegate.full_name))) == names
        assert set(db.session.execute(sa.select(Signature.public_id, Signature.sha256))) \
            == signatures
        assert sorted(db.session.execute(sa.select(Pledge.id, Pledge.amount_kzt, Pledge.in_kind_value_kzt))) \
            == pledges
        assert {m.id: m.sealed_pdf for m in db.session.scalars(sa.select(Memorandum)) if m.sealed_pdf} == sealed
        attachment = db.session.scalar(sa.select(ProjectAttachment).where(ProjectAttachment.filename == "смета.pdf"))
        assert attachment.data == ATTACHMENT
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == checkins
        # New rows get fresh ids (on PostgreSQL the sequences were moved past the restored rows).
        newest = db.session.scalar(sa.select(sa.func.max(User.id)))
        assert make_user("after-restore@example.kz").id > newest


def test_backup_without_a_path_goes_to_instance_backups(app, runner, tmp_path):
    app.instance_path = str(tmp_path)
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    [made] = (tmp_path / "backups").glob("asar-*.json.gz")
    assert str(made) in result.output and not list((tmp_path / "backups").glob("*.partial"))


def test_restore_refuses_a_database_with_data_unless_yes(app, small_backup, target):
    with target.app_context():
        make_forum(slug="shymkent")
    before = snapshot(target)
    refused = restore(target, small_backup)
    assert refused.exit_code != 0 and "not empty" in refused.output and "--yes" in refused.output
    assert snapshot(target) == before

    replaced = restore(target, small_backup, "--yes")
    assert replaced.exit_code == 0, replaced.output
    assert snapshot(target) == snapshot(app)
    with target.app_context():
        assert set(db.session.scalars(sa.select(Forum.slug))) == {"almaty"}


@pytest.mark.parametrize("damage", ["cut-bytes", "cut-lines", "bad-row", "not-gzip"])
def test_a_damaged_backup_changes_nothing(app, small_backup, target, tmp_path, damage):
    assert restore(target, small_backup).exit_code == 0
    with target.app_context():
        make_forum(slug="after-the-backup")  # proves the failed restore below rolled its deletions back
    before = snapshot(target)

    broken = tmp_path / "broken.json.gz"
    if damage == "cut-bytes":
        data = small_backup.read_bytes()
        broken.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "cut-lines":
        rewrite(small_backup, broken, lambda lines: lines[: len(lines) - 3])
    elif damage == "bad-row":  # a delegate pointing at a forum that does not exist
        def orphan(lines):
            header = next(i for i, line in enumerate(lines) if isinstance(line, dict) and line.get("table") == "delegates")
            lines[header + 1][lines[header]["columns"].index("forum_id")] = 999_999
            return lines
        rewrite(small_backup, broken, orphan)
    else:
        broken.write_text("id,name\n1,Asar\n")

    result = restore(target, broken, "--yes")
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), result.exception  # a clear message, not a traceback
    assert "nothing was restored" in result.output or "truncated" in result.output or "damaged" in result.output
    assert snapshot(target) == before


def test_a_backup_from_another_revision_is_refused(app, small_backup, target, tmp_path):
    def old(lines):
        lines[0]["revision"] = "0004_fair"
        return lines

    result = restore(target, rewrite(small_backup, tmp_path / "old.json.gz", old))
    assert result.exit_code != 0 and "0004_fair" in result.output and head_revision() in result.output
    with target.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Forum)) == 0


def test_restore_into_a_database_behind_the_code_asks_for_an_upgrade(app, small_backup, target):
    with target.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0004_fair'"))
    result = restore(target, small_backup)
    assert result.exit_code != 0 and "flask db upgrade" in result.output
