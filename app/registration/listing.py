"""The organizer's delegate list: filters, search, pagination and counts (no request in here).

Every function runs a fixed number of queries, however many delegates a forum has:
the page's delegates come with their organization, region and check-in in one query.
"""
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import CheckIn, Delegate, DelegateStatus, Forum, Participation, Sector, search_key

PER_PAGE = 50
EXPORT_CHUNK = 1000
ORDERS = ("newest", "name")


def _enum(enum_cls, value: str | None):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None  # an unknown value (an old link, a typo) filters nothing rather than failing


def positive_int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 2**31 else None


@dataclass(frozen=True)
class Filters:
    """What the organizer narrowed the list to; the same for the page, the exports and the badges."""

    q: str = ""
    sector: Sector | None = None
    region: int | None = None
    status: DelegateStatus | None = None
    participation: Participation | None = None
    checked_in: bool | None = None
    order: str = "newest"

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "Filters":
        checked_in = {"yes": True, "no": False}.get((args.get("checked_in") or "").strip())
        order = args.get("order") or "newest"
        return cls(
            q=" ".join((args.get("q") or "").split())[:200],
            sector=_enum(Sector, args.get("sector")),
            region=positive_int(args.get("region")),
            status=_enum(DelegateStatus, args.get("status")),
            participation=_enum(Participation, args.get("participation")),
            checked_in=checked_in,
            order=order if order in ORDERS else "newest",
        )

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (only those set), for links that keep them."""
        args = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value == "" or (f.name == "order" and value == "newest"):
                continue
            if f.name == "checked_in":
                value = "yes" if value else "no"
            args[f.name] = str(getattr(value, "value", value))
        return args

    @property
    def narrowed(self) -> bool:
        """True when something other than the order is chosen."""
        return bool(set(self.as_args()) - {"order"})

    def with_(self, **changes) -> "Filters":
        return replace(self, **changes)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(forum: Forum, filters: Filters) -> sa.Select:
    """SELECT of the forum's delegates matching the filters (no order, no eager loading)."""
    stmt = sa.select(Delegate).where(Delegate.forum_id == forum.id)
    needle = search_key(filters.q)
    if needle:
        stmt = stmt.where(Delegate.search_text.like(f"%{escape_like(needle)}%", escape="\\"))
    if filters.sector is not None:
        stmt = stmt.where(Delegate.sector == filters.sector)
    if filters.region is not None:
        stmt = stmt.where(Delegate.region_id == filters.region)
    if filters.status is not None:
        stmt = stmt.where(Delegate.status == filters.status)
    if filters.participation is not None:
        stmt = stmt.where(Delegate.participation == filters.participation)
    if filters.checked_in is not None:
        arrived = sa.exists().where(CheckIn.delegate_id == Delegate.id)
        stmt = stmt.where(arrived if filters.checked_in else ~arrived)
    return stmt


def ordered(stmt: sa.Select, order: str) -> sa.Select:
    if order == "name":
        return stmt.order_by(Delegate.full_name, Delegate.id)
    return stmt.order_by(Delegate.created_at.desc(), Delegate.id.desc())


def with_relations(stmt: sa.Select) -> sa.Select:
    """Everything a row shows, loaded in the same query (all three are to-one)."""
    return stmt.options(joinedload(Delegate.organization), joinedload(Delegate.region),
                        joinedload(Delegate.checkin))


@dataclass
class Page:
    items: list[Delegate]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """1-based position of the page's first row (0 when empty)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and a few around this one; None marks a gap."""
        shown = sorted({1, self.pages, *range(max(1, self.page - around), min(self.pages, self.page + around) + 1)})
        result: list[int | None] = []
        for number in shown:
            if result and number - result[-1] > 1:
                result.append(None)
            result.append(number)
        return result


def parse_page(value: str | None) -> int:
    return positive_int(value) or 1


def page_of(forum: Forum, filters: Filters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of the filtered list (two queries: the count, then the rows with their relations)."""
    base = filtered(forum, filters)
    total = db.session.scalar(base.with_only_columns(sa.func.count(Delegate.id))) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)  # past the end (an old link after deletions): the last page
    items = list(db.session.scalars(
        with_relations(ordered(base, filters.order)).limit(per_page).offset((page - 1) * per_page)
    ).unique())
    return Page(items=items, total=total, page=page, per_page=per_page)


@dataclass
class Counts:
    """The whole forum at a glance (never the filtered page)."""

    total: int = 0
    checked_in: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_sector: dict[str, int] = field(default_factory=dict)


def counts(forum: Forum) -> Counts:
    """Counts by status and by sector, and arrivals: three grouped queries."""
    by_status = dict(db.session.execute(
        sa.select(Delegate.status, sa.func.count()).where(Delegate.forum_id == forum.id).group_by(Delegate.status)
    ).all())
    by_sector = dict(db.session.execute(
        sa.select(Delegate.sector, sa.func.count()).where(Delegate.forum_id == forum.id).group_by(Delegate.sector)
    ).all())
    checked_in = db.session.scalar(
        sa.select(sa.func.count()).select_from(CheckIn).where(CheckIn.forum_id == forum.id)) or 0
    return Counts(
        total=sum(by_status.values()),
        checked_in=checked_in,
        by_status={s.value: by_status.get(s, 0) for s in DelegateStatus},
        by_sector={s.value: by_sector.get(s, 0) for s in Sector},
    )


def each_matching(forum: Forum, filters: Filters, *, chunk: int = EXPORT_CHUNK,
                  status: DelegateStatus | None = None) -> Iterator[Delegate]:
    """Every matching delegate with its relations, fetched `chunk` rows at a time (for exports).

    One query, read in batches (a server-side cursor on PostgreSQL), so 20,000 rows are
    neither loaded one by one nor all held at once by the driver.
    """
    if status is not None:
        if filters.status not in (None, status):
            return  # e.g. badges (confirmed only) for a list filtered to "declined": nothing
        filters = filters.with_(status=status)
    stmt = with_relations(ordered(filtered(forum, filters), filters.order))
    stmt = stmt.execution_options(yield_per=chunk)
    yield from db.session.scalars(stmt)


def matching(forum: Forum, filters: Filters, *, status: DelegateStatus | None = None) -> list[Delegate]:
    return list(each_matching(forum, filters, status=status))
