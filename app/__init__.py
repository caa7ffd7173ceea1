"""Asar: event management for ASAR-style NGO–business–state forums."""
from pathlib import Path

from flask import Flask

from app.security import init_security
from config import Config, ProductionConfig, config_from_env, engine_options

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class: type[Config] | None = None) -> Flask:
    config_class = config_class or config_from_env()
    if issubclass(config_class, ProductionConfig):
        config_class.check()

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config_class)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **engine_options(app.config), **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    app.json.ensure_ascii = False  # Kazakh and Russian stay readable in API answers
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_guards(app)
    init_security(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    from app import i18n
    from app.auth.access import load_user
    from app.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)
    mail.init_app(app)
    from app.mail import log_captured_mail

    log_captured_mail(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.LOGIN_MESSAGE
    login_manager.login_message_category = "info"


def register_request_guards(app: Flask) -> None:
    """Refuse NUL characters in the URL, the query and form fields with a 400: PostgreSQL cannot store them,
    and no real name, title or id contains one (file uploads are bytes and are not looked at)."""
    from flask import abort, request

    @app.before_request
    def _no_nul_characters():
        if "\x00" in request.path:
            abort(400)
        fields = [request.args] + ([request.form] if request.method in ("POST", "PUT", "PATCH") else [])
        for values in fields:
            for key, value in values.items(multi=True):
                if "\x00" in key or "\x00" in value:
                    abort(400)
        if request.is_json and b"\\u0000" in request.get_data(cache=True):
            abort(400)


def tune_sqlite(engine) -> None:
    """SQLite as a real server would want it: foreign keys on, WAL so readers never wait for the
    writer, and a busy timeout instead of "database is locked" under a check-in rush."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def register_blueprints(app: Flask) -> None:
    from app.api import register_api
    from app.auth import bp as auth_bp
    from app.checkin import bp as checkin_bp
    from app.dashboard import bp as dashboard_bp
    from app.fair import bp as fair_bp
    from app.forums import bp as forums_bp
    from app.main import bp as main_bp
    from app.memoranda import bp as memoranda_bp
    from app.privacy import bp as privacy_bp
    from app.registration import bp as registration_bp
    from app.schedule import bp as schedule_bp
    from app.urls import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any rule is added: ids never overflow the database
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(forums_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(checkin_bp)
    app.register_blueprint(schedule_bp)
    app.register_blueprint(fair_bp)
    app.register_blueprint(memoranda_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(privacy_bp)
    register_api(app)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app.i18n import register_template_helpers as register_i18n

    register_i18n(app)
    from app.i18n import register_programme_helpers

    register_programme_helpers(app)
    from app.i18n import register_fair_helpers

    register_fair_helpers(app)


def register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)
