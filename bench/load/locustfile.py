"""The morning rush, as locust users (run by bench/load/run.py, which seeds the database and writes the fixture).

    CheckinDesk       × LOAD_DESKS (10)    each desk its own check-in staff token; scans its queue of badges with
                                           POST /api/v1/checkin. LOAD_DOUBLE_SCAN of the badges are scanned twice
                                           at the same desk (the delegate holds the badge up again): the second
                                           scan must answer already_checked_in and never write a second check-in.
    TwoDoors          × 1                  LOAD_TWO_DOORS (40) badges scanned by two desks at the same instant.
    ProgrammeBrowser  × LOAD_BROWSERS (200) delegates on their phones (LOAD_BROWSE_WAIT 5–15 s between taps): the
                                           HTML programme page, the programme API, their agenda, and enrolment in
                                           master classes (three have 8–20 seats).
    Registrant        × LOAD_REGISTRANTS (50) a new delegate at the door registers once through the API (arrivals
                                           over the first LOAD_WALKIN_SECONDS, 60), then looks at the programme.
    Dashboard         × LOAD_DASHBOARDS (3) organizers' dashboards polling GET /api/v1/forums/{slug}/stats every
                                           LOAD_DASHBOARD_SECONDS (10), as static/js/dashboard.js does.

What the server answered (per-delegate check-in results, registrations, enrolments) is written to
LOAD_OUTCOME (JSON) when the test stops; run.py checks it against the database.
"""
import itertools
import json
import os
import random
import time
from collections import Counter, defaultdict

import gevent
from locust import FastHttpUser, between, constant_pacing, events, task
from locust.exception import StopUser

FIXTURE = json.load(open(os.environ["LOAD_FIXTURE"], encoding="utf-8"))
SLUG = FIXTURE["slug"]
DURATION = float(os.environ.get("LOAD_DURATION", "120"))
DESK_WAIT = tuple(float(x) for x in os.environ.get("LOAD_DESK_WAIT", "0.1,0.5").split(","))
DOUBLE_SCAN = float(os.environ.get("LOAD_DOUBLE_SCAN", "0.05"))     # share of badges scanned twice at one desk
TWO_DOORS = int(os.environ.get("LOAD_TWO_DOORS", "40"))            # badges scanned at two desks at once
BROWSE_WAIT = tuple(float(x) for x in os.environ.get("LOAD_BROWSE_WAIT", "5,15").split(","))
WALKIN_SECONDS = float(os.environ.get("LOAD_WALKIN_SECONDS", "60"))
RUN_ID = os.environ.get("LOAD_RUN_ID", str(int(time.time())))

OUTCOME = {
    "scans": Counter(),                     # result → count
    "checked_in_answers": defaultdict(int),  # delegate id → how many scans answered checked_in
    "desk_done": 0,
    "registrants_done": 0,
    "two_door_pairs": 0,                    # badges scanned at two desks at the same instant
    "two_doors": Counter(),                 # the pair of answers each such badge got
    "queue_scans": 0,                       # scans of the desks' planned queues (without the "didn't beep" repeats)
    "registrations": {},                    # email → 201 (a registration answered)
    "registration_ids": {},                 # email → id from a 201
    "enrollments": Counter(),               # enrolled / waitlisted / 409 code
    "unexpected": Counter(),                # name + status for anything a real client would not expect
    "resent": Counter(),                    # POSTs resent after a keep-alive connection closed under them
    "first_scan_at": None, "last_scan_at": None,
}


def _desk_queues(desks: int) -> tuple[list[list[int]], list[int]]:
    """Badges (indexes into FIXTURE["badges"]) per desk in arrival order, and the badges two desks scan at once."""
    rng = random.Random(7)
    order = list(range(len(FIXTURE["badges"])))
    rng.shuffle(order)
    pairs = order[:TWO_DOORS] if desks > 1 else []
    rest = order[len(pairs):]
    return [rest[k::desks] for k in range(desks)], pairs


DESKS = int(os.environ.get("LOAD_DESKS", str(len(FIXTURE["desk_tokens"]))))
QUEUES, TWO_DOOR_BADGES = _desk_queues(DESKS)
EXPECTED_SCANS = sum(len(q) for q in QUEUES)
_desk_numbers = itertools.count()
_browser_numbers = itertools.count()
_registrant_numbers = itertools.count()


def _maybe_finish(environment) -> None:
    """The rush is over once every desk has emptied its queue and every walk-in has registered: stop the
    run a few seconds later (LOAD_DURATION is only the upper bound)."""
    if OUTCOME["desk_done"] >= DESKS and OUTCOME["registrants_done"] >= Registrant.fixed_count \
            and OUTCOME["two_door_pairs"] >= len(TWO_DOOR_BADGES) \
            and environment.runner is not None and not OUTCOME.get("finishing"):
        OUTCOME["finishing"] = True
        gevent.spawn_later(float(os.environ.get("LOAD_TAIL_SECONDS", "5")), environment.runner.quit)


def _bad(response, label: str) -> None:
    error = response.request_meta.get("exception") if response.status_code == 0 else None
    OUTCOME["unexpected"][f"{label} HTTP {response.status_code}"] += 1
    response.failure(f"HTTP {response.status_code}: {error!r}" if error is not None
                     else f"HTTP {response.status_code}: {(response.text or '')[:200]}")


RESENT = " (connection closed, resent)"


def _post(client, path: str, name: str, **kwargs):
    """POST as a phone or a desk sends it. A keep-alive connection that the server closed while the client was
    idle (gunicorn's `keepalive`) fails before any answer (status 0): a browser then sends the request again on
    a new connection. That first attempt is reported apart, under `name + RESENT`, and the request is resent."""
    response = client.post(path, name=name, catch_response=True, **kwargs)
    if response.status_code != 0:
        return response
    with response:
        error = response.request_meta.get("exception")
        OUTCOME["resent"][f"{name}: {type(error).__name__}: {error}"[:160]] += 1
        response.request_meta["name"] = name + RESENT
        response.failure(f"no answer, resent: {error!r}")
    return client.post(path, name=name, catch_response=True, **kwargs)


def _record_scan(response, delegate_id: int) -> str | None:
    OUTCOME["first_scan_at"] = OUTCOME["first_scan_at"] or time.time()
    if response.status_code != 200:
        _bad(response, "checkin")
        return None
    result = response.json().get("result")
    OUTCOME["last_scan_at"] = time.time()
    OUTCOME["scans"][result] += 1
    if result == "checked_in":
        OUTCOME["checked_in_answers"][delegate_id] += 1
    elif result != "already_checked_in":
        OUTCOME["unexpected"][f"checkin result {result}"] += 1
        response.failure(f"unexpected result {result}")
    return result


class CheckinDesk(FastHttpUser):
    fixed_count = DESKS
    wait_time = between(*DESK_WAIT)  # the next delegate steps up and shows the badge

    def on_start(self):
        self.number = next(_desk_numbers)
        self.queue = list(QUEUES[self.number % len(QUEUES)])
        self.headers = {"Authorization": f"Bearer {FIXTURE['desk_tokens'][self.number % len(FIXTURE['desk_tokens'])]}",
                        "Content-Type": "application/json", "Accept": "application/json"}
        self.rng = random.Random(100 + self.number)

    def scan(self, index: int) -> None:
        delegate_id, badge = FIXTURE["badges"][index]
        with _post(self.client, "/api/v1/checkin", "POST /api/v1/checkin", data=json.dumps({"token": badge}),
                   headers=self.headers) as response:
            _record_scan(response, delegate_id)

    @task
    def next_delegate(self):
        if not self.queue:
            OUTCOME["desk_done"] += 1
            _maybe_finish(self.environment)
            raise StopUser()
        index = self.queue.pop(0)
        OUTCOME["queue_scans"] += 1
        self.scan(index)
        if self.rng.random() < DOUBLE_SCAN:  # "it didn't beep" — the delegate holds the badge up again
            self.scan(index)


class TwoDoors(FastHttpUser):
    """The same badge at two desks at the same instant (a delegate who went to two doors, a badge photo
    forwarded to a friend): two desks' tokens, two connections, both requests sent together. Exactly one
    may answer checked_in; the unique key on checkins.delegate_id has to decide, not a read-then-write."""
    fixed_count = 1 if TWO_DOOR_BADGES else 0
    wait_time = between(0.2, 1.0)
    concurrency = 4  # the two requests go out on two connections at once

    def on_start(self):
        tokens = FIXTURE["desk_tokens"]
        self.desks = [{"Authorization": f"Bearer {tokens[k % len(tokens)]}", "Content-Type": "application/json",
                       "Accept": "application/json"} for k in (0, 1)]
        self.queue = list(TWO_DOOR_BADGES)

    @task
    def same_badge_two_desks(self):
        if not self.queue:
            _maybe_finish(self.environment)
            raise StopUser()
        delegate_id, badge = FIXTURE["badges"][self.queue.pop(0)]
        answers = []

        def desk(headers):
            with _post(self.client, "/api/v1/checkin", "POST /api/v1/checkin (same badge, two desks at once)",
                       data=json.dumps({"token": badge}), headers=headers) as response:
                answers.append(_record_scan(response, delegate_id))

        gevent.joinall([gevent.spawn(desk, headers) for headers in self.desks])
        OUTCOME["two_door_pairs"] += 1
        OUTCOME["two_doors"][" + ".join(sorted(str(a) for a in answers))] += 1
        if OUTCOME["two_door_pairs"] >= len(TWO_DOOR_BADGES):
            _maybe_finish(self.environment)


class ProgrammeBrowser(FastHttpUser):
    """A delegate in the queue or the foyer, looking at the programme on the phone."""
    fixed_count = int(os.environ.get("LOAD_BROWSERS", str(len(FIXTURE["browser_tokens"]))))
    wait_time = between(*BROWSE_WAIT)  # reading the page before the next tap

    def on_start(self):
        self.number = next(_browser_numbers)
        token = FIXTURE["browser_tokens"][self.number % len(FIXTURE["browser_tokens"])]
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.rng = random.Random(1000 + self.number)
        self.language = self.rng.choice(["kk", "ru", "en"])
        self.etag = None
        limited = [s["id"] for s in FIXTURE["limited_sessions"]]
        # Everyone wants a small master class; some want a bigger one too.
        self.wanted = self.rng.sample(FIXTURE["small_sessions"], k=self.rng.randint(1, 2)) + \
            self.rng.sample(limited, k=self.rng.randint(0, 1))
        gevent.sleep(self.rng.uniform(0, 5))  # phones come alive over a few seconds, not in one tick

    @task(4)
    def programme_page(self):
        headers = {"Accept-Language": self.language}
        if self.etag:  # the phone's browser revalidates the page it has (the view answers 304 if unchanged)
            headers["If-None-Match"] = self.etag
        with self.client.get(f"/forums/{SLUG}/programme", headers=headers,
                             name="GET /forums/[slug]/programme (HTML)", catch_response=True) as response:
            if response.status_code == 200:
                self.etag = response.headers.get("ETag")
            elif response.status_code == 304:
                response.success()
            else:
                _bad(response, "programme page")

    @task(3)
    def programme_api(self):
        with self.client.get(f"/api/v1/forums/{SLUG}/sessions", headers={"Accept-Language": self.language},
                             name="GET /api/v1/forums/[slug]/sessions", catch_response=True) as response:
            if response.status_code != 200:
                _bad(response, "sessions api")

    @task(1)
    def my_agenda(self):
        with self.client.get(f"/api/v1/forums/{SLUG}/agenda", headers=self.headers,
                             name="GET /api/v1/forums/[slug]/agenda", catch_response=True) as response:
            if response.status_code != 200:
                _bad(response, "agenda")

    @task(2)
    def enrol(self):
        if not self.wanted:
            return self.my_agenda()  # enrolled or waitlisted: where do I stand?
        session_id = self.wanted.pop(0)
        with _post(self.client, f"/api/v1/sessions/{session_id}/enrollments",
                   "POST /api/v1/sessions/[id]/enrollments", headers=self.headers) as response:
            if response.status_code == 201:
                OUTCOME["enrollments"][response.json().get("status")] += 1
            elif response.status_code == 409:  # e.g. "overlap": a clear answer, not an error
                code = (response.json().get("error") or {}).get("code")
                OUTCOME["enrollments"][f"409 {code}"] += 1
                response.success()
            else:
                _bad(response, "enrol")


class Registrant(FastHttpUser):
    """A delegate who registers on the spot (once), then reads the programme."""
    fixed_count = int(os.environ.get("LOAD_REGISTRANTS", "50"))
    wait_time = between(*BROWSE_WAIT)

    def on_start(self):
        self.number = next(_registrant_numbers)
        self.rng = random.Random(5000 + self.number)
        self.registered = False
        # Walk-ins arrive over the first LOAD_WALKIN_SECONDS (60) of the rush (at most half the run).
        gevent.sleep(self.rng.uniform(0, max(1.0, min(WALKIN_SECONDS, DURATION * 0.5))))

    @task
    def register_then_browse(self):
        if self.registered:
            with self.client.get(f"/api/v1/forums/{SLUG}/sessions", name="GET /api/v1/forums/[slug]/sessions",
                                 catch_response=True) as response:
                if response.status_code != 200:
                    _bad(response, "sessions api")
            return
        email = f"walkin-{RUN_ID}-{self.number:03d}@{FIXTURE['email_domain']}"
        body = {
            "full_name": f"{self.rng.choice(['Әбдіқалық', 'Нұрғали', 'Иванова', 'Өтепов', 'Құрманғали'])} "
                         f"{self.rng.choice(['Айгерім', 'Ерлан', 'Гүлшара', 'Дәурен', 'Інкәр'])}",
            "email": email, "sector": self.rng.choice(["ngo", "business", "state"]),
            "region": "KZ-23", "participation": "in_person", "language": self.rng.choice(["kk", "ru", "en"]),
            "position": "жоба үйлестірушісі", "consent": True,
            "organization": {"name": f"«Ынтымақ-{self.number % 7}» қоғамдық бірлестігі"},
        }
        with _post(self.client, f"/api/v1/forums/{SLUG}/registrations", "POST /api/v1/forums/[slug]/registrations",
                   data=json.dumps(body), headers={"Content-Type": "application/json",
                                                   "Accept": "application/json"}) as response:
            if response.status_code == 201:
                OUTCOME["registrations"][email] = 201
                OUTCOME["registration_ids"][email] = response.json().get("id")
            else:
                _bad(response, "registration")
        self.registered = True
        OUTCOME["registrants_done"] += 1
        _maybe_finish(self.environment)


class Dashboard(FastHttpUser):
    """An organizer's dashboard screen: fresh figures every DASHBOARD_REFRESH_SECONDS."""
    fixed_count = int(os.environ.get("LOAD_DASHBOARDS", "3"))
    wait_time = constant_pacing(float(os.environ.get("LOAD_DASHBOARD_SECONDS", "10")))

    def on_start(self):
        self.headers = {"Authorization": f"Bearer {FIXTURE['organizer_token']}", "Accept": "application/json"}

    @task
    def stats(self):
        with self.client.get(f"/api/v1/forums/{SLUG}/stats", headers=self.headers,
                             name="GET /api/v1/forums/[slug]/stats", catch_response=True) as response:
            if response.status_code != 200:
                return _bad(response, "stats")
            total = (response.json().get("checkins") or {}).get("total")
            if not isinstance(total, int):
                response.failure("stats without checkins.total")


@events.test_stop.add_listener
def _write_outcome(environment, **_kwargs):
    path = os.environ.get("LOAD_OUTCOME")
    if not path:
        return
    data = {
        "expected_scans": EXPECTED_SCANS,
        "scans": dict(OUTCOME["scans"]),
        "checked_in_answers": {str(k): v for k, v in OUTCOME["checked_in_answers"].items()},
        "desk_done": OUTCOME["desk_done"],
        "queue_scans": OUTCOME["queue_scans"],
        "two_door_pairs": OUTCOME["two_door_pairs"],
        "two_door_planned": len(TWO_DOOR_BADGES),
        "two_doors": dict(OUTCOME["two_doors"]),
        "scan_seconds": (OUTCOME["last_scan_at"] - OUTCOME["first_scan_at"]) if OUTCOME["last_scan_at"] else None,
        "desks": DESKS,
        "registrations": OUTCOME["registrations"],
        "registration_ids": OUTCOME["registration_ids"],
        "registrants": Registrant.fixed_count,
        "run_id": RUN_ID,
        "enrollments": dict(OUTCOME["enrollments"]),
        "unexpected": dict(OUTCOME["unexpected"]),
        "resent": dict(OUTCOME["resent"]),
    }
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
