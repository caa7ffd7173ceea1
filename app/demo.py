"""The demo forum: ASAR, the I Republican Forum of Trilateral Cooperation, Atyrau.

Built from the press reports in shared/seeds. People are fictional; the organizations
are the kinds the reports name. `load()` is idempotent: every object is looked up by a
natural key first, so a second run changes nothing.
"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.services import create_user, find_user, grant_forum_role
from app.extensions import db
from app.models import (CheckIn, Delegate, DelegateStatus, Enrollment, EnrollmentStatus, Forum, ForumRole,
                        ForumStatus, GlobalRole, Hall, Organization, Participation, Person, PersonRole, Region, Sector,
                        Session, SessionKind, SessionPerson, SessionStatus, seed_regions)

DEMO_SLUG = "asar-atyrau"
TZ = ZoneInfo("Asia/Almaty")

DEMO_LOGINS = [
    ("admin", "admin@asar.demo", "asar-admin-2026"),
    ("organizer", "organizer@asar.demo", "asar-organizer-2026"),
    ("checkin", "checkin@asar.demo", "asar-checkin-2026"),
]
DEMO_NAMES = {
    "admin@asar.demo": "Ерлан Сейітқали",
    "organizer@asar.demo": "Әсел Нұрғалиқызы",
    "checkin@asar.demo": "Дәурен Қожахметов",
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
        user = create_user(email, password, DEMO_NAMES[email], role=GlobalRole(role), language="kk", commit=False)
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
    return changed


def _load_forum() -> Forum:
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    users = {role: _user(role, email, password) for role, email, password in DEMO_LOGINS}

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
