"""PDF drawing (badges now; memoranda and posters later): pure functions fed plain data.

Nothing here touches Flask or the database; callers pass already translated, formatted values.
"""
from app.pdf.badges import SECTOR_COLOURS, BadgeData, render_badge, render_badge_sheets

__all__ = ["SECTOR_COLOURS", "BadgeData", "render_badge", "render_badge_sheets"]
