"""gunicorn settings for Asar (`make serve`, or `gunicorn -c gunicorn.conf.py run:app`).

Sized for the 2-core machine the load test ran on (bench/load/): one worker process per core plus
one, each with a few threads, because a request spends much of its time waiting on PostgreSQL.
Every number can be changed from the environment without editing this file.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# Processes: CPU-bound work (templates, PDFs, QR codes) runs in parallel only across processes.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() + 1)
# Threads: a worker keeps serving while one of its requests waits on the database. Keep the SQLAlchemy
# pool (DATABASE_POOL_SIZE, default 4) at least this large, or threads queue for connections.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)

# A memorandum PDF with its seal takes about a second; anything past 30 s is stuck, not slow.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 20
# Idle keep-alive connections cost a gthread worker a file descriptor, not a thread. Keep them longer
# than the pauses of phones (5-15 s between taps) and than nginx's upstream keepalive_timeout (60 s), so
# the server never closes a connection the other side is about to reuse for a POST (the load test saw
# "connection closed" on 1-6 requests per run with 5 s).
keepalive = 75

# Restart each worker now and then, staggered, so slow memory growth never builds up over a forum's days.
max_requests = 5000
max_requests_jitter = 500

# Load the app once in the master: a broken configuration (no SECRET_KEY) stops the start at once,
# and workers share the loaded code. Each worker opens its own database connections after the fork.
preload_app = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind nginx on the same machine: trust its X-Forwarded-* headers (ProxyFix is not needed).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """Connections opened in the master before the fork must not be shared by workers."""
    from app.extensions import db

    app = worker.app.callable if hasattr(worker.app, "callable") else None
    if app is not None:
        with app.app_context():
            db.engine.dispose(close=False)
