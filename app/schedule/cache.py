"""Keeping the public programme cheap when two thousand phones open it at once.

* `programme_state(slug)` finds the forum and sums up everything the public programme shows in ONE small query
  (the sessions' last change and number, the forum's newest audit event, which every seat
  taken or given up writes, the forum's own last change). Any change to any of them changes
  the string, so it makes a sound ETag and a sound cache key.
* `RenderCache` keeps recent renders (HTML, JSON, iCal, PDF) in this process, keyed by that
  state: nothing is ever invalidated by hand, a changed programme simply has a new key.
  Old entries fall out when the cache is full (least recently used first).

Halls and people carry no "updated" stamp, so their renames are only noticed when the time
window (`WINDOW_SECONDS`) turns; that bounds how long such an edit can stay unseen.
"""
import functools
import hashlib
import struct
import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import AuditEvent, Enrollment, Forum, ForumStatus, Session

WINDOW_SECONDS = 60
ROOT = Path(__file__).resolve().parent.parent.parent


def _code_version() -> str:
    """Changes when the templates, styles or this package change (same value in every worker)."""
    digest = hashlib.blake2b(digest_size=6)
    paths = [*sorted((ROOT / "templates" / "schedule").glob("*.html")),
             ROOT / "templates" / "base.html", ROOT / "templates" / "_macros.html",
             ROOT / "static" / "css" / "programme.css", ROOT / "static" / "css" / "asar.css",
             *sorted(Path(__file__).resolve().parent.glob("*.py"))]
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.name}:{stat.st_size}:{int(stat.st_mtime)};".encode())
    return digest.hexdigest()


CODE_VERSION = _code_version()


@functools.cache
def _state_statement():
    """Built once: constructing a SELECT costs about as much as the database answering it."""
    own = Session.forum_id == Forum.id
    last_change = sa.select(sa.func.max(Session.updated_at)).where(own).scalar_subquery()
    sessions = sa.select(sa.func.count()).select_from(Session).where(own).scalar_subquery()
    session_ids = sa.select(sa.func.coalesce(sa.func.sum(Session.id), 0)).where(own).scalar_subquery()
    last_event = (sa.select(AuditEvent.id).where(AuditEvent.forum_id == Forum.id)
                  .order_by(AuditEvent.at.desc()).limit(1).scalar_subquery())
    last_seat = sa.select(sa.func.max(Enrollment.id)).scalar_subquery()
    return (sa.select(Forum.id, Forum.status, Forum.updated_at, last_change, sessions, session_ids, last_event,
                      last_seat)
            .where(Forum.slug == sa.bindparam("slug")))


@dataclass(frozen=True)
class ProgrammeState:
    forum_id: int
    status: ForumStatus
    key: str

    @property
    def is_public(self) -> bool:
        return self.status != ForumStatus.draft


def programme_state(slug: str) -> ProgrammeState | None:
    """The forum (by its slug) and a short fingerprint of its public programme, in one cheap query.

    The fingerprint covers:
    * the forum's own last change and status;
    * its sessions: their number, ids and latest change (the sessions' index by forum);
    * the forum's newest audit event: every seat taken or given up, every promotion from the
      waitlist and every change of a session goes through app/schedule/services.py, which
      records one (an index lookup, however long the log);
    * the newest enrolment anywhere (an index lookup), for seats written by other means.
    Counting the forum's enrolments themselves would read all of them on every request.
    None when there is no such forum.
    """
    row = db.session.connection().execute(_state_statement(), {"slug": slug}).one_or_none()  # Core: no ORM overhead
    if row is None:
        return None
    forum_id, status, forum_changed, *programme = row
    window = int(time.time() // WINDOW_SECONDS)
    version = _code_version() if current_app.debug else CODE_VERSION  # edited templates show at once
    parts = (version, forum_id, status.value, _iso(forum_changed), _iso(programme[0]), *programme[1:], window)
    return ProgrammeState(forum_id=forum_id, status=status, key="|".join(str(p) for p in parts))


def _iso(moment) -> str:
    return moment.isoformat() if moment is not None else "-"


def fingerprint(*parts) -> str:
    return hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=12).hexdigest()


class RenderCache:
    """A small thread-safe LRU of rendered bodies, bounded in entries and in bytes."""

    def __init__(self, max_entries: int = 128, max_bytes: int = 32 * 1024 * 1024):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes | str] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str):
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: str, value):
        size = len(value)
        if size > self.max_bytes // 4:
            return value  # too big to be worth keeping
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old)
            self._items[key] = value
            self._bytes += size
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


def render_cache() -> RenderCache:
    """This app's cache (one per app object, so tests never see each other's renders)."""
    cache = current_app.extensions.get("asar.programme_cache")
    if cache is None:
        cache = current_app.extensions.setdefault("asar.programme_cache", RenderCache())
    return cache


# --- gzip without compressing the big part again ---------------------------------------------
#
# The programme page is a big part that is the same for everyone (kept compressed here) between
# a small header and footer drawn for each reader. Deflate data compressed separately can be
# joined when each piece ends on a full flush (byte-aligned, nothing referring back), so only
# the small pieces are compressed per request; the gzip trailer's CRC-32 of the whole is
# combined from the pieces' CRCs (zlib's crc32_combine, with the big piece's operator kept).

GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no mtime, unknown OS


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


def _gf2_compose(outer: list[int], inner: list[int]) -> list[int]:
    return [_gf2_times(outer, column) for column in inner]


def crc32_zeros_operator(length: int) -> list[int]:
    """The GF(2) matrix that moves a CRC-32 over `length` zero bytes (as zlib's crc32_combine does)."""
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # one zero bit
    even = _gf2_compose(odd, odd)                      # two
    odd = _gf2_compose(even, even)                     # four
    result = [1 << n for n in range(32)]               # identity
    while length:
        even = _gf2_compose(odd, odd)                  # 8, 32, 128… bits
        if length & 1:
            result = _gf2_compose(even, result)
        length >>= 1
        if not length:
            break
        odd = _gf2_compose(even, even)                 # 16, 64, 256… bits
        if length & 1:
            result = _gf2_compose(odd, result)
        length >>= 1
    return result


def crc32_combine(crc1: int, crc2: int, zeros_operator: list[int]) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and the operator for len(B)."""
    return _gf2_times(zeros_operator, crc1) ^ crc2


def deflate_piece(data: bytes, *, last: bool = False, level: int = 6) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


class GzipPart:
    """A piece of a gzip body compressed once, ready to sit between per-request pieces."""

    def __init__(self, data: bytes):
        self.deflated = deflate_piece(data, level=6)
        self.crc = zlib.crc32(data)
        self.size = len(data)
        self.zeros = crc32_zeros_operator(len(data))

    def __len__(self) -> int:  # what it costs in the render cache
        return len(self.deflated) + 32 * 8

    def between(self, head: bytes, tail: bytes) -> list[bytes]:
        """The gzip body of head + this part + tail."""
        crc = crc32_combine(zlib.crc32(head), self.crc, self.zeros)
        crc = zlib.crc32(tail, crc)
        size = (len(head) + self.size + len(tail)) & 0xFFFFFFFF
        return [GZIP_HEADER, deflate_piece(head, level=1), self.deflated, deflate_piece(tail, last=True, level=1),
                struct.pack("<II", crc, size)]
