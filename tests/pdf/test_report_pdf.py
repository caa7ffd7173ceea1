"""The final report's PDF as a pure function: Kazakh and Russian words as real text, the press's sentences with
the right numbers (and Russian plurals), every table, "page x of y", the same bytes for the same data.

No app, no database.
"""
import dataclasses

import pytest

from app.pdf.report import (LABELS, Figures, MemorandumRow, ProjectRow, RegionRow, ReportData, SectorRow, SessionRow,
                            headlines, money, number, render_report, ru_plural)
from tests.helpers.pdf import flat, page_texts

FIGURES = Figures(registered=1173, confirmed=1100, pending=73, checked_in=987, in_person=1000, online=173,
                  organizations=260, ngos=200, businesses=45, state_bodies=15, checkins=987, sessions=43, enrolled=310,
                  waitlisted=12, projects_total=120, projects_public=106, supported=10, funded=4,
                  budget_kzt=1_250_000_000, confirmed_kzt=1_000_500_000, in_kind_kzt=2_000_000, pending_kzt=7_500_000,
                  memoranda_signed=10, memoranda_regional=8, memoranda_national=2, memoranda_parties=21)


def sample(language="kk", **changes) -> ReportData:
    data = ReportData(
        language=language,
        title="«ASAR» үшжақты ынтымақтастықтың І республикалық форумы",
        dates="2026 ж. 15–16 желтоқсан", place="Атырау", generated="16.12.2026 18:00",
        timezone="Asia/Almaty, UTC+5", figures=FIGURES,
        sectors=(SectorRow("ҮЕҰ", 200, 900, 850, 760), SectorRow("Бизнес", 45, 200, 180, 170),
                 SectorRow("Мемлекеттік орган", 15, 73, 70, 57)),
        regions=(RegionRow("Атырау облысы", 1000, 900), RegionRow("Маңғыстау облысы", 173, 87)),
        sessions=(SessionRow("15.12 10:00–12:00", "Пленарлық сессия: ҮЕҰ – бизнес – мемлекет", "Пленарлық отырыс",
                             "Пленарлық зал", None, 0, 0, None),
                  SessionRow("15.12 14:30–16:00", "Шеберлік сыныбы: әлеуметтік кәсіпкерлік", "Шеберлік сыныбы",
                             "Зал «Нұр»", 40, 40, 12, 100)),
        projects=(ProjectRow("Саңырау жастарды жұмыспен қамту", "Атырау облыстық саңыраулар қоғамы", "Атырау облысы",
                             2_000_000, 2_000_000, 0, ("ТОО «АқсайГазСервис»",)),
                  ProjectRow("Ауыл әйелдеріне кілем тоқу шеберханасы", "«Өркен» қоғамдық бірлестігі",
                             "Түркістан облысы", 1_000_000_000, 998_500_000, 2_000_000,
                             ("ТОО «Ембі Тех»", "ТОО «Дала Сүт»", "ЖШС «Шаһар Құрылыс»"))),
        memoranda=(MemorandumRow("ASAR-2026/01", "Ынтымақтастық туралы меморандум", "Өңірлік", "16.12.2026",
                                 ("Атырау облысының әкімдігі", "ТОО «АқсайГазСервис»")),),
    )
    return dataclasses.replace(data, **changes)


@pytest.fixture(scope="module")
def kk_texts() -> list[str]:
    return page_texts(render_report(sample("kk")))


@pytest.fixture(scope="module")
def ru_texts() -> list[str]:
    return page_texts(render_report(sample("ru", title="I Республиканский форум трёхстороннего сотрудничества")))


def test_both_languages_have_every_label():
    assert set(LABELS["kk"]) == set(LABELS["ru"])
    assert all(value.strip() for words in LABELS.values() for value in words.values())


def test_kazakh_report_is_real_text_with_its_tables(kk_texts):
    everything = " ".join(kk_texts)
    for value in ("«ASAR» үшжақты ынтымақтастықтың І республикалық форумы", "Форумның қорытындылары",
                  "Негізгі қорытындылар", "Секторлар бойынша қатысушылар", "Өңірлер бойынша қатысушылар",
                  "Бағдарлама және қатысу", "Қол қойылған меморандумдар", "Маңғыстау облысы",
                  "Шеберлік сыныбы: әлеуметтік кәсіпкерлік", "Саңырау жастарды жұмыспен қамту", "ТОО «Дала Сүт»",
                  "ASAR-2026/01", "Атырау облысының әкімдігі", "шектеусіз", "100%", "ЖШС «Шаһар Құрылыс»"):
        assert flat(value) in everything, value
    assert set("әғқңөұүһі") <= set(everything.lower())


def test_headlines_say_what_the_press_says_with_the_figures(kk_texts, ru_texts):
    kk, ru = " ".join(kk_texts), " ".join(ru_texts)
    assert "Форумға 200 ҮЕҰ өкілдері қатысты." in kk
    assert "10 ынтымақтастық меморандумына қол қойылды." in kk
    assert "10 әлеуметтік жоба бизнестің қолдауын тапты: барлығы 1 002 500 000 теңге" in kk
    assert "Барлығы 1 173 делегат тіркелді, оның ішінде 987 делегат форумға келді." in kk
    assert "В форуме приняли участие представители 200 НПО." in ru
    assert "Подписано 10 меморандумов о сотрудничестве." in ru
    assert ("10 проектов нашли поддержку бизнеса на сумму 1 002 500 000 тенге, в том числе 1 000 500 000 тенге "
            "деньгами и 2 000 000 тенге в натуральной форме.") in ru
    assert "Зарегистрировано 1 173 делегата, из них на форум пришли — 987." in ru


def test_every_summary_figure_is_printed(kk_texts):
    everything = " ".join(kk_texts)
    for field in dataclasses.fields(Figures):
        assert flat(number(getattr(FIGURES, field.name))) in everything, field.name
    assert flat(number(FIGURES.confirmed_kzt)) in everything  # tenge to the tenge, grouped


def test_russian_plurals_and_one_of_a_kind():
    assert [ru_plural(n, "меморандум", "меморандума", "меморандумов") for n in (1, 2, 5, 11, 21, 22, 112, 0)] == [
        "меморандум", "меморандума", "меморандумов", "меморандумов", "меморандум", "меморандума", "меморандумов",
        "меморандумов"]
    one = dataclasses.replace(FIGURES, memoranda_signed=1, supported=1, registered=21)
    text = " ".join(headlines(one, "ru"))
    assert "Подписан 1 меморандум о сотрудничестве." in text
    assert "1 проект нашёл поддержку бизнеса" in text
    assert "Зарегистрирован 21 делегат," in text


def test_zero_figures_leave_their_sentence_out():
    none = Figures(registered=3)
    for language in ("kk", "ru"):
        sentences = headlines(none, language)
        assert len(sentences) == 1 and "3" in sentences[0]


def test_money_is_grouped_with_non_breaking_spaces():
    assert number(1_000_500_000) == "1\u00a0000\u00a0500\u00a0000"
    assert money(2_000_000) == "2\u00a0000\u00a0000\u00a0₸"


def test_page_x_of_y_and_the_title_on_later_pages():
    many = tuple(SessionRow(f"15.12 {h % 10 + 9}:00–{h % 10 + 10}:00", f"Сессия № {h} — қоғам мен мемлекет",
                            "Панельдік талқылау", "Зал «Жайық»", 30, h % 30, 0, (h % 30) * 100 // 30)
                 for h in range(120))
    texts = page_texts(render_report(sample("kk", sessions=many)))
    assert len(texts) >= 3
    for index, text in enumerate(texts, start=1):
        assert f"Бет {index} / {len(texts)}" in text
    assert "Сессия № 119 — қоғам мен мемлекет" in " ".join(texts)
    ru = page_texts(render_report(sample("ru", sessions=many)))
    assert f"Страница 1 из {len(ru)}" in ru[0]


def test_an_empty_forum_still_makes_a_report():
    texts = page_texts(render_report(ReportData(language="ru", title="Пустой форум")))
    everything = " ".join(texts)
    assert "Итоги форума" in everything and "Нет данных." in everything
    assert "Зарегистрировано 0 делегатов, из них на форум пришли — 0." in everything


def test_the_same_data_gives_the_same_bytes():
    assert render_report(sample("kk")) == render_report(sample("kk"))
    assert render_report(sample("kk")).startswith(b"%PDF")
