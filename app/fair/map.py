"""The map of social initiatives: Kazakhstan's 20 regions as a schematic tile map, drawn server-side as SVG.

Each region is one tile on a 7 × 5 grid, placed roughly where it lies (west on the left, north on top),
shaded by its number of projects and linked to the catalogue filtered by that region. No map library,
no script: the page works on any phone and prints. The same figures are given beside it as a table.
"""
from dataclasses import dataclass

from markupsafe import Markup, escape

# (column, row) of each region on the grid, by its ISO 3166-2:KZ code (see app/models/geo.py).
TILE_POSITIONS: dict[str, tuple[int, int]] = {
    "KZ-39": (2, 0),  # Kostanay
    "KZ-59": (3, 0),  # North Kazakhstan
    "KZ-55": (5, 0),  # Pavlodar
    "KZ-27": (0, 1),  # West Kazakhstan
    "KZ-15": (1, 1),  # Aktobe
    "KZ-11": (3, 1),  # Akmola
    "KZ-71": (4, 1),  # Astana
    "KZ-10": (5, 1),  # Abai
    "KZ-63": (6, 1),  # East Kazakhstan
    "KZ-23": (0, 2),  # Atyrau
    "KZ-62": (2, 2),  # Ulytau
    "KZ-35": (3, 2),  # Karaganda
    "KZ-33": (5, 2),  # Zhetysu
    "KZ-47": (0, 3),  # Mangystau
    "KZ-43": (2, 3),  # Kyzylorda
    "KZ-61": (3, 3),  # Turkistan
    "KZ-31": (4, 3),  # Zhambyl
    "KZ-19": (5, 3),  # Almaty Region
    "KZ-79": (3, 4),  # Shymkent
    "KZ-75": (5, 4),  # Almaty (city)
}
COLUMNS, ROWS = 7, 5
TILE_W, TILE_H, GAP = 124, 84, 6
LEVELS = 5  # shades for regions with projects (level 0: none)

# Words dropped from a region's name on its tile ("Атырау облысы" → "Атырау"); the full name is in the tooltip.
_NAME_WORDS = ("облысы", "қаласы", "область", "Область", "город", "Region")


@dataclass
class Tile:
    code: str
    region_id: int
    name: str          # full name, in the reader's language
    label: list[str]   # the short name, in one or two lines
    column: int
    row: int
    projects: int
    budget_kzt: int
    covered_kzt: int
    level: int         # 0 (no projects) … LEVELS
    href: str
    tooltip: str

    @property
    def x(self) -> int:
        return self.column * (TILE_W + GAP)

    @property
    def y(self) -> int:
        return self.row * (TILE_H + GAP)


def short_label(name: str, width: int = 13, *, shorten: bool = True) -> list[str]:
    """The region's name without "oblast"/"city", in at most two lines of about `width` characters."""
    words = [w for w in name.split() if not shorten or w not in _NAME_WORDS]
    text = " ".join(words) or name
    if len(text) <= width:
        return [text]
    if " " in text:
        first, rest = text.split(" ", 1)
        return [first, rest]
    if "-" in text:  # Западно-Казахстанская → Западно- / Казахстанская
        first, rest = text.split("-", 1)
        return [first + "-", rest]
    return [text]


def level(projects: int, most: int) -> int:
    """The tile's shade: 0 for none, then 1 … LEVELS in proportion to the busiest region."""
    if projects <= 0 or most <= 0:
        return 0
    return max(1, min(LEVELS, -(-projects * LEVELS // most)))


def tiles(rows: list[dict], href, tooltip) -> list[Tile]:
    """Tiles from services.totals_by_region rows; `href(region)` and `tooltip(row)` give the link and the title."""
    most = max((row["projects"] for row in rows), default=0)
    result = []
    for row in rows:
        region = row["region"]
        position = TILE_POSITIONS.get(region.code)
        if position is None:  # a region this map does not know yet: the table still lists it
            continue
        result.append(Tile(
            code=region.code, region_id=region.id, name=region.name, label=short_label(region.name),
            column=position[0], row=position[1], projects=row["projects"], budget_kzt=row["budget_kzt"],
            covered_kzt=row["confirmed_kzt"] + row["in_kind_kzt"], level=level(row["projects"], most),
            href=href(region), tooltip=tooltip(row)))
    # "Алматы облысы" and "Алматы қаласы" must not both read "Алматы": such tiles keep their full names.
    seen: dict[tuple, int] = {}
    for tile in result:
        seen[tuple(tile.label)] = seen.get(tuple(tile.label), 0) + 1
    for tile in result:
        if seen[tuple(tile.label)] > 1:
            tile.label = short_label(tile.name, shorten=False)
    return result


def render_svg(tile_list: list[Tile], *, title: str, description: str) -> Markup:
    """The map as inline SVG: one <a> per region (keyboard-reachable), a <title> for the tooltip."""
    width = COLUMNS * (TILE_W + GAP) - GAP
    height = ROWS * (TILE_H + GAP) - GAP
    parts = [
        f'<svg class="fair-map-svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="group" aria-labelledby="fair-map-title fair-map-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="fair-map-title">{escape(title)}</title>',
        f'<desc id="fair-map-desc">{escape(description)}</desc>',
    ]
    for tile in tile_list:
        cx = tile.x + TILE_W / 2
        # The link is named by the text it shows ("Атырау 3": a voice user says what they see); its
        # <title>, the tooltip's full sentence, then becomes its description (SVG-AAM). The spaces
        # between the <text> elements keep their words apart for assistive technology (and for axe).
        prefix = f"fair-map-{escape(tile.code)}"
        names = [f"{prefix}-name-{n}" for n in range(len(tile.label))]
        parts.append(
            f'<a class="fair-map-tile level-{tile.level}" href="{escape(tile.href)}" '
            f'data-region="{escape(tile.code)}" data-projects="{tile.projects}" '
            f'aria-labelledby="{" ".join(names)} {prefix}-count">'
            f'<title>{escape(tile.tooltip)}</title>'
            f'<rect x="{tile.x}" y="{tile.y}" width="{TILE_W}" height="{TILE_H}" rx="8"/>')
        line_y = tile.y + (24 if len(tile.label) == 1 else 19)
        for name_id, line in zip(names, tile.label):
            parts.append(f' <text class="fair-map-name" id="{name_id}" x="{cx:g}" y="{line_y}" text-anchor="middle">'
                         f'{escape(line)}</text>')
            line_y += 15
        parts.append(f' <text class="fair-map-count" id="{prefix}-count" x="{cx:g}" y="{tile.y + TILE_H - 14}" '
                     f'text-anchor="middle">{tile.projects}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))
