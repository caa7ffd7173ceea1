"""The demo forum: ASAR, the I Republican Forum of Trilateral Cooperation, Atyrau.

Built from the press reports in shared/seeds. People are fictional; the organizations
are the kinds the reports name. `load()` is idempotent: every object is looked up by a
natural key first, so a second run changes nothing.
"""
import logging
import secrets
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from app.auth.services import create_user, find_user, grant_forum_role
from app.extensions import db
from app.models import (AuditEvent, CheckIn, Delegate, DelegateStatus, Enrollment, EnrollmentStatus, FairProject,
                        Forum, ForumRole, ForumStatus, GlobalRole, Hall, Juror, JuryScore, Memorandum, Organization,
                        Participation, Person, PersonRole, Pledge, PledgeStatus, ProjectCategory, ProjectStatus,
                        Region, Sector, Session, SessionKind, SessionPerson, SessionStatus, User, record,
                        seed_regions)

DEMO_SLUG = "asar-atyrau"
TZ = ZoneInfo("Asia/Almaty")

STAFF_LOGINS = [
    ("admin", "admin@asar.demo", "asar-admin-2026"),
    ("organizer", "organizer@asar.demo", "asar-organizer-2026"),
    ("checkin", "checkin@asar.demo", "asar-checkin-2026"),
]
# The ideas fair's people: the deaf society's chair (NGO), the gas-service company's director (business), the jury.
FAIR_LOGINS = [
    ("ngo", "ngo@asar.demo", "asar-ngo-2026"),
    ("business", "business@asar.demo", "asar-business-2026"),
    ("juror", "juror@asar.demo", "asar-juror-2026"),
    ("juror", "juror2@asar.demo", "asar-juror2-2026"),
    ("juror", "juror3@asar.demo", "asar-juror3-2026"),
]
DEMO_LOGINS = STAFF_LOGINS + FAIR_LOGINS
DEMO_NAMES = {
    "admin@asar.demo": "Ерлан Сейітқали",
    "organizer@asar.demo": "Әсел Нұрғалиқызы",
    "checkin@asar.demo": "Дәурен Қожахметов",
    "ngo@asar.demo": "Гүлнар Ыбырайқызы",
    "business@asar.demo": "Дмитрий Петров",
    "juror@asar.demo": "Меруерт Шәкен",
    "juror2@asar.demo": "Елена Смағұлова",
    "juror3@asar.demo": "Бауыржан Тоқтаров",
}

ORGANIZATIONS = [
    # name, sector, region code, BIN (fictional, with a valid check digit), legal form, website
    ("Министерство по делам религий и гражданского общества Республики Казахстан", Sector.state, "KZ-71",
     "170340001238", "государственное учреждение", None),
    ("Национальная палата предпринимателей Республики Казахстан «Атамекен»", Sector.business, "KZ-71",
     "050140004565", "некоммерческая организация", None),
    ("Атырау облысының әкімдігі", Sector.state, "KZ-23", "991240007893", "мемлекеттік мекеме", None),
    ("Ассоциация развития гражданского общества «АРГО»", Sector.ngo, "KZ-75", "020840003214",
     "объединение юридических лиц", None),
    ("Гражданский Альянс Казахстана", Sector.ngo, "KZ-71", "110540006544", "объединение юридических лиц", None),
    ("«Қазақстан халқына» қоғамдық қоры", Sector.ngo, "KZ-71", "970740001112", "қоғамдық қор", None),
    ("Общественный фонд «Help Today»", Sector.ngo, "KZ-75", "010340002226", "общественный фонд", None),
    ("Қазақ саңыраулар қоғамының Атырау филиалы", Sector.ngo, "KZ-23", "061040003334",
     "қоғамдық бірлестік", None),
    ("«Азаматтық бастамаларды қолдау орталығы» қоғамдық қоры", Sector.ngo, "KZ-23", "101240004449",
     "қоғамдық қор", None),
    ("ТОО «АқсайГазСервис»", Sector.business, "KZ-27", "130140005555", "товарищество с ограниченной ответственностью", None),
    ("ТОО «Полиметалл Евразия»", Sector.business, "KZ-71", "980340006666", "товарищество с ограниченной ответственностью", None),
    ("ТОО «Жайық Құрылыс»", Sector.business, "KZ-23", "041240007777", "товарищество с ограниченной ответственностью", None),
    ("Программа развития ООН в Казахстане", Sector.international, "KZ-71", None, "международная организация", None),
    ("«Атырау» телеарнасы", Sector.media, "KZ-23", "150340008888", "жауапкершілігі шектеулі серіктестік", None),
    ("Атырау университеті", Sector.academia, "KZ-23", "190640009993", "коммерциялық емес акционерлік қоғам", None),
]

HALLS = [
    # name, capacity, floor, stream link
    ("Пленарный зал «Атырау»", 600, "1", "https://example.org/asar/live/plenary"),
    ("Зал «Жайық»", 120, "2", "https://example.org/asar/live/zhaiyk"),
    ("Зал «Каспий»", 80, "2", None),
    ("Зал «Нұр»", 40, "3", None),
    ("Ярмарка социальных идей (фойе)", 300, "1", None),
]


def _forum_dates() -> tuple[date, date, datetime, datetime]:
    """Four weeks from the day the demo is first loaded, so registration is open."""
    start = date.today() + timedelta(days=28)
    opens = datetime.combine(date.today() - timedelta(days=7), time(9, 0), tzinfo=TZ)
    closes = datetime.combine(start - timedelta(days=1), time(18, 0), tzinfo=TZ)
    return start, start + timedelta(days=1), opens, closes


def _user(role: str, email: str, password: str):
    user = find_user(email)
    if user is None:
        user = create_user(email, password, DEMO_NAMES[email], role=GlobalRole(role), language="kk", commit=False,
                           check_personal=False)  # the published demo passwords name the role
        db.session.flush()
    return user


def load() -> bool:
    """Load whatever part of the demo forum is missing; False if nothing was."""
    seed_regions()
    changed = False
    forum = db.session.scalar(sa.select(Forum).where(Forum.slug == DEMO_SLUG))
    if forum is None:
        forum = _load_forum()
        changed = True
    if db.session.scalar(sa.select(sa.func.count()).select_from(Delegate).where(Delegate.forum_id == forum.id)) == 0:
        _load_delegates(forum)
        changed = True
    if db.session.scalar(sa.select(sa.func.count()).select_from(Session).where(Session.forum_id == forum.id)) == 0:
        _load_programme(forum)
        changed = True
    if db.session.scalar(sa.select(sa.func.count()).select_from(FairProject)
                         .where(FairProject.forum_id == forum.id)) == 0:
        _load_fair(forum)
        changed = True
    if _load_memoranda(forum):
        changed = True
    return changed


def _load_forum() -> Forum:
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    users = {role: _user(role, email, password) for role, email, password in STAFF_LOGINS}

    for name, sector, region, bin_, legal_form, website in ORGANIZATIONS:
        exists = db.session.scalar(sa.select(Organization.id).where(Organization.name == name))
        if exists is None:
            db.session.add(Organization(name=name, sector=sector, region=regions[region], bin=bin_,
                                        legal_form=legal_form, website=website))

    start, end, opens, closes = _forum_dates()
    forum = Forum(
        slug=DEMO_SLUG,
        title_kk="«ASAR» үшжақты ынтымақтастықтың I республикалық форумы",
        title_ru="I Республиканский форум трёхстороннего сотрудничества «ASAR»",
        title_en="ASAR — I Republican Forum of Trilateral Cooperation",
        description_kk=(
            "«ҮЕҰ – бизнес – мемлекет: ынтымақтастықтың жаңа көкжиегі».\n"
            "Форумды ҚР Дін істері және азаматтық қоғам министрлігі, «Атамекен» ҚР Ұлттық кәсіпкерлер палатасы "
            "және Атырау облысының әкімдігі ұйымдастырады. Бағдарламада: пленарлық сессия, панельдік "
            "сессиялар, шеберлік сыныптары, әлеуметтік идеялар жәрмеңкесі және ынтымақтастық туралы "
            "меморандумдарға қол қою."
        ),
        description_ru=(
            "«НПО – бизнес – государство: новый горизонт сотрудничества».\n"
            "Организаторы: Министерство по делам религий и гражданского общества РК, Национальная палата "
            "предпринимателей «Атамекен» и акимат Атырауской области. В программе: пленарная сессия, "
            "панельные сессии, мастер-классы, ярмарка социальных идей и проектов и подписание "
            "меморандумов о сотрудничестве."
        ),
        description_en=(
            "“NGOs – business – state: a new horizon of cooperation”. Plenary and panel sessions, master "
            "classes, a fair of social ideas and projects, and the signing of memoranda of cooperation."
        ),
        city="Атырау",
        venue="Конгресс-холл «Атырау»",
        region=regions["KZ-23"],
        starts_on=start,
        ends_on=end,
        timezone="Asia/Almaty",
        registration_opens_at=opens,
        registration_closes_at=closes,
        status=ForumStatus.published,
        created_by_id=users["organizer"].id,
    )
    db.session.add(forum)
    for position, (name, capacity, floor, stream_url) in enumerate(HALLS):
        db.session.add(Hall(forum=forum, name=name, capacity=capacity, floor=floor,
                            stream_url=stream_url, position=position))
    db.session.flush()
    grant_forum_role(users["organizer"], forum, ForumRole.organizer, commit=False)
    grant_forum_role(users["checkin"], forum, ForumRole.checkin, commit=False)
    db.session.commit()
    return forum


# Fictional people: common Kazakh and Russian given names and surnames.
MALE_NAMES = ["Ерлан", "Нұрлан", "Асхат", "Дәурен", "Бауыржан", "Жандос", "Мұрат", "Серік", "Айдос", "Қайрат",
              "Ғалым", "Тимур", "Ержан", "Әлихан", "Арман", "Сергей", "Андрей", "Дмитрий", "Ілияс", "Бекзат"]
FEMALE_NAMES = ["Айгерім", "Гүлшара", "Әсел", "Динара", "Жанар", "Мөлдір", "Ақмарал", "Салтанат", "Күләш", "Аружан",
                "Гүлнар", "Сәуле", "Інкәр", "Ольга", "Наталья", "Елена", "Құралай", "Баян", "Меруерт", "Әйгерім"]
SURNAMES = ["Әбдіқалық", "Сейітқали", "Нұрғали", "Қожахмет", "Жұмағазы", "Ермекбай", "Төлеген", "Сүлейменов",
            "Құрманғали", "Бекмұхамбет", "Оспан", "Ғабдуллин", "Мұхамеджан", "Әлімжан", "Қасымов", "Тоқтаров",
            "Иванов", "Петров", "Смағұлов", "Үсенов", "Байжан", "Өтепов", "Шәкен", "Ыбырай", "Һашимов"]
POSITIONS = {
    Sector.ngo: ["төраға", "атқарушы директор", "жоба үйлестірушісі", "президент", "еріктілер жетекшісі"],
    Sector.business: ["директор", "генеральный директор", "менеджер по КСО", "бас есепші", "HR-директор"],
    Sector.state: ["басқарма басшысы", "бөлім басшысы", "бас маман", "аким района", "заместитель акима"],
    Sector.international: ["программный координатор", "эксперт"],
    Sector.media: ["тілші", "редактор"],
    Sector.academia: ["профессор", "доцент"],
}
NGO_WORDS = ["Болашақ", "Мейірім", "Жарқын", "Ынтымақ", "Шапағат", "Үміт", "Сенім", "Жасыл ел", "Ақ ниет", "Кемел",
             "Достық", "Шаңырақ", "Береке", "Қамқор", "Өркен"]
SECTOR_SHARE = [Sector.ngo] * 55 + [Sector.business] * 25 + [Sector.state] * 14 + \
    [Sector.international] * 2 + [Sector.media] * 2 + [Sector.academia] * 2
DEMO_DELEGATES = 300
DEMO_CHECKED_IN = 120


def _load_delegates(forum: Forum) -> None:
    """~300 confirmed delegates across sectors and regions; the first 120 already at the door."""
    import random

    rng = random.Random(2017)  # the same demo every time
    regions = list(db.session.scalars(sa.select(Region).order_by(Region.code)))
    atyrau = next(r for r in regions if r.code == "KZ-23")
    orgs = {sector: list(db.session.scalars(sa.select(Organization).where(Organization.sector == sector)))
            for sector in Sector}
    for i, word in enumerate(NGO_WORDS):
        name = f"«{word}» қоғамдық бірлестігі"
        org = db.session.scalar(sa.select(Organization).where(Organization.name == name))
        if org is None:
            org = Organization(name=name, sector=Sector.ngo, region=rng.choice([atyrau, atyrau, *regions]))
            db.session.add(org)
        orgs[Sector.ngo].append(org)
    door = find_user("checkin@asar.demo")
    first_day = datetime.combine(forum.starts_on, time(8, 30), tzinfo=TZ)
    for n in range(1, DEMO_DELEGATES + 1):
        sector = rng.choice(SECTOR_SHARE)
        female = rng.random() < 0.55
        surname = rng.choice(SURNAMES)
        if female:
            surname += "а" if surname.endswith(("ов", "ев", "ин")) else "қызы" if rng.random() < 0.2 else ""
        full_name = f"{surname} {rng.choice(FEMALE_NAMES if female else MALE_NAMES)}".strip()
        org = rng.choice(orgs[sector]) if orgs[sector] else None
        delegate = Delegate(
            forum=forum, full_name=full_name, email=f"delegate{n:03d}@asar.demo",
            phone=f"+7 70{rng.randint(0, 8)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            position=rng.choice(POSITIONS[sector]), sector=sector, organization=org,
            region=atyrau if rng.random() < 0.6 else rng.choice(regions),
            participation=Participation.online if rng.random() < 0.1 else Participation.in_person,
            language=rng.choice(["kk", "kk", "ru", "ru", "en"]),
            accessibility_needs="Ымдау тілінің аудармасы" if n % 37 == 0 else None,
            consent_given_at=datetime.combine(forum.starts_on - timedelta(days=10), time(12, 0), tzinfo=TZ),
            status=DelegateStatus.confirmed,
        )
        delegate.refresh_search_text()
        db.session.add(delegate)
        if n <= DEMO_CHECKED_IN and delegate.participation == Participation.in_person:
            db.session.add(CheckIn(delegate=delegate, forum_id=forum.id, by_user_id=door.id if door else None,
                                   checked_in_at=first_day + timedelta(minutes=rng.randint(0, 90))))
    db.session.commit()


# The people on stage (fictional), by key: name, position, organization.
SPEAKERS = {
    "minister": ("Серік Жұмабаев", "вице-министр", "Министерство по делам религий и гражданского общества РК"),
    "atameken": ("Ерболат Жұмағазиев", "заместитель председателя правления", "НПП РК «Атамекен»"),
    "akim": ("Нұрлан Бекмұхамбетов", "облыс әкімінің орынбасары", "Атырау облысының әкімдігі"),
    "argo": ("Айгерім Сүлейменова", "президент", "Ассоциация «АРГО»"),
    "alliance": ("Бауыржан Тоқтаров", "председатель", "Гражданский Альянс Казахстана"),
    "fund": ("Сәуле Оспанова", "басқарма төрайымы", "«Қазақстан халқына» қоғамдық қоры"),
    "deaf": ("Гүлнар Ыбырайқызы", "филиал төрайымы", "Қазақ саңыраулар қоғамы"),
    "business": ("Тимур Қасымов", "директор по устойчивому развитию", "ТОО «Полиметалл Евразия»"),
    "aksai": ("Дмитрий Петров", "генеральный директор", "ТОО «АқсайГазСервис»"),
    "undp": ("Елена Смағұлова", "программный координатор", "ПРООН в Казахстане"),
    "budget": ("Әсел Құрманғали", "сарапшы, азаматтық бюджет", "«Азаматтық бастамаларды қолдау орталығы» ҚҚ"),
    "social": ("Арман Өтепов", "әлеуметтік кәсіпкер", "«Жарқын» қоғамдық бірлестігі"),
    "professor": ("Меруерт Шәкен", "профессор", "Атырау университеті"),
}

# day, start, end, hall index, kind, title kk, title ru, title en, capacity, languages, cast [(key, role)]
PROGRAMME = [
    (0, (10, 0), (12, 0), 0, SessionKind.plenary,
     "Пленарлық сессия: «ҮЕҰ – бизнес – мемлекет: ынтымақтастықтың жаңа көкжиегі»",
     "Пленарная сессия «НПО – бизнес – государство: новый горизонт сотрудничества»",
     "Plenary: NGOs – business – state, a new horizon of cooperation", None, "kk,ru",
     [("alliance", "moderator"), ("minister", "speaker"), ("atameken", "speaker"), ("akim", "speaker")]),
    (0, (12, 30), (14, 0), 1, SessionKind.panel,
     "Қазақстандағы қайырымдылық: ахуал мен даму векторы",
     "Благотворительность в Казахстане: состояние и векторы развития",
     "Charity in Kazakhstan: where it stands and where it goes", None, "kk,ru",
     [("fund", "moderator"), ("argo", "panelist"), ("business", "panelist")]),
    (0, (12, 30), (14, 0), 2, SessionKind.panel,
     "Кәсіпкерлерді бизнесті жауапкершілікпен жүргізуге ынталандыру",
     "Стимулирование ответственного ведения бизнеса",
     "Encouraging responsible business", None, "ru",
     [("atameken", "moderator"), ("aksai", "panelist"), ("undp", "panelist")]),
    (0, (14, 30), (16, 0), 1, SessionKind.panel,
     "Туған жердің дамуына әлеуметтік инвестициялар",
     "Социальные инвестиции в развитие родного края",
     "Social investment in the native land", None, "kk,ru",
     [("akim", "moderator"), ("business", "speaker"), ("deaf", "speaker")]),
    (0, (14, 30), (16, 0), 3, SessionKind.master_class,
     "Шеберлік сыныбы: әлеуметтік кәсіпкерлік", "Мастер-класс: социальное предпринимательство",
     "Master class: social entrepreneurship", 40, "kk,ru", [("social", "speaker")]),
    (0, (16, 30), (18, 0), 3, SessionKind.master_class,
     "Шеберлік сыныбы: азаматтық бюджет", "Мастер-класс: гражданский бюджет",
     "Master class: civic budgeting", 25, "kk", [("budget", "speaker")]),
    (0, (14, 0), (18, 0), 4, SessionKind.other,
     "Әлеуметтік идеялар мен жобалар жәрмеңкесі", "Ярмарка социальных идей и проектов",
     "Fair of social ideas and projects", None, "kk,ru", []),
    (1, (10, 0), (11, 30), 3, SessionKind.master_class,
     "Шеберлік сыныбы: ҮЕҰ мен бизнестің өзара іс-қимылы", "Мастер-класс: взаимодействие НПО и бизнеса",
     "Master class: how NGOs and business work together", 40, "ru", [("argo", "speaker")]),
    (1, (10, 0), (12, 0), 2, SessionKind.seminar,
     "Жергілікті өзін-өзі басқаруға көшу жағдайында ҮЕҰ мен бизнестің өзара іс-қимылы",
     "Взаимодействие НКО и бизнеса в условиях перехода к местному самоуправлению",
     "NGOs and business as local self-government arrives", 80, "ru", [("alliance", "speaker"), ("undp", "speaker")]),
    (1, (10, 0), (12, 0), 1, SessionKind.conference,
     "«Спикер» зияткерлік конференциясы", "Интеллектуальная конференция «Спикер»",
     "“Speaker” intellectual conference", None, "kk,ru,en", [("professor", "moderator"), ("fund", "speaker")]),
    (1, (12, 30), (13, 30), 2, SessionKind.round_table,
     "Дөңгелек үстел: ынтымақтастық меморандумдарының тәжірибесі",
     "Круглый стол: практика меморандумов о сотрудничестве",
     "Round table: memoranda of cooperation in practice", None, "kk,ru", [("akim", "moderator"), ("deaf", "panelist")]),
    (1, (14, 0), (15, 0), 0, SessionKind.ceremony,
     "Ынтымақтастық туралы меморандумдарға қол қою рәсімі", "Церемония подписания меморандумов о сотрудничестве",
     "Signing of the memoranda of cooperation", None, "kk,ru", [("minister", "speaker"), ("akim", "speaker")]),
    (1, (15, 0), (16, 0), 0, SessionKind.plenary,
     "Қорытынды пленарлық отырыс: форум қарарын қабылдау", "Итоговое пленарное заседание: принятие резолюции форума",
     "Closing plenary: adopting the forum's resolution", None, "kk,ru", [("alliance", "moderator")]),
]


def _load_programme(forum: Forum) -> None:
    """The two days of ASAR Atyrau as the press reported them; master classes partly booked."""
    halls = list(forum.halls)
    people = {key: Person(forum_id=forum.id, full_name=name, position=position, organization=org)
              for key, (name, position, org) in SPEAKERS.items()}
    db.session.add_all(people.values())
    sessions = []
    for day, start, end, hall, kind, kk, ru, en, capacity, languages, cast in PROGRAMME:
        starts = datetime.combine(forum.starts_on + timedelta(days=day), time(*start), tzinfo=TZ)
        ends = datetime.combine(forum.starts_on + timedelta(days=day), time(*end), tzinfo=TZ)
        session = Session(forum_id=forum.id, hall=halls[hall], kind=kind, title_kk=kk, title_ru=ru, title_en=en,
                          starts_at=starts, ends_at=ends, capacity=capacity, languages=languages,
                          interpretation="kk" in languages and "ru" in languages and kind == SessionKind.plenary,
                          status=SessionStatus.published, stream_url=halls[hall].stream_url)
        for position, (key, role) in enumerate(cast):
            session.roles.append(SessionPerson(person=people[key], role=PersonRole(role), position=position))
        db.session.add(session)
        sessions.append(session)
    db.session.flush()
    # Demo delegates enrolled: civic budgeting full with a waitlist, the others partly booked.
    delegate_ids = list(db.session.scalars(sa.select(Delegate.id).where(Delegate.forum_id == forum.id)
                                           .order_by(Delegate.id)))
    for session, wanted in ((sessions[5], 30), (sessions[4], 22), (sessions[7], 15)):
        for n, delegate_id in enumerate(delegate_ids[:wanted]):
            status = EnrollmentStatus.enrolled if n < session.capacity else EnrollmentStatus.waitlisted
            db.session.add(Enrollment(session_id=session.id, delegate_id=delegate_id, status=status))
        delegate_ids = delegate_ids[wanted:]
    db.session.commit()


# ---------------------------------------------------------------- the ideas fair

# Businesses that back projects at the fair: key → (name, region, BIN or None, the delegate's name and position).
FAIR_BUSINESSES = {
    "aksai": ("ТОО «АқсайГазСервис»", "KZ-27", None, "Дмитрий Петров", "генеральный директор"),
    "atyrau_gas": ("ТОО «Атырау Газ Сервис»", "KZ-23", "080540002226", "Асхат Жұмағазы", "директор"),
    "polymetal": ("ТОО «Полиметалл Евразия»", "KZ-71", None, "Тимур Қасымов", "директор по устойчивому развитию"),
    "zhaiyk": ("ТОО «Жайық Құрылыс»", "KZ-23", None, "Серік Төлеген", "директор"),
    "kaspi_fish": ("ТОО «Каспий Балық Өнімдері»", "KZ-23", "120340005114", "Жанар Ермекбай", "менеджер по КСО"),
    "embi_tech": ("ТОО «Ембі Тех»", "KZ-23", "160740001113", "Айдос Байжан", "бас директор"),
    "dala_sut": ("ТОО «Дала Сүт»", "KZ-39", "090940003348", "Ольга Иванова", "HR-директор"),
}
DEAF_SOCIETY = "Қазақ саңыраулар қоғамының Атырау филиалы"
NGO_REGIONS = {  # fair NGOs the demo may have to create, with their home region
    "«Жасыл Атырау» экологиялық қоғамдық бірлестігі": "KZ-23",
}
JURY = [  # login email, organization named with the juror
    ("juror@asar.demo", "Атырау университеті"),
    ("juror2@asar.demo", "Программа развития ООН в Казахстане"),
    ("juror3@asar.demo", "Гражданский Альянс Казахстана"),
]

# Pledges: (business, money, in-kind description, its value, state: c confirmed, p pending, d declined, w withdrawn)
# Projects: key, category, region, settlement, NGO, title kk, title ru, summary kk, summary ru, beneficiaries,
# how many, budget, months, status (None: approved, then moved by its money), booth, pledges.
FAIR_PROJECTS = [
    ("deaf_jobs", "inclusion", "KZ-23", "Атырау", DEAF_SOCIETY,
     "Есту қабілеті бұзылған жастарды жұмыспен қамту", "Трудоустройство молодёжи с нарушениями слуха",
     "Есту қабілеті бұзылған жастарға кәсіп үйретіп, Атырау кәсіпорындарында жұмысқа орналастыру.",
     "Обучение профессиям и трудоустройство молодёжи с нарушениями слуха на предприятиях Атырау.",
     "Есту қабілеті бұзылған 18–29 жастағы жастар", 40, 2_000_000, 12, None, "A-01",
     [("aksai", 2_000_000, None, None, "c")]),
    ("deaf_interpreters", "inclusion", "KZ-23", "Атырау", DEAF_SOCIETY,
     "Ымдау тілі аудармашыларын даярлау курсы", "Курсы подготовки сурдопереводчиков",
     "Мемлекеттік мекемелер мен ауруханаларға ымдау тілі аудармашыларын даярлау.",
     "Подготовка сурдопереводчиков для госучреждений и больниц области.",
     "Ымдау тілін үйренушілер", 25, 1_200_000, 6, None, "A-02",
     [("atyrau_gas", 400_000, None, None, "p")]),
    ("ural_cleanup", "ecology", "KZ-23", "Атырау", "«Жасыл Атырау» экологиялық қоғамдық бірлестігі",
     "Жайық өзенінің жағалауын тазарту", "Очистка берегов реки Урал",
     "Еріктілермен бірге Жайық жағалауын қоқыстан тазартып, қалдықтарды бөлек жинау.",
     "Субботники на берегах Урала с волонтёрами и раздельным сбором отходов.",
     "Еріктілер мен қала тұрғындары", 300, 850_000, 6, None, "A-03",
     [("zhaiyk", 300_000, None, None, "c"), ("kaspi_fish", 200_000, None, None, "p")]),
    ("kulsary_trees", "ecology", "KZ-23", "Құлсары", "«Жасыл Атырау» экологиялық қоғамдық бірлестігі",
     "Құлсарыға мың көшет", "Тысяча саженцев для Кульсары",
     "Құлсары көшелеріне мың көшет отырғызып, екі жыл бойы суару.",
     "Высадка тысячи саженцев на улицах Кульсары и полив в течение двух лет.",
     "Құлсары тұрғындары", 5000, 1_500_000, 24, None, None,
     [("atyrau_gas", None, "Су тасымалдайтын көлік, 6 ай", 600_000, "c"), ("polymetal", 900_000, None, None, "c")]),
    ("akkol_library", "rural_development", "KZ-23", "Махамбет ауданы, Ақкөл ауылы", "«Шаңырақ» қоғамдық бірлестігі",
     "Ауылдық кітапхананы жаңғырту", "Обновление сельской библиотеки",
     "Ақкөл ауылының кітапханасын жөндеп, балалар оқу залы мен компьютер бұрышын ашу.",
     "Ремонт библиотеки села Акколь, детский читальный зал и компьютерный уголок.",
     "Ауыл балалары мен тұрғындары", 1200, 3_200_000, 10, None, None,
     [("zhaiyk", None, "Жөндеу жұмыстары мен құрылыс материалдары", 1_500_000, "c"),
      ("embi_tech", 400_000, None, None, "d")]),
    ("code_atyrau", "youth", "KZ-23", "Атырау", "«Жарқын» қоғамдық бірлестігі",
     "«Код Атырау»: жасөспірімдерге IT-курстар", "«Код Атырау»: IT-курсы для подростков",
     "Жасөспірімдерге бағдарламалау мен веб-әзірлеуді тегін үйрету.",
     "Бесплатные курсы программирования и веб-разработки для подростков.",
     "14–18 жастағы жасөспірімдер", 120, 4_500_000, 9, None, "B-01",
     [("embi_tech", 1_500_000, None, None, "c"), ("aksai", 1_000_000, None, None, "p"),
      ("polymetal", None, "10 ноутбук", 2_000_000, "c")]),
    ("elderly_care", "social_protection", "KZ-23", "Атырау", "«Мейірім» қоғамдық бірлестігі",
     "Жалғызбасты қарттарға үйде күтім", "Помощь на дому одиноким пожилым людям",
     "Әлеуметтік қызметкерлер мен еріктілер жалғызбасты қарттарға аптасына екі рет барады.",
     "Соцработники и волонтёры навещают одиноких пожилых людей дважды в неделю.",
     "Жалғызбасты қарттар", 60, 2_800_000, 12, None, None,
     [("kaspi_fish", 500_000, None, None, "c")]),
    ("sensory_room", "inclusion", "KZ-23", "Атырау", "«Қамқор» қоғамдық бірлестігі",
     "Аутизмі бар балаларға сенсорлық бөлме", "Сенсорная комната для детей с аутизмом",
     "Оңалту орталығында сенсорлық бөлме жабдықтап, мамандарды оқыту.",
     "Оснащение сенсорной комнаты в реабилитационном центре и обучение специалистов.",
     "Аутизм спектрі бұзылыстары бар балалар", 45, 3_600_000, 8, None, "B-02",
     [("atyrau_gas", 1_800_000, None, None, "c"), ("dala_sut", 500_000, None, None, "w")]),
    ("inclusive_jobs", "inclusion", "KZ-75", "Алматы", "Общественный фонд «Help Today»",
     "Мүгедектігі бар адамдарды инклюзивті жұмыспен қамту", "Инклюзивное трудоустройство людей с инвалидностью",
     "Жұмыс берушілермен бірге жұмыс орындарын бейімдеп, тәлімгерлер даярлау.",
     "Адаптация рабочих мест вместе с работодателями и подготовка наставников.",
     "Мүгедектігі бар адамдар", 80, 6_000_000, 12, None, None,
     [("polymetal", 2_000_000, None, None, "p")]),
    ("almaty_waste", "ecology", "KZ-75", "Алматы", "«Жасыл ел» қоғамдық бірлестігі",
     "Алматы аулаларында қалдықтарды бөлек жинау", "Раздельный сбор отходов во дворах Алматы",
     "Отыз аулаға бөлек жинау контейнерлерін қойып, тұрғындарға түсіндіру жұмысын жүргізу.",
     "Контейнеры для раздельного сбора в тридцати дворах и разъяснительная работа с жителями.",
     "Алматы тұрғындары", 9000, 2_400_000, 12, None, None, []),
    ("teachers_digital", "education", "KZ-71", "Астана", "Гражданский Альянс Казахстана",
     "Ауыл мұғалімдеріне цифрлық сауаттылық мектебі", "Школа цифровой грамотности для сельских учителей",
     "Ауыл мұғалімдеріне онлайн-сабақ өткізу мен цифрлық құралдарды үйрету.",
     "Обучение сельских учителей онлайн-урокам и цифровым инструментам.",
     "Ауыл мектептерінің мұғалімдері", 200, 5_000_000, 9, None, None,
     [("embi_tech", 1_000_000, None, None, "c")]),
    ("mothers_law", "social_protection", "KZ-71", "Астана", "«Ақ ниет» қоғамдық бірлестігі",
     "Көпбалалы аналарға құқықтық кеңес беру орталығы", "Центр правовой помощи многодетным матерям",
     "Заңгерлер көпбалалы аналарға жәрдемақы, тұрғын үй және алимент мәселелері бойынша тегін кеңес береді.",
     "Юристы бесплатно консультируют многодетных матерей по пособиям, жилью и алиментам.",
     "Көпбалалы отбасылар", 400, 1_800_000, 12, None, None, []),
    ("shymkent_sport", "youth", "KZ-79", "Шымкент", "«Береке» қоғамдық бірлестігі",
     "Шымкент жасөспірімдеріне ауладағы спорт алаңы", "Дворовая спортплощадка для подростков Шымкента",
     "Көпқабатты үйлер ауласында жасөспірімдерге арналған спорт алаңын салу.",
     "Строительство спортплощадки для подростков во дворе многоэтажек.",
     "Шағын аудан жасөспірімдері", 700, 7_500_000, 6, None, None,
     [("zhaiyk", None, "Алаңды салу жұмыстары", 3_000_000, "p")]),
    ("carpet_workshop", "rural_development", "KZ-61", "Сауран ауданы", "«Өркен» қоғамдық бірлестігі",
     "Ауыл әйелдеріне кілем тоқу шеберханасы", "Ковровая мастерская для сельских женщин",
     "Ауыл әйелдеріне кілем тоқуды үйретіп, өнімді сатуға көмектесу.",
     "Обучение сельских женщин ковроткачеству и помощь в сбыте изделий.",
     "Жұмыссыз ауыл әйелдері", 30, 2_200_000, 12, None, None,
     [("dala_sut", 700_000, None, None, "c"), ("kaspi_fish", 300_000, None, None, "d")]),
    ("diabetes_school", "health", "KZ-47", "Ақтау", "«Сенім» қоғамдық бірлестігі",
     "Ақтаудағы қант диабеті бар балаларға арналған мектеп", "Школа диабета для детей в Актау",
     "Қант диабеті бар балалар мен ата-аналарына арналған сабақтар мен өзін-өзі бақылау құралдары.",
     "Занятия и средства самоконтроля для детей с диабетом и их родителей.",
     "Қант диабеті бар балалар", 90, 1_600_000, 12, None, None,
     [("atyrau_gas", 1_600_000, None, None, "c")]),
    ("youth_theatre", "culture", "KZ-15", "Ақтөбе", "«Кемел» қоғамдық бірлестігі",
     "Ақтөбедегі жастар театр студиясы", "Молодёжная театральная студия в Актобе",
     "Жастарға арналған театр студиясы: қойылымдар, сахна тілі, костюмдер.",
     "Театральная студия для молодёжи: спектакли, сценическая речь, костюмы.",
     "Жастар", 150, 2_000_000, 10, None, None,
     [("polymetal", 500_000, None, None, "c")]),
    ("school_greenhouse", "rural_development", "KZ-27", "Ақсай", "«Ынтымақ» қоғамдық бірлестігі",
     "Ауыл мектебіне жылыжай", "Теплица для сельской школы",
     "Мектеп жанынан жылыжай салып, оқушыларға көкөніс өсіруді үйрету.",
     "Теплица при школе: ученики учатся выращивать овощи круглый год.",
     "Ауыл мектебінің оқушылары", 260, 1_400_000, 8, None, None,
     [("aksai", 1_400_000, None, None, "c")]),
    ("warm_point", "social_protection", "KZ-35", "Қарағанды", "«Шапағат» қоғамдық бірлестігі",
     "Үйсіз жандарға арналған жылыну пункті", "Пункт обогрева для бездомных",
     "Қыс айларында үйсіз адамдарға жылы орын, ыстық тамақ және дәрігер кеңесі.",
     "Зимой — тёплое место, горячее питание и консультация врача для бездомных.",
     "Үйсіз адамдар", 250, 3_000_000, 5, None, None, []),
    ("irtysh_trail", "ecology", "KZ-55", "Павлодар", "«Достық» қоғамдық бірлестігі",
     "Ертіс жағасындағы экологиялық соқпақ", "Экологическая тропа на берегу Иртыша",
     "Ертіс жағасында ақпараттық тақталары бар экологиялық соқпақ жасау.",
     "Экологическая тропа с информационными стендами на берегу Иртыша.",
     "Мектеп оқушылары мен туристер", 3000, 2_600_000, 7, None, None,
     [("polymetal", 800_000, None, None, "p")]),
    ("mobile_screening", "health", "KZ-63", "Шығыс Қазақстан облысының ауылдары", "«Үміт» қоғамдық бірлестігі",
     "Ауылдық жерлерде мобильді скрининг", "Мобильный скрининг в сельской местности",
     "Жылжымалы кабинет алыс ауылдарда қан қысымы, қант және көру скринингін жүргізеді.",
     "Передвижной кабинет проводит скрининг давления, сахара и зрения в отдалённых сёлах.",
     "Алыс ауылдардың тұрғындары", 6000, 9_000_000, 12, None, None,
     [("polymetal", 3_000_000, None, None, "c"), ("embi_tech", 1_000_000, None, None, "c")]),
    ("farm_school", "rural_development", "KZ-39", "Қостанай облысы, Әулиекөл", "«Болашақ» қоғамдық бірлестігі",
     "Ауыл жастарына фермерлік мектеп", "Фермерская школа для сельской молодёжи",
     "Ауыл жастарына мал шаруашылығы мен агробизнестің негіздерін тәжірибе алаңында үйрету.",
     "Основы животноводства и агробизнеса для сельской молодёжи на опытной площадке.",
     "Ауыл жастары", 50, 3_300_000, 12, None, None,
     [("dala_sut", None, "Тәжірибе алаңы және мал", 1_200_000, "c")]),
    ("aral_saxaul", "ecology", "KZ-43", "Арал ауданы", "«Жасыл ел» қоғамдық бірлестігі",
     "Арал өңірінде сексеуіл отырғызу", "Посадка саксаула в Приаралье",
     "Құрғаған теңіз табанына сексеуіл отырғызып, шаңды дауылдарды азайту.",
     "Посадка саксаула на осушенном дне моря против пыльных бурь.",
     "Арал ауданының тұрғындары", 70000, 4_000_000, 18, None, None,
     [("kaspi_fish", 1_000_000, None, None, "c"), ("aksai", 500_000, None, None, "p")]),
    ("speech_therapy", "education", "KZ-31", "Тараз", "«Қамқор» қоғамдық бірлестігі",
     "Тараздағы ерекше балаларға логопедиялық кабинет", "Логопедический кабинет для особых детей в Таразе",
     "Ерекше білім беру қажеттіліктері бар балаларға тегін логопед сабақтары.",
     "Бесплатные занятия с логопедом для детей с особыми образовательными потребностями.",
     "Ерекше балалар", 70, 1_100_000, 12, None, None, []),
    ("folk_instruments", "culture", "KZ-11", "Ақмола облысы, Зеренді", "«Шаңырақ» қоғамдық бірлестігі",
     "Ауылдық клубта халық аспаптары үйірмесі", "Кружок народных инструментов в сельском клубе",
     "Домбыра мен қобыз үйірмесін ашып, аспаптар сатып алу.",
     "Кружок домбры и кобыза в сельском клубе и покупка инструментов.",
     "Ауыл балалары", 40, 900_000, 9, None, None,
     [("zhaiyk", 900_000, None, None, "c")]),
    ("orphans_adapt", "social_protection", "KZ-59", "Петропавл",
     "«Азаматтық бастамаларды қолдау орталығы» қоғамдық қоры",
     "Балалар үйі түлектерін өмірге бейімдеу", "Программа адаптации выпускников детских домов",
     "Тәлімгерлер балалар үйі түлектеріне жұмыс, тұрғын үй және қаржы сауаттылығы бойынша көмектеседі.",
     "Наставники помогают выпускникам детских домов с работой, жильём и финансовой грамотностью.",
     "Балалар үйлерінің түлектері", 35, 3_500_000, 12, None, None,
     [("embi_tech", 500_000, None, None, "w")]),
    ("reading_clubs", "culture", "KZ-10", "Абай облысының ауылдары", "«Жарқын» қоғамдық бірлестігі",
     "Абай ауылдарындағы оқу клубтары", "Читательские клубы в сёлах области Абай",
     "Ауыл мектептерінде Абай шығармаларын оқитын клубтар мен кездесулер.",
     "Читательские клубы и встречи по произведениям Абая в сельских школах.",
     "Ауыл оқушылары", 500, 1_300_000, 9, None, None,
     [("polymetal", 300_000, None, None, "c")]),
    ("volunteer_centre", "youth", "KZ-33", "Талдықорған", "«Ынтымақ» қоғамдық бірлестігі",
     "Жетісу жастарының еріктілер орталығы", "Волонтёрский центр молодёжи Жетысу",
     "Еріктілерді оқытып, әлеуметтік акцияларды үйлестіретін орталық.",
     "Центр обучения волонтёров и координации социальных акций.",
     "Жас еріктілер", 300, 2_100_000, 12, None, None, []),
    ("rehab_elderly", "health", "KZ-62", "Жезқазған", "«Мейірім» қоғамдық бірлестігі",
     "Жезқазғандағы қарттарға оңалту кабинеті", "Реабилитационный кабинет для пожилых в Жезказгане",
     "Қарттарға арналған емдік дене шынықтыру және физиотерапия кабинеті.",
     "Кабинет ЛФК и физиотерапии для пожилых людей.",
     "Егде жастағы адамдар", 180, 2_700_000, 12, None, None,
     [("polymetal", 1_000_000, None, None, "c")]),
    ("clean_water", "rural_development", "KZ-19", "Талғар ауданы", "«Береке» қоғамдық бірлестігі",
     "Таза ауыз су: ауылдық сүзгі жүйесі", "Чистая питьевая вода: сельская система фильтрации",
     "Үш ауылда ауыз суды сүзу жүйесін орнатып, тұрғындарды қызмет көрсетуге үйрету.",
     "Системы фильтрации питьевой воды в трёх сёлах и обучение жителей их обслуживанию.",
     "Үш ауылдың тұрғындары", 2400, 5_500_000, 10, None, None,
     [("zhaiyk", None, "Құбыр төсеу жұмыстары", 2_500_000, "c"), ("atyrau_gas", 1_000_000, None, None, "p")]),
    ("ngo_hub", "other", "KZ-23", "Атырау", "«Азаматтық бастамаларды қолдау орталығы» қоғамдық қоры",
     "Атыраудағы ҮЕҰ ресурстық орталығы", "Ресурсный центр для НКО Атырау",
     "Жаңа ҮЕҰ-ға есеп, гранттар мен жобаларды басқару бойынша кеңес пен оқыту.",
     "Консультации и обучение новых НКО: отчётность, гранты, управление проектами.",
     "Облыстың ҮЕҰ", 150, 2_500_000, 12, None, None,
     [("aksai", 800_000, None, None, "c")]),
    ("rural_patronage", "health", "KZ-23", "Исатай ауданы", "«Ақ ниет» қоғамдық бірлестігі",
     "Жүкті әйелдерге ауылдық патронаж", "Сельский патронаж беременных женщин",
     "Акушерлер алыс ауылдардағы жүкті әйелдерге үйге барып, кеңес береді.",
     "Акушерки навещают беременных женщин в отдалённых сёлах и консультируют их.",
     "Алыс ауылдардың жүкті әйелдері", 120, 1_900_000, 12, None, "B-03",
     [("kaspi_fish", 600_000, None, None, "p")]),
    ("robotics", "education", "KZ-23", "Доссор", "«Кемел» қоғамдық бірлестігі",
     "Мектеп оқушыларына робототехника үйірмесі", "Кружок робототехники для школьников",
     "Доссор кентінің оқушыларына робототехника мен инженерлік ойлауды үйрету.",
     "Робототехника и инженерное мышление для школьников посёлка Доссор.",
     "5–9 сынып оқушылары", 80, 2_300_000, 9, None, "C-02",
     [("atyrau_gas", 1_150_000, None, None, "c"), ("embi_tech", None, "Робототехника жинақтары", 1_149_999, "c")]),
    ("family_days", "social_protection", "KZ-23", "Атырау", "«Үміт» қоғамдық бірлестігі",
     "Мүгедектігі бар балалардың отбасыларына демалыс күндері",
     "Дни отдыха для семей детей с инвалидностью",
     "Ата-аналар демалып, ал балалар мамандардың қарауында болатын демалыс күндері.",
     "Выходные, когда родители отдыхают, а с детьми занимаются специалисты.",
     "Мүгедектігі бар балалардың отбасылары", 60, 1_000_000, 6, "memorandum_signed", "C-03",
     [("aksai", 1_000_000, None, None, "c")]),
    ("museum_audio", "culture", "KZ-23", "Атырау", "«Жарқын» қоғамдық бірлестігі",
     "Атырау өлкетану мұражайына аудиогид", "Аудиогид для краеведческого музея Атырау",
     "Мұражайға қазақ, орыс және ағылшын тілдеріндегі аудиогид пен ымдау тіліндегі бейнегид.",
     "Аудиогид на казахском, русском и английском и видеогид на жестовом языке.",
     "Мұражайға келушілер", 20000, 1_400_000, 6, None, "C-01", []),
    ("english_club", "education", "KZ-47", "Ақтау", "«Сенім» қоғамдық бірлестігі",
     "Ақтау жастарына ағылшын тілі клубы", "Разговорный клуб английского для молодёжи Актау",
     "Еріктілер жүргізетін ағылшын тілінде сөйлесу клубы.",
     "Разговорный клуб английского языка, который ведут волонтёры.",
     "Жастар", 100, 800_000, 9, None, None,
     [("kaspi_fish", 250_000, None, None, "c")]),
    ("media_school", "youth", "KZ-15", "Ақтөбе", "«Болашақ» қоғамдық бірлестігі",
     "Ақтөбе жастарына медиа-мектеп", "Медиашкола для молодёжи Актобе",
     "Жастарға журналистика, бейнетүсірілім және медиасауаттылық негіздері.",
     "Основы журналистики, видеосъёмки и медиаграмотности для молодёжи.",
     "Жастар", 60, 1_750_000, 8, None, None, []),
    # Not (yet) public: under review, returned, rejected.
    ("deaf_camp", "inclusion", "KZ-23", "Атырау", DEAF_SOCIETY,
     "Есту қабілеті бұзылған балаларға жазғы лагерь", "Летний лагерь для детей с нарушениями слуха",
     "Есту қабілеті бұзылған балаларға арналған он күндік жазғы лагерь.",
     "Десятидневный летний лагерь для детей с нарушениями слуха.",
     "Есту қабілеті бұзылған балалар", 50, 2_400_000, 3, "submitted", None, []),
    ("social_taxi", "social_protection", "KZ-23", "Атырау облысының ауылдары", "«Мейірім» қоғамдық бірлестігі",
     "Ауылдағы қарттарға әлеуметтік такси", "Социальное такси для пожилых в сёлах",
     "Қарттарды ауруханаға және әлеуметтік мекемелерге тегін жеткізу.",
     "Бесплатная доставка пожилых людей в больницы и соцучреждения.",
     "Ауылдағы қарттар", 400, 2_900_000, 12, "submitted", None, []),
    ("teen_helpline", "health", "KZ-71", "Астана", "«Сенім» қоғамдық бірлестігі",
     "Жасөспірімдерге психологиялық қолдау желісі", "Линия психологической поддержки подростков",
     "Жасөспірімдерге тәулік бойы тегін психологиялық көмек желісі.",
     "Круглосуточная бесплатная линия психологической помощи подросткам.",
     "Жасөспірімдер", 5000, 1_700_000, 12, "submitted", None, []),
    ("bike_lanes", "ecology", "KZ-79", "Шымкент", "«Достық» қоғамдық бірлестігі",
     "Қалалық саябақта велосипед жолдары", "Велодорожки в городском парке",
     "Саябақта велосипед жолдарын салу.", "Строительство велодорожек в парке.",
     "Қала тұрғындары", 20000, 12_000_000, 6, "returned", None, []),
    ("office_furniture", "other", "KZ-75", "Алматы", "«Өркен» қоғамдық бірлестігі",
     "Қорға кеңсе жиһазын сатып алу", "Покупка офисной мебели для фонда",
     "Ұйымның кеңсесіне жиһаз сатып алу.", "Покупка мебели в офис организации.",
     "Ұйым қызметкерлері", 8, 3_000_000, 1, "rejected", None, []),
]
REVIEW_COMMENTS = {
    "bike_lanes": "Бюджеттің толық сметасын қосып, салынған жолдарды кім күтіп ұстайтынын көрсетіңіз.",
    "office_furniture": "Жоба әлеуметтік мәселені шешпейді: бұл ұйымның өз шығыны.",
}
PLEDGE_STATES = {"c": PledgeStatus.confirmed, "p": PledgeStatus.pending, "d": PledgeStatus.declined,
                 "w": PledgeStatus.withdrawn}
WINNERS = 5


def _fair_user(email: str, full_name: str) -> User:
    """A fair login (with the demo password) or a fair participant without one (they may ask for a login link)."""
    user = find_user(email)
    if user is None:
        password = next((pw for _role, login, pw in FAIR_LOGINS if login == email), None)
        if password:
            user = create_user(email, password, full_name, language="kk", commit=False, check_personal=False)
        else:
            user = User(email=email, full_name=full_name, language="kk", role=GlobalRole.delegate)
            db.session.add(user)
        db.session.flush()
    return user


def _organization(name: str, sector: Sector, region: Region, bin_: str | None = None) -> Organization:
    org = db.session.scalar(sa.select(Organization).where(Organization.name == name))
    if org is None:
        org = Organization(name=name, sector=sector, region=region, bin=bin_)
        db.session.add(org)
        db.session.flush()
    return org


def _fair_delegate(forum: Forum, email: str, full_name: str, position: str, org: Organization,
                   consent_at: datetime) -> Delegate:
    delegate = db.session.scalar(sa.select(Delegate).where(Delegate.forum_id == forum.id, Delegate.email == email))
    if delegate is None:
        delegate = Delegate(forum=forum, user=_fair_user(email, full_name), full_name=full_name, email=email,
                            position=position, sector=org.sector, organization=org, region=org.region,
                            participation=Participation.in_person, language="kk", consent_given_at=consent_at,
                            status=DelegateStatus.confirmed)
        delegate.refresh_search_text()
        db.session.add(delegate)
        db.session.flush()
    return delegate


def _stamp_new_events(at: datetime) -> None:
    """Give the audit events just recorded (not yet written) the moment they stand for, not the loading time."""
    for obj in db.session.new:
        if isinstance(obj, AuditEvent) and obj.at is None:
            obj.at = at


def _load_fair(forum: Forum) -> None:
    """~40 projects from all over Kazakhstan, pledges in every state, a booth map, a jury and its winners.

    Written directly (one transaction, no letters sent), with every step in the audit log as the
    services would record it; each project's totals and status then come from `recount`.
    """
    import random

    from app.fair import services as fair

    rng = random.Random(2018)
    now = datetime.now(tz=ZoneInfo("UTC")).replace(microsecond=0)
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    organizer = find_user("organizer@asar.demo")
    fair_criteria = fair.criteria(forum)  # the four usual ones (commits them first)
    consent_at = now - timedelta(days=21)

    businesses = {}
    for n, (key, (name, region, bin_, person, position)) in enumerate(FAIR_BUSINESSES.items(), start=1):
        org = _organization(name, Sector.business, regions[region], bin_)
        email = "business@asar.demo" if key == "aksai" else f"fair.business{n:02d}@asar.demo"
        businesses[key] = _fair_delegate(forum, email, person, position, org, consent_at)

    ngos: dict[str, Delegate] = {}
    for _key, _cat, region, *_rest in FAIR_PROJECTS:
        name = _rest[1]
        if name in ngos:
            continue
        org = _organization(name, Sector.ngo, regions[NGO_REGIONS.get(name, region)])
        if name == DEAF_SOCIETY:
            ngos[name] = _fair_delegate(forum, "ngo@asar.demo", DEMO_NAMES["ngo@asar.demo"], "филиал төрайымы",
                                        org, consent_at)
            continue
        female = rng.random() < 0.6
        person = (f"{rng.choice(SURNAMES)}{'а' if female and rng.random() < 0.5 else ''} "
                  f"{rng.choice(FEMALE_NAMES if female else MALE_NAMES)}")
        ngos[name] = _fair_delegate(forum, f"fair.ngo{len(ngos) + 1:02d}@asar.demo", person,
                                    rng.choice(POSITIONS[Sector.ngo]), org, consent_at)

    projects: dict[str, FairProject] = {}
    for index, (key, category, region, settlement, ngo_name, title_kk, title_ru, summary_kk, summary_ru,
                beneficiaries, how_many, budget, months, status, booth, pledges) in enumerate(FAIR_PROJECTS):
        owner = ngos[ngo_name]
        submitted_at = now - timedelta(days=20 - index * 0.4, hours=rng.randint(0, 8))
        project = FairProject(
            forum_id=forum.id, delegate=owner, organization=owner.organization, title_kk=title_kk, title_ru=title_ru,
            summary_kk=summary_kk, summary_ru=summary_ru, category=ProjectCategory(category),
            region=regions[region], settlement=settlement, beneficiaries=beneficiaries,
            beneficiaries_count=how_many, budget_kzt=budget, duration_months=months,
            description=f"{summary_kk}\n\n{summary_ru}",
            budget_breakdown=(f"Жалақы мен сабақтар: {budget * 45 // 100:,} ₸; жабдық пен материалдар: "
                              f"{budget * 40 // 100:,} ₸; ақпараттық жұмыс пен есеп: "
                              f"{budget - budget * 45 // 100 - budget * 40 // 100:,} ₸").replace(",", " "),
            contact_name=owner.full_name, contact_email=owner.email,
            contact_phone=f"+7 70{rng.randint(0, 8)} {rng.randint(100, 999)} {rng.randint(10, 99)} "
                          f"{rng.randint(10, 99)}",
            status=ProjectStatus.submitted, submitted_at=submitted_at, created_at=submitted_at)
        fair._refresh_search(project)  # the same search text the service gives a submitted project
        db.session.add(project)
        db.session.flush()
        projects[key] = project
        record("project.submitted", project, actor=owner.user, status="submitted").at = submitted_at
        reviewed_at = submitted_at + timedelta(days=2)
        if status in ("submitted", "returned", "rejected"):
            if status != "submitted":
                project.status = ProjectStatus(status)
                project.review_comment = REVIEW_COMMENTS[key]
                record(f"project.{status}", project, actor=organizer, previous="submitted",
                       comment=project.review_comment).at = reviewed_at
            continue
        project.status, project.approved_at = ProjectStatus.approved, reviewed_at
        record("project.approved", project, actor=organizer, previous="submitted", comment=None).at = reviewed_at
        if booth:
            project.booth = booth
            record("project.booth", project, actor=organizer, previous=None, booth=booth).at = reviewed_at

        last = reviewed_at
        for n, (business_key, amount, in_kind, in_kind_value, state) in enumerate(pledges):
            backer = businesses[business_key]
            made_at = reviewed_at + timedelta(days=1 + n, hours=rng.randint(1, 6))
            pledge = Pledge(project=project, forum_id=forum.id, delegate=backer, organization=backer.organization,
                            amount_kzt=amount, in_kind=in_kind, in_kind_value_kzt=in_kind_value,
                            status=PLEDGE_STATES[state], created_at=min(made_at, now))
            db.session.add(pledge)
            db.session.flush()
            record("pledge.made", pledge, actor=backer.user, forum_id=forum.id, project_id=project.id,
                   amount_kzt=amount, in_kind_value_kzt=in_kind_value).at = pledge.created_at
            if pledge.status != PledgeStatus.pending:
                decider = backer.user if pledge.status == PledgeStatus.withdrawn else owner.user
                pledge.decided_at = min(made_at + timedelta(hours=rng.randint(2, 30)), now)
                pledge.decided_by_id = decider.id
                if pledge.status == PledgeStatus.confirmed:
                    pledge.decision_note = "Рақмет! Бірге жүзеге асырамыз."
                record(f"pledge.{pledge.status.value}", pledge, actor=decider, forum_id=forum.id,
                       project_id=project.id, amount_kzt=amount, in_kind_value_kzt=in_kind_value
                       ).at = pledge.decided_at
                last = max(last, pledge.decided_at)
        fair.recount(project, owner.user)  # totals from the pledges; presented / supported / funded
        _stamp_new_events(last)
        if status == "memorandum_signed":
            project.status = ProjectStatus.memorandum_signed
            record("project.memorandum_signed", project, actor=organizer, previous="funded").at = last
    db.session.flush()

    # The jury: three jurors score most public projects, never their own organization's.
    public = [p for p in projects.values() if p.status in fair.PUBLIC_STATES]
    quality = {p.id: rng.uniform(4.5, 9.5) for p in public}
    for index, (email, org_name) in enumerate(JURY):
        user = _fair_user(email, DEMO_NAMES[email])
        org = db.session.scalar(sa.select(Organization).where(Organization.name == org_name))
        juror = Juror(forum_id=forum.id, user=user, organization=org, created_at=now - timedelta(days=10))
        db.session.add(juror)
        db.session.flush()
        record("jury.juror_named", juror, actor=organizer, forum_id=forum.id, user_id=user.id).at = juror.created_at
        # All three score the first twenty; two of them six more; the last few wait for the jury.
        for project in public[:20] + (public[20:26] if index < 2 else []):
            if fair.has_conflict(juror, project):
                continue
            scored_at = now - timedelta(days=2, hours=rng.randint(0, 40))
            values = [max(1, min(10, round(quality[project.id] + rng.uniform(-1.5, 1.5)))) for _ in fair_criteria]
            db.session.add_all(JuryScore(juror_id=juror.id, project_id=project.id, criterion_id=criterion.id,
                                         score=value, submitted_at=scored_at)
                               for criterion, value in zip(fair_criteria, values))
            record("jury.scored", project, actor=user, juror_id=juror.id, total=sum(values)).at = scored_at
    db.session.flush()
    for row in fair.ranking(forum)[:WINNERS]:
        row.project.is_winner = True
        record("project.winner", row.project, actor=organizer).at = now - timedelta(hours=3)
    db.session.commit()


# ---------------------------------------------------------------- memoranda

# "Итогом первого дня стало подписание 10 меморандумов о сотрудничестве между НПО, бизнесом и
# государственными органами, как на региональном, так и на национальном уровнях." Ten memoranda: eight signed
# by every party and published, one open and waiting for the deaf society's signature (ngo@asar.demo can sign
# it), one draft. They go through the services (drafted, opened, signed, sealed, published), so their hashes
# and sealed PDFs are real.

# Who signs, by email: full name and position. "fair:<key>" is the fair business's own delegate (FAIR_BUSINESSES).
# Demo logins sign with their demo password; the others never log in and sign with a one-off random password.
SIGNATORIES = {
    "s.zhumabayev@asar.demo": ("Серік Жұмабаев", "вице-министр"),
    "e.zhumagaziyev@asar.demo": ("Ерболат Жұмағазиев", "заместитель председателя правления"),
    "ngo@asar.demo": (DEMO_NAMES["ngo@asar.demo"], "филиал төрайымы"),
    "business@asar.demo": (DEMO_NAMES["business@asar.demo"], "генеральный директор"),
    "n.bekmukhambetov@asar.demo": ("Нұрлан Бекмұхамбетов", "облыс әкімінің орынбасары"),
    "a.tolegen@asar.demo": ("Ақмарал Төлеген", "төраға"),
    "s.usenova@asar.demo": ("Салтанат Үсенова", "төрайым"),
    "a.otepov@asar.demo": ("Арман Өтепов", "төраға"),
    "e.suleimenov@asar.demo": ("Ержан Сүлейменов", "басқарма басшысы"),
    "d.mukhamedzhan@asar.demo": ("Динара Мұхамеджан", "директор"),
    "g.ospanov@asar.demo": ("Ғалым Оспанов", "ректор"),
    "a.suleimenova@asar.demo": ("Айгерім Сүлейменова", "президент"),
    "k.kasymova@asar.demo": ("Күләш Қасымова", "төрайым"),
    "b.ermekbay@asar.demo": ("Бекзат Ермекбай", "директор"),
    "juror3@asar.demo": (DEMO_NAMES["juror3@asar.demo"], "председатель"),
    "s.ospanova@asar.demo": ("Сәуле Оспанова", "басқарма төрайымы"),
}
INTERNAL_POLICY = "Атырау облысының ішкі саясат басқармасы"  # the one party the earlier parts of the demo lack
TERMS = {
    1: ("бір жыл", "один год"),
    2: ("екі жыл", "два года"),
    3: ("үш жыл", "три года"),
}
FINAL_PROVISIONS = (
    "Меморандумға өзгерістер мен толықтырулар Тараптардың жазбаша келісімімен енгізіледі. Даулы мәселелер "
    "келіссөздер арқылы шешіледі.\n"
    "Меморандум қазақ және орыс тілдерінде жасалды, екі мәтіннің күші бірдей. Меморандумға Asar платформасында "
    "электрондық түрде қол қойылды; оның түпнұсқалығын әр беттегі QR-код арқылы тексеруге болады.",
    "Изменения и дополнения вносятся в Меморандум по письменному согласию Сторон. Спорные вопросы решаются "
    "путём переговоров.\n"
    "Меморандум составлен на казахском и русском языках, оба текста имеют одинаковую силу. Меморандум подписан "
    "в электронной форме на платформе Asar; его подлинность проверяется по QR-коду на каждой странице.",
)

# key, level, fair project (FAIR_PROJECTS key) or None, state ("published" | "open" | "draft"), years in force,
# (title kk, ru), (preamble kk, ru), (subject kk, ru),
# parties: (organization, sector, signatory email, obligations kk, obligations ru, signed) — `signed` matters
# for the open one only.
MEMORANDA = [
    ("ministry_atameken", "national", None, "published", 3,
     ("Кәсіпкерлік субъектілері мен коммерциялық емес ұйымдардың өзара іс-қимылын дамыту саласындағы "
      "ынтымақтастық туралы меморандум",
      "Меморандум о сотрудничестве в развитии взаимодействия субъектов предпринимательства и некоммерческих "
      "организаций"),
     ("Қазақстан Республикасының Дін істері және азаматтық қоғам министрлігі мен «Атамекен» Қазақстан "
      "Республикасының Ұлттық кәсіпкерлер палатасы азаматтық қоғам институттарын дамытуды және қайырымдылық "
      "мәдениетін нығайтуды ортақ міндет деп санай отырып, осы Меморандумды жасасты.",
      "Министерство по делам религий и гражданского общества Республики Казахстан и Национальная палата "
      "предпринимателей Республики Казахстан «Атамекен», считая развитие институтов гражданского общества и "
      "укрепление культуры благотворительности общей задачей, заключили настоящий Меморандум."),
     ("Тараптар кәсіпкерлік субъектілері мен олардың бірлестіктерінің коммерциялық емес ұйымдармен өзара тиімді "
      "іс-қимылын ұйымдастыруда күш біріктіреді: әлеуметтік жобалар туралы ақпарат алмасады, әлеуметтік "
      "инвестицияларды ынталандыру шараларын әзірлейді және ҮЕҰ мен бизнестің бірлескен жобаларын қолдайды.",
      "Стороны объединяют усилия в организации взаимовыгодного взаимодействия субъектов предпринимательства и их "
      "объединений с некоммерческими организациями: обмениваются информацией о социальных проектах, "
      "разрабатывают меры стимулирования социальных инвестиций и поддерживают совместные проекты НПО и бизнеса."),
     [("Министерство по делам религий и гражданского общества Республики Казахстан", "state",
       "s.zhumabayev@asar.demo",
       "— әлеуметтік жобалардың бірыңғай дерекқорын қалыптастырып, оны Палатаға қолжетімді етуге;\n"
       "— ҮЕҰ мен бизнестің өзара іс-қимылы бойынша семинарлар мен шеберлік сыныптарын ұйымдастыруға;\n"
       "— заңнаманы жетілдіру кезінде қайырымдылықты ынталандыру жөніндегі ұсыныстарды қарауға міндеттенеді.",
       "— формировать единую базу данных социальных проектов и открыть к ней доступ Палате;\n"
       "— организовывать семинары и мастер-классы по взаимодействию НПО и бизнеса;\n"
       "— рассматривать предложения по стимулированию благотворительности при совершенствовании "
       "законодательства.", True),
      ("Национальная палата предпринимателей Республики Казахстан «Атамекен»", "business",
       "e.zhumagaziyev@asar.demo",
       "— «Атамекенім» акциясы аясында әлеуметтік мәселелер тізімін жүргізіп, оны ҮЕҰ-ға ашуға;\n"
       "— корпоративтік әлеуметтік жауапкершіліктің үздік тәжірибелерін жинақтап, таратуға;\n"
       "— кәсіпкерлерді ҮЕҰ жобаларына қатысуға шақыруға міндеттенеді.",
       "— вести перечень социальных проблем в рамках акции «Атамекенім» и открыть его для НПО;\n"
       "— собирать и распространять лучшие практики корпоративной социальной ответственности;\n"
       "— привлекать предпринимателей к участию в проектах НПО.", True)]),
    ("deaf_youth", "regional", "deaf_jobs", "published", 1,
     ("Есту қабілеті бұзылған жастар арасында еңбек әлеуетін дамыту туралы меморандум",
      "Меморандум о развитии трудового потенциала молодёжи с нарушениями слуха"),
     ("Қазақ саңыраулар қоғамының Атырау филиалы мен «АқсайГазСервис» ЖШС ерекше қажеттіліктері бар жастардың "
      "жұмысқа орналасуына жәрдемдесуді маңызды әлеуметтік міндет деп танып, осы Меморандумды жасасты.",
      "Атырауский филиал Казахского общества глухих и ТОО «АқсайГазСервис», признавая содействие "
      "трудоустройству молодёжи с особыми потребностями важной социальной задачей, заключили настоящий "
      "Меморандум."),
     ("«Есту қабілеті бұзылған жастар арасында еңбек әлеуетін дамыту» жобасын бірлесіп жүзеге асыру: 18–29 "
      "жастағы 40 жасты кәсіпке оқыту және олардың кемінде оны үшін Атырау кәсіпорындарында жұмыс орнын табу.",
      "Совместная реализация проекта «Развитие трудового потенциала молодёжи с нарушениями слуха»: обучение "
      "профессиям 40 молодых людей в возрасте 18–29 лет и трудоустройство не менее десяти из них на "
      "предприятиях Атырау."),
     [("Қазақ саңыраулар қоғамының Атырау филиалы", "ngo", "ngo@asar.demo",
       "— жобаға қатысушыларды іріктеуге және сабақтарды ымдау тілі аудармашысымен қамтамасыз етуге;\n"
       "— қаражаттың жұмсалуы туралы тоқсан сайын есеп беруге міндеттенеді.",
       "— отобрать участников проекта и обеспечить занятия сурдопереводом;\n"
       "— ежеквартально отчитываться о расходовании средств.", True),
      ("ТОО «АқсайГазСервис»", "business", "business@asar.demo",
       "— жобаны 2 000 000 теңгеге қаржыландыруға;\n"
       "— өз кәсіпорнында тағылымдамадан өтуге орын беруге және тәлімгерлер бөлуге міндеттенеді.",
       "— профинансировать проект на сумму 2 000 000 тенге;\n"
       "— предоставить места для стажировки на своём предприятии и выделить наставников.", True)]),
    ("kulsary_trees", "regional", "kulsary_trees", "published", 2,
     ("Құлсарыны көгалдандыру туралы төрт жақты меморандум",
      "Четырёхсторонний меморандум об озеленении Кульсары"),
     ("Тараптар Құлсары қаласының экологиялық ахуалын жақсартуды және тұрғындарды абаттандыру ісіне тартуды "
      "ортақ мақсат деп санай отырып, осы Меморандумды жасасты.",
      "Стороны, считая общей целью улучшение экологической обстановки в городе Кульсары и вовлечение жителей в "
      "благоустройство, заключили настоящий Меморандум."),
     ("«Құлсарыға мың көшет» жобасы: Құлсары көшелеріне мың көшет отырғызу және оларды екі жыл бойы суарып, "
      "күтіп ұстау.",
      "Проект «Тысяча саженцев для Кульсары»: высадка тысячи саженцев на улицах Кульсары, их полив и уход за "
      "ними в течение двух лет."),
     [("Атырау облысының әкімдігі", "state", "n.bekmukhambetov@asar.demo",
       "— отырғызу орындарын анықтап, жер телімдерін бөлуге;\n"
       "— көшеттерді қалалық суару жүйесіне қосуға рұқсат беруге міндеттенеді.",
       "— определить места посадки и выделить земельные участки;\n"
       "— разрешить подключение саженцев к городской системе полива.", True),
      ("«Жасыл Атырау» экологиялық қоғамдық бірлестігі", "ngo", "a.tolegen@asar.demo",
       "— еріктілерді жинап, отырғызуды ұйымдастыруға;\n"
       "— көшеттердің күйін бақылап, жарты жыл сайын есеп беруге міндеттенеді.",
       "— собрать волонтёров и организовать посадку;\n"
       "— следить за состоянием саженцев и отчитываться раз в полгода.", True),
      ("ТОО «Атырау Газ Сервис»", "business", "fair:atyrau_gas",
       "— алты ай бойы су тасымалдайтын көлік беруге міндеттенеді.",
       "— предоставить на шесть месяцев автомобиль для подвоза воды.", True),
      ("ТОО «Полиметалл Евразия»", "business", "fair:polymetal",
       "— көшеттер мен суару жабдығын сатып алуға 900 000 теңге бөлуге міндеттенеді.",
       "— выделить 900 000 тенге на покупку саженцев и оборудования для полива.", True)]),
    ("family_days", "regional", "family_days", "published", 1,
     ("Мүгедектігі бар балаларды тәрбиелеп отырған отбасыларды қолдау туралы меморандум",
      "Меморандум о поддержке семей, воспитывающих детей с инвалидностью"),
     ("«Үміт» қоғамдық бірлестігі мен «АқсайГазСервис» ЖШС мүгедектігі бар балаларды тәрбиелеп отырған "
      "отбасыларға қолдау көрсету қажеттігін мойындай отырып, төмендегілер туралы келісті.",
      "Общественное объединение «Үміт» и ТОО «АқсайГазСервис», признавая необходимость поддержки семей, "
      "воспитывающих детей с инвалидностью, договорились о нижеследующем."),
     ("«Мүгедектігі бар балалардың отбасыларына демалыс күндері» жобасы: ата-аналар демалатын, ал балалармен "
      "мамандар айналысатын алты демалыс күнін өткізу.",
      "Проект «Дни отдыха для семей детей с инвалидностью»: шесть выходных, когда родители отдыхают, а с детьми "
      "занимаются специалисты."),
     [("«Үміт» қоғамдық бірлестігі", "ngo", "s.usenova@asar.demo",
       "— бағдарламаны дайындап, дефектологтар мен психологтарды тартуға;\n"
       "— отбасыларды іріктеп, олардың пікірін жинауға міндеттенеді.",
       "— подготовить программу, привлечь дефектологов и психологов;\n"
       "— отобрать семьи и собрать их отзывы.", True),
      ("ТОО «АқсайГазСервис»", "business", "business@asar.demo",
       "— жобаны 1 000 000 теңгеге қаржыландыруға және отбасыларды тасымалдауға көлік беруге міндеттенеді.",
       "— профинансировать проект на сумму 1 000 000 тенге и предоставить транспорт для семей.", True)]),
    ("code_atyrau", "regional", "code_atyrau", "published", 1,
     ("«Код Атырау» жобасы бойынша ынтымақтастық туралы меморандум",
      "Меморандум о сотрудничестве по проекту «Код Атырау»"),
     ("Тараптар жасөспірімдердің цифрлық дағдыларын дамыту өңірдің болашағына салынған инвестиция екенін ескере "
      "отырып, осы Меморандумды жасасты.",
      "Стороны, учитывая, что развитие цифровых навыков подростков — это инвестиция в будущее региона, "
      "заключили настоящий Меморандум."),
     ("14–18 жастағы 120 жасөспірімге бағдарламалау мен веб-әзірлеу бойынша тегін курстар ұйымдастыру.",
      "Организация бесплатных курсов программирования и веб-разработки для 120 подростков 14–18 лет."),
     [("«Жарқын» қоғамдық бірлестігі", "ngo", "a.otepov@asar.demo",
       "— оқу бағдарламасын әзірлеп, оқытушыларды тартуға;\n"
       "— оқушыларды іріктеп, сабаққа қатысуын қадағалауға міндеттенеді.",
       "— разработать учебную программу и привлечь преподавателей;\n"
       "— отобрать учащихся и следить за посещаемостью.", True),
      ("ТОО «Ембі Тех»", "business", "fair:embi_tech",
       "— 1 500 000 теңге бөлуге;\n"
       "— өз мамандарын тәлімгер ретінде беруге және үздік түлектерге тағылымдама ұсынуға міндеттенеді.",
       "— выделить 1 500 000 тенге;\n"
       "— направить своих специалистов наставниками и предложить стажировку лучшим выпускникам.", True)]),
    ("resource_centre", "regional", None, "published", 3,
     ("Азаматтық ресурстық орталық құру туралы меморандум",
      "Меморандум о создании Гражданского ресурсного центра"),
     ("Тараптар өңірдегі үкіметтік емес ұйымдардың әлеуетін арттыруға және олардың мемлекеттік органдармен тығыз "
      "байланысын қамтамасыз етуге ұмтыла отырып, осы Меморандумды жасасты.",
      "Стороны, стремясь повысить потенциал неправительственных организаций региона и обеспечить их тесное "
      "взаимодействие с государственными органами, заключили настоящий Меморандум."),
     ("Атырауда ҮЕҰ-ға әдістемелік, консультациялық және ақпараттық қолдау көрсететін Азаматтық ресурстық "
      "орталық (коворкинг) ашу және «ҮЕҰ мектебін» бірлесіп өткізу.",
      "Открытие в Атырау Гражданского ресурсного центра (коворкинга), оказывающего НПО методическую, "
      "консультационную и информационную поддержку, и совместное проведение «Школы НПО»."),
     [(INTERNAL_POLICY, "state", "e.suleimenov@asar.demo",
       "— орталықтың жұмыс жоспарын келісуге және аудандық ҮЕҰ-мен желілік жұмысты үйлестіруге;\n"
       "— мемлекеттік әлеуметтік тапсырыс туралы ақпаратты уақтылы беруге міндеттенеді.",
       "— согласовывать план работы Центра и координировать сетевую работу с районными НПО;\n"
       "— своевременно предоставлять информацию о государственном социальном заказе.", True),
      ("«Азаматтық бастамаларды қолдау орталығы» қоғамдық қоры", "ngo", "d.mukhamedzhan@asar.demo",
       "— орталықтың күнделікті жұмысын ұйымдастыруға;\n"
       "— ҮЕҰ-ға тегін кеңес беруге және жылына кемінде он семинар-тренинг өткізуге міндеттенеді.",
       "— организовать повседневную работу Центра;\n"
       "— бесплатно консультировать НПО и проводить не менее десяти семинаров-тренингов в год.", True),
      ("Атырау университеті", "academia", "g.ospanov@asar.demo",
       "— орталыққа университет ғимаратынан үй-жай беруге;\n"
       "— оқытушылар мен студент-еріктілерді тартуға және азаматтық бастамаларды зерттеуге міндеттенеді.",
       "— предоставить Центру помещение в здании университета;\n"
       "— привлекать преподавателей и студентов-волонтёров и исследовать гражданские инициативы.", True)]),
    ("argo_polymetal", "national", None, "published", 2,
     ("Қауымдастықтардың нақты қажеттіліктеріне негізделген әлеуметтік инвестициялар туралы меморандум",
      "Меморандум о социальных инвестициях на основе реальных потребностей сообществ"),
     ("«АРГО» азаматтық қоғамды дамыту қауымдастығы мен «Полиметалл Евразия» ЖШС бизнестің әлеуметтік "
      "инвестициялары тұрғындардың нақты қажеттіліктеріне бағытталуы тиіс деп санай отырып, осы Меморандумды "
      "жасасты.",
      "Ассоциация развития гражданского общества «АРГО» и ТОО «Полиметалл Евразия», считая, что социальные "
      "инвестиции бизнеса должны направляться на реальные потребности жителей, заключили настоящий Меморандум."),
     ("Компания жұмыс істейтін елді мекендерде қауымдастықтардың қажеттіліктерін бірлесіп зерттеу және оның "
      "нәтижелері бойынша жергілікті ҮЕҰ-ның әлеуметтік жобаларына гранттық конкурс өткізу.",
      "Совместное изучение потребностей сообществ в населённых пунктах присутствия компании и проведение по его "
      "итогам грантового конкурса социальных проектов местных НПО."),
     [("Ассоциация развития гражданского общества «АРГО»", "ngo", "a.suleimenova@asar.demo",
       "— қажеттіліктерді бағалау әдістемесін ұсынып, зерттеу жүргізуге;\n"
       "— конкурсқа қатысатын ҮЕҰ-ны оқытуға және жобалардың мониторингін жүргізуге міндеттенеді.",
       "— предоставить методику оценки потребностей и провести исследование;\n"
       "— обучить НПО — участников конкурса и вести мониторинг проектов.", True),
      ("ТОО «Полиметалл Евразия»", "business", "fair:polymetal",
       "— гранттық қорды қаржыландыруға және конкурс комиссиясына өз өкілін жіберуге;\n"
       "— зерттеу нәтижелерін әлеуметтік инвестициялар жоспарында ескеруге міндеттенеді.",
       "— финансировать грантовый фонд и направить своего представителя в конкурсную комиссию;\n"
       "— учитывать результаты исследования в плане социальных инвестиций.", True)]),
    ("elderly_care", "regional", "elderly_care", "published", 1,
     ("Жалғызбасты қарттарға үйде күтім көрсету туралы меморандум",
      "Меморандум о помощи на дому одиноким пожилым людям"),
     ("Тараптар жалғызбасты қарт адамдарға қамқорлық жасауды ортақ парыз деп біле отырып, төмендегілер туралы "
      "келісті.",
      "Стороны, считая заботу об одиноких пожилых людях общим долгом, договорились о нижеследующем."),
     ("Әлеуметтік қызметкерлер мен еріктілердің Атырау қаласындағы 60 жалғызбасты қартқа аптасына екі рет барып, "
      "үй шаруасына көмектесуі және азық-түлік жеткізуі.",
      "Посещение социальными работниками и волонтёрами 60 одиноких пожилых людей в Атырау дважды в неделю, "
      "помощь по хозяйству и доставка продуктов."),
     [("«Мейірім» қоғамдық бірлестігі", "ngo", "k.kasymova@asar.demo",
       "— еріктілерді даярлап, бару кестесін жүргізуге;\n"
       "— қарттардың денсаулығындағы өзгерістер туралы емханаға хабарлауға міндеттенеді.",
       "— подготовить волонтёров и вести график посещений;\n"
       "— сообщать в поликлинику об изменениях в здоровье подопечных.", True),
      ("ТОО «Каспий Балық Өнімдері»", "business", "b.ermekbay@asar.demo",
       "— 500 000 теңге бөлуге және ай сайын азық-түлік себеттерін беруге міндеттенеді.",
       "— выделить 500 000 тенге и ежемесячно передавать продуктовые наборы.", True)]),
    ("sign_interpreters", "regional", "deaf_interpreters", "open", 1,
     ("Ымдау тілі аудармашыларын даярлау туралы үш жақты меморандум",
      "Трёхсторонний меморандум о подготовке сурдопереводчиков"),
     ("Тараптар есту қабілеті бұзылған азаматтардың мемлекеттік қызметтер мен медициналық көмекті тең алуын "
      "қамтамасыз етуге ұмтыла отырып, осы Меморандумды жасасты.",
      "Стороны, стремясь обеспечить гражданам с нарушениями слуха равный доступ к государственным услугам и "
      "медицинской помощи, заключили настоящий Меморандум."),
     ("Облыстың мемлекеттік мекемелері мен ауруханалары үшін 25 ымдау тілі аудармашысын даярлау курсын өткізу.",
      "Проведение курсов подготовки 25 сурдопереводчиков для государственных учреждений и больниц области."),
     [("Атырау облысының әкімдігі", "state", "n.bekmukhambetov@asar.demo",
       "— курсқа үй-жай беруге;\n"
       "— түлектерді облыстың мемлекеттік мекемелері мен ауруханаларында жұмысқа орналастыруға жәрдемдесуге "
       "міндеттенеді.",
       "— предоставить помещение для занятий;\n"
       "— содействовать трудоустройству выпускников в государственные учреждения и больницы области.", True),
      ("ТОО «Атырау Газ Сервис»", "business", "fair:atyrau_gas",
       "— курсты 400 000 теңгеге қаржыландыруға міндеттенеді.",
       "— профинансировать курсы на сумму 400 000 тенге.", True),
      ("Қазақ саңыраулар қоғамының Атырау филиалы", "ngo", "ngo@asar.demo",
       "— оқытушыларды беруге, оқу бағдарламасын әзірлеуге және емтихан өткізуге міндеттенеді.",
       "— предоставить преподавателей, разработать учебную программу и провести экзамены.", False)]),
    ("charity_culture", "national", None, "draft", 2,
     ("Қайырымдылық мәдениетін дамыту туралы меморандум",
      "Меморандум о развитии культуры благотворительности"),
     ("Тараптар қайырымдылықтың жүйелі әрі кәсіби дамуы және бизнестің қайырымдылық туралы ашық ақпарат беруі "
      "қоғамның сенімін арттырады деп санай отырып, осы Меморандумды жасасты.",
      "Стороны, считая, что системное и профессиональное развитие благотворительности и открытость бизнеса в "
      "вопросах пожертвований укрепляют доверие общества, заключили настоящий Меморандум."),
     ("Қайырымдылық марафондары мен еріктілер жәрмеңкелерін бірлесіп өткізу және компаниялардың қайырымдылық "
      "туралы есебінің ашық үлгісін әзірлеу.",
      "Совместное проведение благотворительных марафонов и ярмарок волонтёров и разработка открытого образца "
      "отчёта компаний о благотворительности."),
     [("Гражданский Альянс Казахстана", "ngo", "juror3@asar.demo",
       "— өңірлердегі мүше ұйымдарды акцияларға тартуға және олардың тәжірибесін жинақтауға міндеттенеді.",
       "— привлекать к акциям организации-члены в регионах и обобщать их опыт.", False),
      ("«Қазақстан халқына» қоғамдық қоры", "ngo", "s.ospanova@asar.demo",
       "— марафондарда жиналған қаражатты ашық есепке алуға және жариялауға міндеттенеді.",
       "— открыто учитывать и публиковать средства, собранные на марафонах.", False),
      ("Национальная палата предпринимателей Республики Казахстан «Атамекен»", "business",
       "e.zhumagaziyev@asar.demo",
       "— «Атамекенім» акциясына қатысатын кәсіпкерлерге есеп үлгісін таратуға және үздік тәжірибелерді "
       "насихаттауға міндеттенеді.",
       "— распространять образец отчёта среди предпринимателей — участников акции «Атамекенім» и продвигать "
       "лучшие практики.", False)]),
]


@contextmanager
def _no_letters():
    """Demo signatories have .demo addresses: their invitations are neither sent nor printed to the log."""
    state = current_app.extensions["mail"]
    logger = logging.getLogger("asar.mail")
    suppress, disabled = state.suppress, logger.disabled
    state.suppress, logger.disabled = True, True
    try:
        yield
    finally:
        state.suppress, logger.disabled = suppress, disabled


def _signatory(key: str) -> tuple[str, str, str]:
    """(email, full name, position) of a signatory key: an email, or "fair:<business>" for its fair delegate."""
    if key.startswith("fair:"):
        business = key.split(":", 1)[1]
        _name, _region, _bin, person, position = FAIR_BUSINESSES[business]
        n = list(FAIR_BUSINESSES).index(business) + 1
        return ("business@asar.demo" if business == "aksai" else f"fair.business{n:02d}@asar.demo"), person, position
    return (key, *SIGNATORIES[key])


class _Signers:
    """Each signatory's account and the password they sign with (demo logins: theirs; others: a one-off one)."""

    def __init__(self):
        self.known = {email: password for _role, email, password in DEMO_LOGINS}
        self.passwords: dict[str, str] = {}

    def account(self, email: str, full_name: str) -> User:
        user = find_user(email)
        if user is None:
            user = User(email=email, full_name=full_name, language="kk", role=GlobalRole.delegate)
            db.session.add(user)
            db.session.commit()
        return user

    def password(self, user: User) -> str:
        if user.email in self.known:
            return self.known[user.email]
        if user.email not in self.passwords:
            from werkzeug.security import generate_password_hash

            # 256 random bits nobody will ever type: a slow hash would only slow the demo down.
            secret = secrets.token_urlsafe(32)
            user.password_hash = generate_password_hash(secret, method="pbkdf2:sha256:1000")
            db.session.commit()
            self.passwords[user.email] = secret
        return self.passwords[user.email]


def _load_memoranda(forum: Forum) -> bool:
    """The ten memoranda of ASAR Atyrau that are not there yet (looked up by their Russian title)."""
    from app.memoranda import services as memoranda

    existing = set(db.session.scalars(sa.select(Memorandum.title_ru).where(Memorandum.forum_id == forum.id)))
    missing = [spec for spec in MEMORANDA if spec[5][1] not in existing]
    if not missing:
        return False
    organizer = find_user("organizer@asar.demo")
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    _organization(INTERNAL_POLICY, Sector.state, regions["KZ-23"])
    db.session.commit()
    projects = {key: title_kk for key, _cat, _region, _settlement, _ngo, title_kk, *_rest in FAIR_PROJECTS}
    signers = _Signers()
    dated = datetime.now(TZ).date()  # signed online today; presented at the forum's signing ceremony
    with _no_letters():
        for key, level, project_key, state, years, titles, preambles, subjects, parties in missing:
            project_id = None
            if project_key:
                project_id = db.session.scalar(sa.select(FairProject.id).where(
                    FairProject.forum_id == forum.id, FairProject.title_kk == projects[project_key]))
            party_inputs, signatories = [], []
            for organization, sector, who, obligations_kk, obligations_ru, signed in parties:
                email, full_name, position = _signatory(who)
                party_inputs.append(memoranda.PartyInput(
                    organization_name=organization, sector=sector, signatory_name=full_name, signatory_email=email,
                    signatory_position=position, obligations_kk=obligations_kk, obligations_ru=obligations_ru))
                signatories.append((email, full_name, signed))
            memorandum = memoranda.create(forum, organizer, memoranda.MemorandumInput(
                title_kk=titles[0], title_ru=titles[1], preamble_kk=preambles[0], preamble_ru=preambles[1],
                subject_kk=subjects[0], subject_ru=subjects[1],
                term_kk=f"Меморандум қол қойылған күннен бастап күшіне енеді және {TERMS[years][0]} бойы әрекет "
                        f"етеді. Тараптардың ешқайсысы мерзім аяқталардан бір ай бұрын оны тоқтату туралы жазбаша "
                        f"хабарламаса, Меморандум келесі жылға ұзартылады.",
                term_ru=f"Меморандум вступает в силу со дня подписания и действует {TERMS[years][1]}. Если ни одна "
                        f"из Сторон не сообщит письменно о его прекращении за месяц до окончания срока, Меморандум "
                        f"продлевается на следующий год.",
                final_provisions_kk=FINAL_PROVISIONS[0], final_provisions_ru=FINAL_PROVISIONS[1],
                level=level, region_id=regions["KZ-23"].id if level == "regional" else None, city="Атырау",
                dated=dated, project_id=project_id, parties=party_inputs))
            if state == "draft":
                continue
            # Each signatory opened the invitation sent to their address: their account signs for the party.
            for party, (email, full_name, _signed) in zip(memorandum.parties, signatories):
                memoranda.accept_invitation(party, signers.account(email, full_name))
            memoranda.open_for_signing(memorandum, organizer)
            for party, (email, full_name, signed) in zip(list(memorandum.parties), signatories):
                if state == "open" and not signed:
                    continue
                user = party.user
                memoranda.sign(memorandum, user, agree=True, full_name=full_name, password=signers.password(user),
                               sha256=memorandum.sha256, ip="127.0.0.1", user_agent="Asar demo")
            if state == "published":
                memoranda.publish(memorandum, organizer)
    return True
