"""The world of the morning-rush load test, built through the app's own models (run with the project's venv).

One forum that opens today (Asia/Almaty), the demo forum's halls, speakers and programme (app/demo.py) plus
three small master classes, `delegates` confirmed in-person delegates each with an account (as registration
makes them), `desks` forum check-in staff with an API token each, an organizer with a token, and API tokens
for the `browsers` delegates who look at the programme and enrol. The badge codes are the real ones
(app.registration.tokens.make_badge_token with the server's SECRET_KEY): what a scanner types.

Bulk INSERTs for the delegates and their accounts, one transaction for the rest: a few seconds for 2,000.
"""
import random
import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app import create_app
from app.demo import (FEMALE_NAMES, HALLS, MALE_NAMES, NGO_WORDS, ORGANIZATIONS, POSITIONS, PROGRAMME,
                      SECTOR_SHARE, SPEAKERS, SURNAMES)
from app.extensions import db
from app.models import (ApiToken, ConfirmationMode, Delegate, DelegateStatus, Forum, ForumRole, ForumStaff,
                        ForumStatus, GlobalRole, Hall, Organization, Participation, Person, PersonRole, Region,
                        Sector, Session, SessionKind, SessionPerson, SessionStatus, User, search_key, seed_regions,
                        utcnow)
from app.registration.tokens import make_badge_token
from config import Config

SLUG = "asar-load"
TZ = ZoneInfo("Asia/Almaty")
EMAIL_DOMAIN = "load.asar.test"
# Small master classes (day, start, end, hall index, title kk / ru / en, seats): 200 browsers compete for them.
SMALL_CLASSES = [
    (1, (11, 45), (12, 45), 3, "Шеберлік сыныбы: ҮЕҰ үшін фандрайзинг", "Мастер-класс: фандрайзинг для НПО",
     "Master class: fundraising for NGOs", 8),
    (1, (16, 15), (17, 15), 3, "Шеберлік сыныбы: ҮЕҰ-ға арналған әлеуметтік желілер",
     "Мастер-класс: социальные сети для НПО", "Master class: social media for NGOs", 12),
    (1, (17, 30), (18, 30), 2, "Шеберлік сыныбы: ҮЕҰ есептілігі және ашықтық",
     "Мастер-класс: отчётность и прозрачность НПО", "Master class: NGO reporting and transparency", 20),
]


def build(url: str, secret: str, *, delegates: int, desks: int, browsers: int, seed: int = 2026) -> dict:
    """Fill an empty, migrated database; return what the load needs (tokens, badges, ids)."""
    config = type("LoadSeed", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret,
                                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                                          "MAIL_SUPPRESS_SEND": True})
    app = create_app(config)
    rng = random.Random(seed)
    with app.app_context():
        seed_regions()
        regions = list(db.session.scalars(sa.select(Region).order_by(Region.code)))
        by_code = {r.code: r for r in regions}
        now = utcnow()
        today = datetime.now(TZ).date()

        # -- staff -----------------------------------------------------------------------------------------
        organizer = _user(f"organizer@{EMAIL_DOMAIN}", "Әсел Нұрғалиқызы", GlobalRole.organizer)
        desk_users = [_user(f"desk{n:02d}@{EMAIL_DOMAIN}", f"Үстел {n:02d} — {rng.choice(FEMALE_NAMES)}",
                            GlobalRole.delegate) for n in range(1, desks + 1)]
        db.session.flush()

        # -- the forum, halls, programme ----------------------------------------------------------------------
        orgs = {sector: [] for sector in Sector}
        for name, sector, region, bin_, legal_form, website in ORGANIZATIONS:
            org = Organization(name=name, sector=sector, region=by_code[region], bin=bin_, legal_form=legal_form,
                               website=website)
            db.session.add(org)
            orgs[sector].append(org)
        for word in NGO_WORDS:
            org = Organization(name=f"«{word}» қоғамдық бірлестігі", sector=Sector.ngo,
                               region=rng.choice([by_code["KZ-23"], *regions]))
            db.session.add(org)
            orgs[Sector.ngo].append(org)
        forum = Forum(
            slug=SLUG, title_kk="«ASAR» форумы — таңғы легі (жүктеме сынағы)",
            title_ru="Форум «ASAR» — утренний наплыв (нагрузочный тест)",
            title_en="ASAR forum — the morning rush (load test)",
            description_ru="НПО – бизнес – государство. Нагрузочный тест: регистрация у входа, программа, дашборд.",
            city="Атырау", venue="Конгресс-холл «Атырау»", region=by_code["KZ-23"],
            starts_on=today, ends_on=today + timedelta(days=1), timezone="Asia/Almaty",
            registration_opens_at=now - timedelta(days=30), registration_closes_at=None,
            status=ForumStatus.published, confirmation=ConfirmationMode.automatic, created_by_id=organizer.id)
        db.session.add(forum)
        halls = []
        for position, (name, capacity, floor, stream_url) in enumerate(HALLS):
            hall = Hall(forum=forum, name=name, capacity=capacity, floor=floor, stream_url=stream_url,
                        position=position)
            db.session.add(hall)
            halls.append(hall)
        db.session.flush()
        db.session.add(ForumStaff(user=organizer, forum=forum, role=ForumRole.organizer))
        for user in desk_users:
            db.session.add(ForumStaff(user=user, forum=forum, role=ForumRole.checkin))

        people = {key: Person(forum_id=forum.id, full_name=name, position=position, organization=org)
                  for key, (name, position, org) in SPEAKERS.items()}
        db.session.add_all(people.values())
        programme = [(day, start, end, hall, kind, kk, ru, en, capacity, languages, cast)
                     for day, start, end, hall, kind, kk, ru, en, capacity, languages, cast in PROGRAMME]
        programme += [(day, start, end, hall, SessionKind.master_class, kk, ru, en, seats, "kk,ru",
                       [("social", "speaker")]) for day, start, end, hall, kk, ru, en, seats in SMALL_CLASSES]
        sessions = []
        for day, start, end, hall, kind, kk, ru, en, capacity, languages, cast in programme:
            on = forum.starts_on + timedelta(days=day)
            session = Session(forum_id=forum.id, hall=halls[hall], kind=kind, title_kk=kk, title_ru=ru, title_en=en,
                              starts_at=datetime.combine(on, time(*start), tzinfo=TZ),
                              ends_at=datetime.combine(on, time(*end), tzinfo=TZ), capacity=capacity,
                              languages=languages, status=SessionStatus.published,
                              stream_url=halls[hall].stream_url)
            for position, (key, role) in enumerate(cast):
                session.roles.append(SessionPerson(person=people[key], role=PersonRole(role), position=position))
            db.session.add(session)
            sessions.append(session)
        db.session.flush()

        # -- delegates and their accounts (bulk) ---------------------------------------------------------------
        consent_at = now - timedelta(days=10)
        user_rows, delegate_rows = [], []
        for n in range(1, delegates + 1):
            sector = rng.choice(SECTOR_SHARE)
            female = rng.random() < 0.55
            surname = rng.choice(SURNAMES)
            if female:
                surname += "а" if surname.endswith(("ов", "ев", "ин")) else "қызы" if rng.random() < 0.2 else ""
            full_name = f"{surname} {rng.choice(FEMALE_NAMES if female else MALE_NAMES)}"
            email = f"delegate{n:05d}@{EMAIL_DOMAIN}"
            language = rng.choice(["kk", "kk", "ru", "ru", "en"])
            org = rng.choice(orgs[sector]) if orgs[sector] else None
            position = rng.choice(POSITIONS[sector])
            phone = f"+7 70{rng.randint(0, 8)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
            user_rows.append({"email": email, "full_name": full_name, "language": language, "password_hash": None,
                              "role": GlobalRole.delegate, "active": True, "created_at": consent_at})
            delegate_rows.append({
                "forum_id": forum.id, "organization_id": org.id if org else None, "full_name": full_name,
                "email": email, "phone": phone, "position": position, "sector": sector,
                "region_id": (by_code["KZ-23"] if rng.random() < 0.6 else rng.choice(regions)).id,
                "participation": Participation.in_person, "language": language,
                "accessibility_needs": "Ымдау тілінің аудармасы" if n % 37 == 0 else None,
                "consent_given_at": consent_at, "status": DelegateStatus.confirmed, "status_changed_at": consent_at,
                "search_text": search_key(full_name, email, org.name if org else None, position, phone),
                "created_at": consent_at, "updated_at": consent_at,
            })
        user_ids = list(db.session.scalars(sa.insert(User).returning(User.id, sort_by_parameter_order=True),
                                           user_rows))
        for row, user_id in zip(delegate_rows, user_ids):
            row["user_id"] = user_id
        delegate_ids = list(db.session.scalars(
            sa.insert(Delegate).returning(Delegate.id, sort_by_parameter_order=True), delegate_rows))

        # -- API tokens: desks, organizer, the programme browsers ------------------------------------------------
        def token(user_id: int, name: str) -> str:
            raw = "asar_" + secrets.token_urlsafe(32)
            db.session.add(ApiToken(user_id=user_id, token_hash=ApiToken.hash(raw), name=name))
            return raw

        desk_tokens = [token(u.id, "load desk") for u in desk_users]
        organizer_token = token(organizer.id, "load dashboard")
        browser_idx = rng.sample(range(delegates), min(browsers, delegates))
        browser_tokens = [token(user_ids[i], "load phone") for i in browser_idx]
        db.session.commit()

        forum_id = forum.id
        limited = [{"id": s.id, "capacity": s.capacity, "title": s.title_en} for s in sessions if s.capacity]
        small = [s.id for s in sessions if s.capacity and s.capacity <= 20]
        db.session.remove()
        db.engine.dispose()
    return {
        "slug": SLUG, "forum_id": forum_id, "email_domain": EMAIL_DOMAIN,
        "desk_tokens": desk_tokens, "organizer_token": organizer_token,
        "browser_tokens": browser_tokens,
        "badges": [[d, make_badge_token(secret, d, forum_id)] for d in delegate_ids],
        "limited_sessions": limited, "small_sessions": small,
    }


def _user(email: str, full_name: str, role: GlobalRole) -> User:
    user = User(email=email, full_name=full_name, language="kk", role=role)
    user.set_password("load-test-" + secrets.token_hex(8))
    db.session.add(user)
    return user
