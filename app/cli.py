"""Command-line tools: `flask users …`, `flask demo`, `flask backup` and `flask restore`."""
import time

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from app.auth import services as accounts
from app.extensions import db
from app.models import ApiToken, ForumRole, GlobalRole, seed_regions, utcnow

users = AppGroup("users", help="Manage accounts and API tokens.")


@users.command("create")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice([r.value for r in GlobalRole]), default="delegate", show_default=True)
@click.option("--name", "full_name", default=None, help="Full name (defaults to the email's local part).")
@click.option("--forum", "forum_slug", default=None,
              help="Also make the user organizer or check-in staff of this forum.")
def create_user(email, password, role, full_name, forum_slug):
    """Create an account."""
    from app.forums.services import get_forum

    forum = None
    if forum_slug:
        forum = get_forum(forum_slug)
        if forum is None:
            raise click.ClickException(f"No forum with the address {forum_slug!r}.")
    try:
        user = accounts.create_user(email, password, full_name or email.split("@")[0],
                                    role=GlobalRole(role), commit=False)
        if forum is not None and role in (ForumRole.organizer.value, ForumRole.checkin.value):
            db.session.flush()
            accounts.grant_forum_role(user, forum, ForumRole(role), commit=False)
        db.session.commit()
    except accounts.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"Created {user.email} ({role}).")


@users.command("token")
@click.argument("email")
@click.option("--name", default="cli", help="A label to recognise the token by.")
def issue_token(email, name):
    """Print a new API token for EMAIL (shown once, stored hashed)."""
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email!r}.")
    click.echo(accounts.issue_token(user, name))


@users.command("revoke-tokens")
@click.argument("email")
def revoke_tokens(email):
    """Revoke every API token of EMAIL."""
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email!r}.")
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id,
                                                          ApiToken.revoked_at.is_(None))).all()
    for token in tokens:
        token.revoked_at = utcnow()
    db.session.commit()
    click.echo(f"Revoked {len(tokens)} token(s) of {user.email}.")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no forum at all (used by `make run`).")
def load_demo(if_empty):
    """Load the demo forum (ASAR, Atyrau). Running it again changes nothing."""
    from app.demo import DEMO_LOGINS, DEMO_SLUG, load
    from app.models import Forum

    has_forums = db.session.scalar(sa.select(Forum.id).limit(1)) is not None
    has_demo = db.session.scalar(sa.select(Forum.id).where(Forum.slug == DEMO_SLUG)) is not None
    if if_empty and has_forums and not has_demo:
        click.echo("The database already has forums; the demo was not loaded.")
        return
    created = load()
    click.echo("Demo forum loaded." if created else "Demo forum already present; nothing changed.")
    for role, email, password in DEMO_LOGINS:
        click.echo(f"  {role:<10} {email:<28} password: {password}")


@click.command("seed-regions")
def seed_regions_command():
    """Make sure all 20 regions of Kazakhstan exist."""
    seed_regions()
    click.echo("Regions are in place.")


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def backup_command(path):
    """Write the whole database to one file (default: instance/backups/asar-YYYYMMDD-HHMMSS.json.gz)."""
    from pathlib import Path

    from app.backup import BackupError, default_path, write_backup

    target = Path(path) if path else default_path()
    started = time.perf_counter()
    try:
        counts = write_backup(target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    _print_counts(counts)
    click.echo(f"Backup written to {target} ({sum(counts.values())} rows, "
               f"{target.stat().st_size / 1024:.0f} KiB, {time.perf_counter() - started:.1f} s).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace everything in a database that already holds data.")
def restore_command(path, yes):
    """Load a backup made by `flask backup` into this database (all or nothing)."""
    from app.backup import BackupError, restore_backup

    started = time.perf_counter()
    try:
        counts = restore_backup(path, replace=yes)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    _print_counts(counts)
    click.echo(f"Restored {sum(counts.values())} rows from {path} in {time.perf_counter() - started:.1f} s.")


def _print_counts(counts: dict[str, int]) -> None:
    for name, n in counts.items():
        click.echo(f"  {name:<24} {n:>8}")


def register(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(load_demo)
    app.cli.add_command(seed_regions_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
