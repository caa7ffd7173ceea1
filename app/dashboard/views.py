"""The organizer's dashboard: the forum's figures on one page, kept live by polling `stats.json`.

Both views read `services.forum_stats(forum)` once and shape it with `display.dashboard_view`; the page is
complete without JavaScript, and static/js/dashboard.js only copies the fresh figures into place.
"""
from flask import current_app, jsonify, render_template, request, url_for

from app.auth.access import forum_role_required
from app.dashboard import bp, services
from app.dashboard.display import dashboard_view
from app.models import Forum, ForumRole

DEFAULT_REFRESH_SECONDS = 10
REFRESH_LIMITS = (1, 3600)


def refresh_seconds() -> int:
    """How often the page asks for fresh figures: DASHBOARD_REFRESH_SECONDS (10 s), or `?refresh=N` for a
    wall screen that should update faster or slower (kept between 1 s and an hour)."""
    default = current_app.config.get("DASHBOARD_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS)
    asked = request.args.get("refresh", "")
    seconds = int(asked) if asked.isascii() and asked.isdigit() and len(asked) <= 5 else default
    low, high = REFRESH_LIMITS
    return max(low, min(high, int(seconds)))


def related_pages(forum: Forum) -> dict[str, str]:
    """The results pages next to the dashboard (final report, exports, audit log), each linked once it exists."""
    return {name: url_for(f"dashboard.{name}", slug=forum.slug) for name in ("report", "exports", "audit")
            if f"dashboard.{name}" in current_app.view_functions}


@bp.route("/forums/<slug>/dashboard")
@forum_role_required(ForumRole.organizer)
def show(forum: Forum):
    stats = services.forum_stats(forum)
    return render_template("dashboard/dashboard.html", forum=forum, stats=stats, view=dashboard_view(stats),
                           refresh_seconds=refresh_seconds(), related=related_pages(forum))


@bp.route("/forums/<slug>/dashboard/stats.json")
@forum_role_required(ForumRole.organizer)
def stats_json(forum: Forum):
    """`forum_stats(forum)` as it is, plus `labels`: the same figures labelled and formatted for the page."""
    stats = services.forum_stats(forum)
    response = jsonify({**stats, "labels": dashboard_view(stats)})
    response.headers["Cache-Control"] = "no-store"
    return response
