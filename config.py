"""Settings for each way Asar runs: development, testing, production.

Secrets and the database come from the environment (or an `.env` file that git
ignores); nothing secret lives in the repository.
"""
import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEV_SECRET = "dev-only-not-secret"


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting panels still hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def engine_options(config: dict) -> dict:
    """Connection-pool settings for the database in use (create_app applies them)."""
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return {}  # a file: nothing to ping, and the ping would be one more query on every request
    return {
        # Test each pooled connection before use, so a PostgreSQL restart costs no request once it is back.
        "pool_pre_ping": True,
        "pool_size": config["DATABASE_POOL_SIZE"],
        "max_overflow": config["DATABASE_MAX_OVERFLOW"],
        # A request waits at most this long for a free connection, then gets a 503 instead of hanging.
        "pool_timeout": config["DATABASE_POOL_TIMEOUT"],
        "pool_recycle": 1800,  # firewalls and poolers drop idle connections silently
        "connect_args": {"connect_timeout": 5},  # a dead server answers 503 in seconds, not minutes
    }


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'asar.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # merged over engine_options() of the database in use
    # PostgreSQL connections per gunicorn worker: one per thread (gunicorn.conf.py: 4) and two spare.
    # 3 workers x 6 stays far below PostgreSQL's default max_connections of 100, leaving room for
    # backups, migrations and psql.
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE") or 4)
    DATABASE_MAX_OVERFLOW = int(os.environ.get("DATABASE_MAX_OVERFLOW") or 2)
    DATABASE_POOL_TIMEOUT = int(os.environ.get("DATABASE_POOL_TIMEOUT") or 10)
    SQLALCHEMY_RECORD_QUERIES = False
    # How many reverse proxies (nginx…) stand in front of gunicorn. With 1, the client's address comes from
    # X-Forwarded-For, so rate limits count each delegate, not the proxy. 0: Asar faces the clients itself.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT") or 0)

    LANGUAGES = ("kk", "ru", "en")
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    LANGUAGE_COOKIE = "asar_lang"

    PASSWORD_HASH_METHOD = "scrypt"
    WTF_CSRF_TIME_LIMIT = None  # a form left open over the lunch break still submits

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") == "1"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    REGISTRATION_RATE_LIMIT = os.environ.get("REGISTRATION_RATE_LIMIT", "30 per minute")
    # Check-in, per API token or staff account (app/ratelimits.py): a desk scans every ~2 s; ten desks may share
    # one account. Verification uploads: per client address, anyone may send one.
    CHECKIN_RATE_LIMIT = os.environ.get("CHECKIN_RATE_LIMIT", "600 per minute")
    VERIFY_UPLOAD_RATE_LIMIT = os.environ.get("VERIFY_UPLOAD_RATE_LIMIT", "20 per minute;200 per hour")
    # If the counters' storage (Redis in production) is down, count in this process's memory instead and never
    # turn a request into a 500 because of the limiter; it goes back to Redis once Redis answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True

    API_TITLE = "Asar API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    ITEMS_PER_PAGE = 25
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")  # e.g. https://asar.example.kz

    # Mail: sent through SMTP when MAIL_SERVER is set; otherwise captured and printed to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Asar <no-reply@asar.local>")
    MAIL_SUPPRESS_SEND = not MAIL_SERVER
    LOGIN_LINK_MAX_AGE = 14 * 24 * 3600  # seconds a "my forum" sign-in link stays valid

    # The ideas fair: files an NGO may attach to its project (PDF and images, checked by their contents).
    FAIR_ATTACHMENT_MAX_BYTES = int(os.environ.get("FAIR_ATTACHMENT_MAX_BYTES", str(5 * 1024 * 1024)))
    FAIR_MAX_ATTACHMENTS = 5
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024  # a request larger than one attachment is refused with 413

    # Memoranda: the platform's seal (PAdES) on fully signed memoranda — a PEM private key and its
    # self-signed certificate. None: instance/seal/asar-seal.key and instance/seal/asar-seal.crt, made on
    # first use (app/pdf/seal.py). Keep the key out of git and in the backups: a new key cannot vouch
    # for memoranda sealed with the old one.
    # The dashboard asks for fresh figures this often (a screen may ask for another pace with ?refresh=N).
    DASHBOARD_REFRESH_SECONDS = int(os.environ.get("DASHBOARD_REFRESH_SECONDS") or 10)

    MEMORANDUM_SEAL_KEY = os.environ.get("MEMORANDUM_SEAL_KEY") or None
    MEMORANDUM_SEAL_CERT = os.environ.get("MEMORANDUM_SEAL_CERT") or None


class DevelopmentConfig(Config):
    DEBUG = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    DATABASE_POOL_SIZE = 10  # tests race a dozen threads against one database
    DATABASE_MAX_OVERFLOW = 20
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast for tests only; real accounts use scrypt
    MAIL_SUPPRESS_SEND = True  # tests read the outbox
    BABEL_DEFAULT_LOCALE = "en"
    SERVER_NAME = None
    # One seal for the whole test run, outside the project's instance folder (made on first use).
    MEMORANDUM_SEAL_KEY = os.path.join(tempfile.gettempdir(), "asar-test-seal", "seal.key")
    MEMORANDUM_SEAL_CERT = os.path.join(tempfile.gettempdir(), "asar-test-seal", "seal.crt")


class ProductionConfig(Config):
    # Rate-limit counters shared by every gunicorn worker; a dead Redis costs at most half a second, once.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls) -> None:
        """Refuse to serve real delegates with a secret anyone can read on GitHub."""
        if not cls.SECRET_KEY or cls.SECRET_KEY == DEV_SECRET or len(cls.SECRET_KEY) < 16:
            raise RuntimeError(
                "SECRET_KEY must be set to a long random value in production "
                "(e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("ASAR_ENV", "development")]
