"""A realistic memorandum of cooperation as plain data: four parties, Kazakh and Russian texts.

Shared by the PDF and seal tests and by bench/memorandum_pdf.py.
"""
from dataclasses import replace
from datetime import date, datetime, timezone

from app.pdf.memorandum import MemorandumDocument, MemorandumText, PartySignature

SHA = "3f7a9c1e5b2d8f4a6c0e9b7d5f3a1c8e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a"
URL = "https://asar.example.kz/memoranda/verify/ASAR-2026-07?h=3f7a9c1e5b2d"

PARTIES = [
    PartySignature("Атырау облыстық саңыраулар қоғамы", "Әбдіқалықова Гүлшара Серікқызы", "Төрайым",
                   "Жарғы негізінде әрекет ететін", datetime(2026, 9, 17, 9, 5, tzinfo=timezone.utc), "S-7Q3K9X2A"),
    PartySignature("ТОО «АқсайГазСервис»", "Петров Дмитрий Сергеевич", "Директор",
                   "Жарғы негізінде әрекет ететін", datetime(2026, 9, 17, 10, 41, tzinfo=timezone.utc), "S-M4TR8KQ1"),
    PartySignature("Атырау облысының әкімдігі", "Һашимов Ілияс Өмірұлы", "Әкімдік аппаратының басшысы",
                   "Сенімхат негізінде әрекет ететін", datetime(2026, 9, 18, 4, 0, tzinfo=timezone.utc), "S-2ZP6WD9C"),
    PartySignature("«Ұлағат» қоғамдық қоры", "Ғабдуллина Меңдігүл Нұрланқызы", "Атқарушы директор",
                   "Жарғы негізінде әрекет ететін", None, None),
]

KK = MemorandumText(
    lang="kk",
    title="Есту қабілеті бұзылған жастарды жұмыспен қамту туралы",
    preamble="Төменде қол қойған Тараптар, Атырау облысындағы азаматтық қоғамды дамытуға және инклюзивті "
             "жұмыспен қамтуға ұмтыла отырып, ASAR форумының қорытындысы бойынша осы Меморандумды жасасты.",
    subject="Тараптар есту қабілеті бұзылған жастарға ым тілі аудармасы бар кәсіби курстар ұйымдастыруда және "
            "өңірдегі кәсіпорындарда жұмыс орындарын ашуда ынтымақтасады.",
    obligations=[
        (PARTIES[0].organization, "Курстарға қатысушыларды іріктейді.\nЫм тілі аудармашыларын ұсынады."),
        (PARTIES[1].organization, "Оқу-өндірістік практика үшін үй-жай мен жабдық береді.\n"
                                  "Курс бітірушілердің кемінде оншақтысын жұмысқа қабылдайды."),
        (PARTIES[2].organization, "Жобаны өңірлік бағдарламаларға енгізуге жәрдемдеседі."),
        (PARTIES[3].organization, "Жобаның мониторингін жүргізеді және тоқсан сайын есеп жариялайды."),
    ],
    term="Меморандум қол қойылған күннен бастап күшіне енеді және 2027 жылғы 31 желтоқсанға дейін қолданылады.",
    final_provisions="Меморандум заңды міндеттемелер туғызбайды. Қазақ және орыс тілдеріндегі мәтіндердің "
                     "күші бірдей. Меморандум Asar платформасында электрондық түрде жасалды.",
)

RU = MemorandumText(
    lang="ru",
    title="О трудоустройстве глухой молодёжи",
    preamble="Нижеподписавшиеся Стороны, стремясь к развитию гражданского общества и инклюзивной занятости в "
             "Атырауской области, по итогам форума ASAR заключили настоящий Меморандум.",
    subject="Стороны сотрудничают в организации профессиональных курсов с сурдопереводом для глухой молодёжи и "
            "создании рабочих мест на предприятиях региона.",
    obligations=[
        (PARTIES[0].organization, "Отбирает участников курсов.\nПредоставляет сурдопереводчиков."),
        (PARTIES[1].organization, "Предоставляет помещения и оборудование для производственной практики.\n"
                                  "Принимает на работу не менее десяти выпускников курсов."),
        (PARTIES[2].organization, "Содействует включению проекта в региональные программы."),
        (PARTIES[3].organization, "Ведёт мониторинг проекта и ежеквартально публикует отчёт."),
    ],
    term="Меморандум вступает в силу с даты подписания и действует до 31 декабря 2027 года.",
    final_provisions="Меморандум не порождает юридических обязательств. Тексты на казахском и русском языках "
                     "имеют одинаковую силу. Меморандум составлен в электронной форме на платформе Asar.",
)


def sample_memorandum(**changes) -> MemorandumDocument:
    """The bilingual four-party memorandum, final (not a draft); `changes` as for dataclasses.replace."""
    doc = MemorandumDocument(
        number="ASAR-2026/07", forum_title="ASAR Атырау 2026: ҮЕҰ, бизнес және мемлекет форумы", city="Атырау",
        signed_on=date(2026, 9, 17), level="regional", texts=[KK, RU], parties=PARTIES, sha256=SHA, verify_url=URL,
        draft=False)
    return replace(doc, **changes)


def lengthen(text: MemorandumText, times: int) -> MemorandumText:
    """The same version with its subject repeated `times` times, one paragraph each (a long memorandum)."""
    return replace(text, subject="\n".join(f"{i}) {text.subject}" for i in range(1, times + 1)))
