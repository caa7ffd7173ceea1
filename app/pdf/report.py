"""The forum's final report: A4, in Kazakh or Russian — the headline figures in the words the press uses,
then the tables (sectors, regions, the programme with attendance, the fair's backed projects, the memoranda).

A pure function of plain data: `render_report(ReportData) -> bytes`. No Flask, no models: the caller (the
dashboard's report builder) passes the figures as numbers, taken from `forum_stats`, and the rows' names already
in the report's language. The report's own fixed words are here, in `LABELS` (kk and ru), next to the
sentences they make (`headlines`), so the PDF and the XLSX say the same. The text is set in the embedded
DejaVu fonts (app/pdf/fonts.py): Kazakh letters print and can be searched and copied; `invariant=1` makes the
bytes depend on the data only.
"""
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.pdf.canvas import PageCountCanvas
from app.pdf.fonts import register_fonts

INK = colors.HexColor("#1c2430")
MUTED = colors.HexColor("#55606e")
BRAND = colors.HexColor("#0b6e6e")
LINE = colors.HexColor("#d5dbe3")
ZEBRA = colors.HexColor("#f3f6f8")
HEAD_BG = colors.HexColor("#e6f0f0")

MARGIN_X = 16 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 18 * mm
NBSP = "\u00a0"
SECTION_MIN_SPACE = 35 * mm  # a heading and the first rows of its table

LANGUAGES = ("kk", "ru")

# The report's fixed words. Keys are shared by both languages (a test keeps them in step).
LABELS: dict[str, dict[str, str]] = {
    "kk": {
        "report": "Форумның қорытындылары",
        "generated": "Есеп жасалған уақыт: %(when)s",
        "times_note": "Уақыт форумның сағатымен көрсетілген (%(tz)s).",
        "headlines": "Негізгі қорытындылар",
        "summary": "Көрсеткіштер",
        "indicator": "Көрсеткіш",
        "value": "Мәні",
        "sectors": "Секторлар бойынша қатысушылар",
        "regions": "Өңірлер бойынша қатысушылар",
        "programme": "Бағдарлама және қатысу",
        "fair": "Әлеуметтік идеялар жәрмеңкесі: қолдау тапқан жобалар",
        "memoranda": "Қол қойылған меморандумдар",
        "sector": "Сектор",
        "organizations": "Ұйымдар",
        "registered": "Тіркелді",
        "confirmed": "Расталды",
        "checked_in": "Келді",
        "region": "Өңір",
        "region_unknown": "Өңірі көрсетілмеген",
        "total": "Барлығы",
        "time": "Уақыты",
        "session": "Сессия",
        "capacity": "Орын",
        "enrolled": "Жазылды",
        "waitlisted": "Күту тізімі",
        "fill": "Толуы",
        "open": "шектеусіз",
        "project": "Жоба",
        "budget": "Бюджеті, ₸",
        "money": "Қаржылай, ₸",
        "in_kind": "Заттай, ₸",
        "backers": "Қолдаған ұйымдар",
        "number": "Нөмірі",
        "title": "Атауы",
        "level": "Деңгейі",
        "parties": "Тараптар",
        "signed_on": "Қол қойылды",
        "empty": "Деректер жоқ.",
        "page": "Бет %(page)d / %(pages)d",
        # Summary indicators
        "s_registered": "Тіркелген делегаттар",
        "s_confirmed": "Қатысуы расталған делегаттар",
        "s_pending": "Мақұлдауды күтетін өтінімдер",
        "s_checked_in": "Форумға келген делегаттар",
        "s_in_person": "Күндізгі қатысу (тіркелгендер)",
        "s_online": "Онлайн қатысу (тіркелгендер)",
        "s_organizations": "Қатысушы ұйымдар",
        "s_ngos": "оның ішінде ҮЕҰ",
        "s_businesses": "оның ішінде бизнес ұйымдары",
        "s_state": "оның ішінде мемлекеттік органдар",
        "s_checkins": "Кіреберістегі тіркеулер",
        "s_sessions": "Бағдарлама сессиялары",
        "s_enrolled": "Сессияларға жазылғандар",
        "s_waitlisted": "Күту тізіміндегілер",
        "s_projects_total": "Жәрмеңкеге ұсынылған жобалар",
        "s_projects_public": "Жәрмеңке каталогындағы жобалар",
        "s_supported": "Бизнестің қолдауын тапқан жобалар",
        "s_funded": "Толық қаржыландырылған жобалар",
        "s_budget": "Каталогтағы жобалардың бюджеті, ₸",
        "s_confirmed_kzt": "Расталған қаржылай қолдау, ₸",
        "s_in_kind_kzt": "Расталған заттай қолдау, ₸",
        "s_pending_kzt": "Расталуын күтетін уәделер, ₸",
        "s_memoranda": "Қол қойылған меморандумдар",
        "s_regional": "оның ішінде өңірлік",
        "s_national": "оның ішінде ұлттық",
        "s_parties": "Меморандумдарға тарап болған ұйымдар",
        # Headline sentences (the seeds' phrasing; Kazakh needs no plural after a number)
        "h_ngos": "Форумға %(ngos)s ҮЕҰ өкілдері қатысты.",
        "h_delegates": "Барлығы %(registered)s делегат тіркелді, оның ішінде %(checked_in)s делегат форумға келді.",
        "h_sessions": "Форум бағдарламасында %(sessions)s сессия өтті.",
        "h_memoranda": "%(signed)s ынтымақтастық меморандумына қол қойылды.",
        "h_projects": "%(supported)s әлеуметтік жоба бизнестің қолдауын тапты: барлығы %(covered)s теңге, "
                      "оның ішінде %(money)s теңге қаржылай және %(in_kind)s теңге заттай көмек.",
        "tenge": "теңге",
        # Worksheet names (at most 31 characters, no : / ? * [ ])
        "sheet_summary": "Көрсеткіштер",
        "sheet_sectors": "Секторлар",
        "sheet_regions": "Өңірлер",
        "sheet_programme": "Бағдарлама",
        "sheet_fair": "Жәрмеңке",
        "sheet_memoranda": "Меморандумдар",
        "kind": "Түрі",
        "hall": "Зал",
        "covered": "Барлық қолдау, ₸",
        "organization": "Ұйым",
    },
    "ru": {
        "report": "Итоги форума",
        "generated": "Отчёт сформирован: %(when)s",
        "times_note": "Время указано по часовому поясу форума (%(tz)s).",
        "headlines": "Главные итоги",
        "summary": "Показатели",
        "indicator": "Показатель",
        "value": "Значение",
        "sectors": "Участники по секторам",
        "regions": "Участники по регионам",
        "programme": "Программа и посещаемость",
        "fair": "Ярмарка социальных идей: поддержанные проекты",
        "memoranda": "Подписанные меморандумы",
        "sector": "Сектор",
        "organizations": "Организации",
        "registered": "Зарегистрировано",
        "confirmed": "Подтверждено",
        "checked_in": "Пришли",
        "region": "Регион",
        "region_unknown": "Регион не указан",
        "total": "Итого",
        "time": "Время",
        "session": "Сессия",
        "capacity": "Мест",
        "enrolled": "Записано",
        "waitlisted": "Лист ожидания",
        "fill": "Заполнено",
        "open": "без ограничений",
        "project": "Проект",
        "budget": "Бюджет, ₸",
        "money": "Деньгами, ₸",
        "in_kind": "В натуральной форме, ₸",
        "backers": "Кто поддержал",
        "number": "Номер",
        "title": "Название",
        "level": "Уровень",
        "parties": "Стороны",
        "signed_on": "Подписан",
        "empty": "Нет данных.",
        "page": "Страница %(page)d из %(pages)d",
        "s_registered": "Зарегистрировано делегатов",
        "s_confirmed": "Подтверждено делегатов",
        "s_pending": "Заявок ожидают подтверждения",
        "s_checked_in": "Делегатов пришли на форум",
        "s_in_person": "Очное участие (зарегистрировано)",
        "s_online": "Онлайн-участие (зарегистрировано)",
        "s_organizations": "Организаций-участников",
        "s_ngos": "в том числе НПО",
        "s_businesses": "в том числе бизнес-структур",
        "s_state": "в том числе государственных органов",
        "s_checkins": "Отметок на входе",
        "s_sessions": "Сессий программы",
        "s_enrolled": "Записей на сессии",
        "s_waitlisted": "В листе ожидания",
        "s_projects_total": "Проектов подано на ярмарку",
        "s_projects_public": "Проектов в каталоге ярмарки",
        "s_supported": "Проектов нашли поддержку бизнеса",
        "s_funded": "Проектов профинансировано полностью",
        "s_budget": "Бюджет проектов каталога, ₸",
        "s_confirmed_kzt": "Подтверждённая поддержка деньгами, ₸",
        "s_in_kind_kzt": "Подтверждённая поддержка в натуральной форме, ₸",
        "s_pending_kzt": "Обещания, ожидающие подтверждения, ₸",
        "s_memoranda": "Подписано меморандумов",
        "s_regional": "в том числе региональных",
        "s_national": "в том числе национальных",
        "s_parties": "Организаций — сторон меморандумов",
        "h_ngos": "В форуме приняли участие представители %(ngos)s НПО.",
        "h_delegates": "%(registered_verb)s %(registered)s %(delegates)s, из них на форум пришли — %(checked_in)s.",
        "h_sessions": "В программе форума — %(sessions)s %(sessions_word)s.",
        "h_memoranda": "%(signed_verb)s %(signed)s %(memoranda_word)s о сотрудничестве.",
        "h_projects": "%(supported)s %(projects_word)s %(found)s поддержку бизнеса на сумму %(covered)s тенге, "
                      "в том числе %(money)s тенге деньгами и %(in_kind)s тенге в натуральной форме.",
        "tenge": "тенге",
        "sheet_summary": "Показатели",
        "sheet_sectors": "Секторы",
        "sheet_regions": "Регионы",
        "sheet_programme": "Программа",
        "sheet_fair": "Ярмарка",
        "sheet_memoranda": "Меморандумы",
        "kind": "Формат",
        "hall": "Зал",
        "covered": "Всего поддержки, ₸",
        "organization": "Организация",
    },
}

# The summary's rows, in order: (label key, figure key, money?)
SUMMARY_ROWS: tuple[tuple[str, str, bool], ...] = (
    ("s_registered", "registered", False),
    ("s_confirmed", "confirmed", False),
    ("s_pending", "pending", False),
    ("s_checked_in", "checked_in", False),
    ("s_in_person", "in_person", False),
    ("s_online", "online", False),
    ("s_organizations", "organizations", False),
    ("s_ngos", "ngos", False),
    ("s_businesses", "businesses", False),
    ("s_state", "state_bodies", False),
    ("s_checkins", "checkins", False),
    ("s_sessions", "sessions", False),
    ("s_enrolled", "enrolled", False),
    ("s_waitlisted", "waitlisted", False),
    ("s_projects_total", "projects_total", False),
    ("s_projects_public", "projects_public", False),
    ("s_supported", "supported", False),
    ("s_funded", "funded", False),
    ("s_budget", "budget_kzt", True),
    ("s_confirmed_kzt", "confirmed_kzt", True),
    ("s_in_kind_kzt", "in_kind_kzt", True),
    ("s_pending_kzt", "pending_kzt", True),
    ("s_memoranda", "memoranda_signed", False),
    ("s_regional", "memoranda_regional", False),
    ("s_national", "memoranda_national", False),
    ("s_parties", "memoranda_parties", False),
)


@dataclass(frozen=True)
class Figures:
    """The report's numbers, every one of them from `forum_stats` (tenge as whole numbers)."""

    registered: int = 0
    confirmed: int = 0
    pending: int = 0
    checked_in: int = 0
    in_person: int = 0
    online: int = 0
    organizations: int = 0
    ngos: int = 0
    businesses: int = 0
    state_bodies: int = 0
    checkins: int = 0
    sessions: int = 0
    enrolled: int = 0
    waitlisted: int = 0
    projects_total: int = 0
    projects_public: int = 0
    supported: int = 0
    funded: int = 0
    budget_kzt: int = 0
    confirmed_kzt: int = 0
    in_kind_kzt: int = 0
    pending_kzt: int = 0
    memoranda_signed: int = 0
    memoranda_regional: int = 0
    memoranda_national: int = 0
    memoranda_parties: int = 0

    @property
    def covered_kzt(self) -> int:
        return self.confirmed_kzt + self.in_kind_kzt


@dataclass(frozen=True)
class SectorRow:
    sector: str                 # the label, in the report's language
    organizations: int
    registered: int
    confirmed: int
    checked_in: int


@dataclass(frozen=True)
class RegionRow:
    region: str
    registered: int
    checked_in: int


@dataclass(frozen=True)
class SessionRow:
    time: str                   # "16.09 10:00–11:30", on the forum's clock
    title: str
    kind: str = ""
    hall: str = ""
    capacity: int | None = None
    enrolled: int = 0
    waitlisted: int = 0
    fill_percent: int | None = None


@dataclass(frozen=True)
class ProjectRow:
    title: str
    organization: str
    region: str
    budget_kzt: int
    confirmed_kzt: int
    in_kind_kzt: int
    backers: tuple[str, ...] = ()


@dataclass(frozen=True)
class MemorandumRow:
    number: str
    title: str
    level: str
    signed_on: str              # "15.12.2026"
    parties: tuple[str, ...] = ()
    signed_date: date | None = None  # the same day, for spreadsheets


@dataclass(frozen=True)
class ReportData:
    language: str               # "kk" | "ru"
    title: str                  # the forum's title in that language
    dates: str = ""             # "2026 ж. 15–16 желтоқсан"
    place: str = ""             # "Атырау, venue"
    generated: str = ""         # "15.12.2026 18:00"
    timezone: str = ""          # "Asia/Almaty, UTC+5"
    figures: Figures = field(default_factory=Figures)
    sectors: tuple[SectorRow, ...] = ()
    regions: tuple[RegionRow, ...] = ()
    sessions: tuple[SessionRow, ...] = ()
    projects: tuple[ProjectRow, ...] = ()
    memoranda: tuple[MemorandumRow, ...] = ()


# ---------------------------------------------------------------- words and numbers


def labels_for(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["ru"])


def number(value: int | None) -> str:
    """Digits grouped by non-breaking spaces: 1173 → «1 173» (no break inside a number)."""
    return f"{int(value or 0):,}".replace(",", NBSP)


def money(value: int | None) -> str:
    return f"{number(value)}{NBSP}₸"


def ru_plural(n: int, one: str, few: str, many: str) -> str:
    """Russian noun after a number: 1 меморандум, 2 меморандума, 5 меморандумов (11–14: many)."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def headlines(figures: Figures, language: str) -> list[str]:
    """The figures the press reports, as sentences ("representatives of 200 NGOs took part", "10 memoranda were
    signed", "10 projects found support … tenge"); a sentence whose figure is zero is left out."""
    words = labels_for(language)
    f = figures
    values = {
        "ngos": number(f.ngos), "registered": number(f.registered), "checked_in": number(f.checked_in),
        "sessions": number(f.sessions), "signed": number(f.memoranda_signed), "supported": number(f.supported),
        "covered": number(f.covered_kzt), "money": number(f.confirmed_kzt), "in_kind": number(f.in_kind_kzt),
    }
    if language == "ru":
        values.update(
            registered_verb=ru_plural(f.registered, "Зарегистрирован", "Зарегистрировано", "Зарегистрировано"),
            delegates=ru_plural(f.registered, "делегат", "делегата", "делегатов"),
            sessions_word=ru_plural(f.sessions, "сессия", "сессии", "сессий"),
            signed_verb=ru_plural(f.memoranda_signed, "Подписан", "Подписано", "Подписано"),
            memoranda_word=ru_plural(f.memoranda_signed, "меморандум", "меморандума", "меморандумов"),
            projects_word=ru_plural(f.supported, "проект", "проекта", "проектов"),
            found=ru_plural(f.supported, "нашёл", "нашли", "нашли"),
        )
    sentences = []
    if f.ngos:
        sentences.append(words["h_ngos"] % values)
    sentences.append(words["h_delegates"] % values)
    if f.sessions:
        sentences.append(words["h_sessions"] % values)
    if f.memoranda_signed:
        sentences.append(words["h_memoranda"] % values)
    if f.supported:
        sentences.append(words["h_projects"] % values)
    return [s[0].upper() + s[1:] for s in sentences]


def summary_rows(figures: Figures, language: str) -> list[tuple[str, int, bool]]:
    """(label, value, is money) for the summary table, in order."""
    words = labels_for(language)
    return [(words[label], getattr(figures, key), is_money) for label, key, is_money in SUMMARY_ROWS]


# ---------------------------------------------------------------- drawing


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=regular, fontSize=9, leading=11.5, textColor=INK, alignment=TA_LEFT)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=18, leading=22, spaceAfter=3),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontName=bold, fontSize=13, leading=16,
                                   textColor=BRAND, spaceAfter=2),
        "facts": ParagraphStyle("facts", parent=base, fontSize=10, leading=13, textColor=MUTED),
        "section": ParagraphStyle("section", parent=base, fontName=bold, fontSize=13, leading=16, textColor=BRAND,
                                  spaceBefore=8, spaceAfter=4),
        "headline": ParagraphStyle("headline", parent=base, fontSize=11, leading=15, leftIndent=10,
                                   bulletIndent=0, spaceAfter=3),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=8, leading=10, textColor=MUTED),
        "head_num": ParagraphStyle("head_num", parent=base, fontName=bold, fontSize=8, leading=10, textColor=MUTED,
                                   alignment=TA_RIGHT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=bold, fontSize=8.5, leading=10.5),
        "num": ParagraphStyle("num", parent=base, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        "num_bold": ParagraphStyle("num_bold", parent=base, fontName=bold, fontSize=8.5, leading=10.5,
                                   alignment=TA_RIGHT),
        "meta": ParagraphStyle("meta", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "empty": ParagraphStyle("empty", parent=base, fontSize=9.5, leading=12, textColor=MUTED),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(head: list[tuple[str, bool]], rows: list[list], widths: list[float], st: dict,
           totals: list | None = None) -> Table:
    """A table with a repeated header row, zebra stripes and a bold totals row. Cells: Paragraph or (text, num?)."""
    header = [_p(text, st["head_num"] if is_num else st["head"]) for text, is_num in head]
    body = [header]
    for row in rows:
        body.append([cell if isinstance(cell, (Paragraph, list)) else
                     _p(str(cell[0]), st["num"] if cell[1] else st["cell"]) for cell in row])
    if totals is not None:
        body.append([_p(str(text), st["num_bold"] if is_num else st["cell_bold"]) for text, is_num in totals])
    table = Table(body, colWidths=widths, repeatRows=1, spaceBefore=2, spaceAfter=6)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, BRAND),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, LINE),
    ]
    for index in range(2, len(rows) + 1, 2):
        style.append(("BACKGROUND", (0, index), (-1, index), ZEBRA))
    if totals is not None:
        style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, BRAND))
    table.setStyle(TableStyle(style))
    return table


def _section(title: str, content, st: dict) -> list:
    """The heading, then the table; a new page first if the heading would stand alone at the foot of one."""
    return [CondPageBreak(SECTION_MIN_SPACE), _p(title, st["section"]), content]


def _summary(data: ReportData, words: dict, st: dict, width: float) -> Table:
    rows = [[(label, False), (number(value), True)]  # the label says when it is tenge ("…, ₸")
            for label, value, is_money in summary_rows(data.figures, data.language)]
    return _table([(words["indicator"], False), (words["value"], True)], rows, [width - 50 * mm, 50 * mm], st)


def _sectors(data: ReportData, words: dict, st: dict, width: float):
    if not data.sectors:
        return _p(words["empty"], st["empty"])
    f = data.figures
    rows = [[(r.sector, False), (number(r.organizations), True), (number(r.registered), True),
             (number(r.confirmed), True), (number(r.checked_in), True)] for r in data.sectors]
    totals = [(words["total"], False), (number(f.organizations), True), (number(f.registered), True),
              (number(f.confirmed), True), (number(f.checked_in), True)]
    first = width - 4 * 28 * mm
    return _table([(words["sector"], False), (words["organizations"], True), (words["registered"], True),
                   (words["confirmed"], True), (words["checked_in"], True)], rows,
                  [first, 28 * mm, 28 * mm, 28 * mm, 28 * mm], st, totals)


def _regions(data: ReportData, words: dict, st: dict, width: float):
    if not data.regions:
        return _p(words["empty"], st["empty"])
    f = data.figures
    rows = [[(r.region, False), (number(r.registered), True), (number(r.checked_in), True)] for r in data.regions]
    totals = [(words["total"], False), (number(f.registered), True), (number(f.checked_in), True)]
    return _table([(words["region"], False), (words["registered"], True), (words["checked_in"], True)], rows,
                  [width - 2 * 34 * mm, 34 * mm, 34 * mm], st, totals)


def _programme(data: ReportData, words: dict, st: dict, width: float):
    if not data.sessions:
        return _p(words["empty"], st["empty"])
    f = data.figures
    rows = []
    for s in data.sessions:
        meta = " · ".join(part for part in (s.kind, s.hall) if part)
        cell = [_p(s.title, st["cell_bold"])] + ([_p(meta, st["meta"])] if meta else [])
        rows.append([(s.time, False), cell,
                     (number(s.capacity) if s.capacity is not None else words["open"], True),
                     (number(s.enrolled), True), (number(s.waitlisted), True),
                     (f"{s.fill_percent}%" if s.fill_percent is not None else "—", True)])
    totals = [(words["total"], False), ("", False), ("", True), (number(f.enrolled), True),
              (number(f.waitlisted), True), ("", True)]
    small = 21 * mm
    return _table([(words["time"], False), (words["session"], False), (words["capacity"], True),
                   (words["enrolled"], True), (words["waitlisted"], True), (words["fill"], True)], rows,
                  [25 * mm, width - 25 * mm - 4 * small, small, small, small, small], st, totals)


def _fair(data: ReportData, words: dict, st: dict, width: float):
    if not data.projects:
        return _p(words["empty"], st["empty"])
    f = data.figures
    rows = []
    for p in data.projects:
        meta = " · ".join(part for part in (p.organization, p.region) if part)
        cell = [_p(p.title, st["cell_bold"])] + ([_p(meta, st["meta"])] if meta else [])
        rows.append([cell, (number(p.budget_kzt), True), (number(p.confirmed_kzt), True),
                     (number(p.in_kind_kzt), True), _p(", ".join(p.backers), st["cell"])])
    totals = [(words["total"], False), ("", True), (number(f.confirmed_kzt), True), (number(f.in_kind_kzt), True),
              ("", False)]
    num = 27 * mm
    return _table([(words["project"], False), (words["budget"], True), (words["money"], True),
                   (words["in_kind"], True), (words["backers"], False)], rows,
                  [width - 3 * num - 40 * mm, num, num, num, 40 * mm], st, totals)


def _memoranda(data: ReportData, words: dict, st: dict, width: float):
    if not data.memoranda:
        return _p(words["empty"], st["empty"])
    rows = [[(m.number, False), (m.title, False), (m.level, False), _p("; ".join(m.parties), st["cell"]),
             (m.signed_on, False)] for m in data.memoranda]
    totals = [(words["total"], False), (number(data.figures.memoranda_signed), False), ("", False), ("", False),
              ("", False)]
    return _table([(words["number"], False), (words["title"], False), (words["level"], False),
                   (words["parties"], False), (words["signed_on"], False)], rows,
                  [26 * mm, width - 26 * mm - 27 * mm - 50 * mm - 22 * mm, 27 * mm, 50 * mm, 22 * mm], st, totals)


def _fit(canvas, text: str, font: str, size: float, width: float) -> str:
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _numbered_canvas(data: ReportData, words: dict, regular: str, bold: str):
    class NumberedCanvas(PageCountCanvas):
        def decorate(self, page: int, total: int) -> None:
            width, height = A4
            self.saveState()
            self.setStrokeColor(LINE)
            self.setLineWidth(0.5)
            self.setFillColor(MUTED)
            if page > 1:
                self.line(MARGIN_X, height - 14 * mm, width - MARGIN_X, height - 14 * mm)
                self.setFont(bold, 8)
                self.drawString(MARGIN_X, height - 12 * mm, _fit(self, data.title, bold, 8, width * 0.6))
                self.setFont(regular, 8)
                self.drawRightString(width - MARGIN_X, height - 12 * mm, words["report"])
            self.setFont(regular, 8)
            self.line(MARGIN_X, 12 * mm, width - MARGIN_X, 12 * mm)
            footer = " · ".join(part for part in (data.dates, data.place) if part)
            self.drawString(MARGIN_X, 8 * mm, _fit(self, footer, regular, 8, width * 0.6))
            self.drawRightString(width - MARGIN_X, 8 * mm, words["page"] % {"page": page, "pages": total})
            self.restoreState()

    return NumberedCanvas


def render_report(data: ReportData) -> bytes:
    regular, bold = register_fonts()
    st = _styles(regular, bold)
    words = labels_for(data.language)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=f"{data.title} — {words['report']}", author="Asar",
        subject=words["report"], creator="Asar", producer="Asar", invariant=1, pageCompression=1,
        lang=data.language,
    )
    width = doc.width
    story: list = [_p(data.title, st["title"]), _p(words["report"], st["subtitle"])]
    facts = " · ".join(part for part in (data.dates, data.place) if part)
    if facts:
        story.append(_p(facts, st["facts"]))
    if data.generated:
        story.append(_p(words["generated"] % {"when": data.generated}, st["facts"]))
    if data.timezone:
        story.append(_p(words["times_note"] % {"tz": data.timezone}, st["facts"]))
    story.append(Spacer(1, 3 * mm))
    story.append(_p(words["headlines"], st["section"]))
    for sentence in headlines(data.figures, data.language):
        story.append(Paragraph(escape(sentence), st["headline"], bulletText="•"))
    story += _section(words["summary"], _summary(data, words, st, width), st)
    story += _section(words["sectors"], _sectors(data, words, st, width), st)
    story += _section(words["regions"], _regions(data, words, st, width), st)
    story += _section(words["programme"], _programme(data, words, st, width), st)
    story += _section(words["fair"], _fair(data, words, st, width), st)
    story += _section(words["memoranda"], _memoranda(data, words, st, width), st)
    doc.build(story, canvasmaker=_numbered_canvas(data, words, regular, bold))
    return buffer.getvalue()
