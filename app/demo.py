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
from app.models import (AuditEvent, CheckIn, Delegate, DelegateStatus, Enrollment, EnrollmentStatus, FairProject,
                        Forum, ForumRole, ForumStatus, GlobalRole, Hall, Juror, JuryScore, Organization, Participation,
                        Person, PersonRole, Pledge, PledgeStatus, ProjectCategory, ProjectStatus, Region, Sector,
                        Session, SessionKind, SessionPerson, SessionStatus, User, record, seed_regions)

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
    if db.session.scalar(sa.select(sa.func.count()).select_from(FairProject)
                         .where(FairProject.forum_id == forum.id)) == 0:
        _load_fair(forum)
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
            user = create_user(email, password, full_name, language="kk", commit=False)
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
