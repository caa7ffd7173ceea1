"""The forum's figures, counted straight from the database: one function feeds the dashboard, its live
updates, the API (`GET /api/v1/forums/{slug}/stats`) and the final report, so their numbers always agree.

`forum_stats(forum, *, now=None) -> dict` returns plain JSON-ready data (ints, strings, ISO-8601 UTC times,
lists, dicts — no model objects, no lazy strings; labels are added by the views, not here):

    {
      "forum": {"slug", "title_kk", "title_ru", "starts_on", "ends_on", "timezone", "city"},
      "generated_at": "2026-12-15T05:00:00+00:00",
      "delegates": {
        "registered": int,          # every registration that is not cancelled or declined
        "confirmed": int, "pending": int, "declined": int, "cancelled": int,
        "checked_in": int,          # confirmed delegates with a check-in
        "by_sector":  [{"sector": "ngo", "registered": int, "confirmed": int, "checked_in": int}, ...]  # every Sector, fixed order
        "by_region":  [{"region_id": int|None, "code": "KZ-23"|None, "registered": int, "checked_in": int}, ...]  # regions with >0, then None (unknown) last
        "by_format":  [{"participation": "in_person"|"online", "registered": int, "checked_in": int}, ...],
        "organizations": {"total": int, "by_sector": {"ngo": int, "business": int, ...}},  # distinct organizations of registered delegates
      },
      "checkins": {
        "total": int,
        "first_at": iso|None, "last_at": iso|None,
        "per_15_minutes": [{"start": iso, "count": int}, ...],   # consecutive 15-minute buckets (UTC-aligned) from the first to the last check-in, zeros included
        "by_method": {"scan": int, "manual": int, "api": int},
      },
      "sessions": {
        "total": int, "published": int, "cancelled": int,
        "enrolled": int, "waitlisted": int,           # over all published sessions
        "items": [{"id", "title_kk", "title_ru", "kind", "starts_at": iso, "ends_at": iso, "hall": str|None,
                   "capacity": int|None, "enrolled": int, "waitlisted": int, "fill_percent": int|None}, ...]  # published, by start time
      },
      "fair": {
        "projects_total": int, "by_status": {"submitted": int, ...every ProjectStatus},
        "public": int,                     # approved and later
        "budget_kzt": int,                 # of public projects
        "pledged_kzt": int,                # money in pending + confirmed pledges
        "confirmed_kzt": int, "confirmed_in_kind_kzt": int, "pending_kzt": int,
        "supported": int, "funded": int,   # projects with a confirmed pledge / fully covered
        "top_backers": [{"organization": str, "sector": str, "confirmed_kzt": int, "in_kind_kzt": int, "projects": int}, ...]  # up to 10, by confirmed money + in kind
      },
      "memoranda": {
        "total": int, "by_status": {"draft": int, "open": int, "signed": int, "published": int, "cancelled": int},
        "signed_total": int,               # signed + published: the figure the press reports
        "by_level": {"regional": int, "national": int},   # of signed + published
        "parties": int,                    # distinct organizations party to a signed/published memorandum
      },
    }
"""
