"""Plain-text capture cleaning: samples with gold, dates, phrases, glue, templates, clean text."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from deboil.cleaners import Context, RawPage, SiteTemplate, clean
from deboil.cleaners.lexicon.boilerplate import boilerplate_reason, boilerplate_reasons
from deboil.cleaners.capture.lines import analyse, classify_lines
from deboil.cleaners.lexicon.dates import find_date, parse_dateline
from deboil.cleaners.capture.template import line_hash, normalise_line, normalise_lines, page_line_hashes

SAMPLES = ["000_de433351e9e33d62", "001_79d2e2415bcdce5f", "002_06af052715d38b1c",
           "003_70584ff6008ec7d8", "004_87f295001bb806b5"]


def _sample(shared_dir, name):
    capture = shared_dir / "samples" / "captures" / f"{name}.txt"
    gold = json.loads((shared_dir / "samples" / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    page = clean(RawPage(url=capture.as_uri(), body=capture.read_bytes(), kind="text"))
    return page, gold


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_body_is_exactly_gold(shared_dir, name):
    page, gold = _sample(shared_dir, name)
    assert page.text.split("\n\n") == gold["body"]


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_metadata(shared_dir, name):
    page, gold = _sample(shared_dir, name)
    assert page.title == gold["title"]
    assert page.published == gold.get("published")
    assert page.updated == gold.get("updated")


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_removed_lines_have_reasons(shared_dir, name):
    page, gold = _sample(shared_dir, name)
    removed = {r.text.strip() for r in page.removed}
    assert all(r.reason for r in page.removed)
    for line in gold["boilerplate"]:
        assert line.strip() in removed, line


def test_clean_sample_is_byte_identical(shared_dir):
    capture = shared_dir / "samples" / "captures" / "002_06af052715d38b1c.txt"
    lines = [line for line in capture.read_text(encoding="utf-8").splitlines() if line.strip()]
    page = clean(RawPage(url="x", body=capture.read_bytes(), kind="text"))
    assert page.text.split("\n\n") == lines
    assert page.title is None and not page.removed


def test_glued_related_headline_is_cut(shared_dir):
    page, _ = _sample(shared_dir, "003_70584ff6008ec7d8")
    last = page.text.split("\n\n")[-1]
    assert "terrorists. Last month" in last
    assert ("US Embassy in Baghdad comes under rocket fire", "glued-headline") in {
        (r.text, r.reason) for r in page.removed}


# --- dates -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,iso,updated", [
    ("20 Dec, 2020 21:03", "2020-12-20T21:03", False),
    ("Update: October 31, 2021, 9:21 a.m.", "2021-10-31T09:21", True),
    ("Sunday\u060c 20 December 2020 09:46 PM", "2020-12-20T21:46", False),
    ("21.12.2020", "2020-12-21", False),
    ("20 декабря 2020", "2020-12-20", False),
    ("Опубликовано: 20 декабря 2020 в 14:30", "2020-12-20T14:30", False),
    ("Обновлено 3 марта 2021", "2021-03-03", True),
    ("2020-12-20T21:46", "2020-12-20T21:46", False),
    ("Published 2019-11-19", "2019-11-19", False),
    ("Veröffentlicht am 20. Dezember 2020, 14:30 Uhr", "2020-12-20T14:30", False),
    ("Aktualisiert am 4. März 2021", "2021-03-04", True),
    ("Publié le 12 décembre 2020 à 14h30", "2020-12-12T14:30", False),
    ("Mis à jour le 1er février 2021", "2021-02-01", True),
    ("Publicado el 5 de mayo de 2020", "2020-05-05", False),
    ("segunda-feira, 22 de janeiro de 2018 às 0:13", "2018-01-22T00:13", False),
    ("Updated 12:05 PM ET, Tue November 19, 2019", "2019-11-19", True),
    ("2019년 11월 20일 14:30", "2019-11-20T14:30", False),
    ("Monday, 21 December 2020", "2020-12-21", False),
])
def test_datelines(text, iso, updated):
    found = parse_dateline(text)
    assert found is not None, text
    assert found.iso == iso
    assert found.updated == updated


@pytest.mark.parametrize("text", [
    "December 20th local time, the Green Zone of Baghdad was attacked by several rockets.",
    "On December 10, 2020, two convoys transporting logistical equipment were targeted.",
    "— Josh Apte (@joshapte) November 3, 2019",
    "1a etapa: 10 de março – Interlagos",
    "Call 02-751-1500 for tickets",
])
def test_sentences_with_dates_are_not_datelines(text):
    assert parse_dateline(text) is None


def test_find_date_inside_text():
    assert find_date("as announced on 3 March 2021 by the ministry").iso == "2021-03-03"
    assert find_date("no date here") is None


# --- boilerplate phrases ------------------------------------------------------------------

@pytest.mark.parametrize("line,reason", [
    ("Share this story", "share"), ("Teilen", "share"), ("Partager sur Facebook", "share"),
    ("Поделиться", "share"), ("Compartir", "share"), ("Get short URL", "share"),
    ("Think your friends would be interested? Share this story!", "share"),
    ("This website uses cookies. Read our privacy policy to find out more.", "cookie"),
    ("Diese Website verwendet Cookies, um Ihnen ein besseres Erlebnis zu bieten.", "cookie"),
    ("Nous utilisons des cookies pour améliorer votre expérience.", "cookie"),
    ("Accept cookies", "cookie"), ("Alle akzeptieren", "cookie"),
    ("Home", "nav"), ("Startseite", "nav"), ("Accueil", "nav"), ("Главная", "nav"), ("Inicio", "nav"),
    ("Skip to content", "nav"), ("Zum Inhalt springen", "nav"),
    ("Previous Israel's ability to attack Iran is vital for other reasons than you know", "nav"),
    ("Source link", "nav"),
    ("Similar articles", "related"), ("Читайте также", "related"), ("Lesen Sie auch", "related"),
    ("À lire aussi", "related"), ("Leia também", "related"), ("You may also like", "related"),
    ("Also on example.com Officials draw down staff amid security concerns", "related"),
    ("© 2019 Example Media. All rights reserved.", "copyright"),
    ("Alle Rechte vorbehalten.", "copyright"), ("Tous droits réservés", "copyright"),
    ("Все права защищены", "copyright"), ("Todos los derechos reservados.", "copyright"),
    ("Leave a reply", "comment-form"), ("No Comment", "comment-form"), ("Kommentare (3)", "comment-form"),
    ("Your email address will not be published. Required fields are marked *", "comment-form"),
    ("Laisser un commentaire", "comment-form"), ("Оставить комментарий", "comment-form"),
    ("Sign in", "login"), ("Anmelden", "login"), ("Se connecter", "login"), ("Войти", "login"),
    ("Download our app", "app-promo"), ("RT News App", "app-promo"), ("Podcasts", "app-promo"),
    ("Sign up for our daily newsletter", "newsletter"), ("Newsletter abonnieren", "newsletter"),
    ("العربيةespрусdefr", "lang-switcher"), ("English | Deutsch | Français", "lang-switcher"),
    ("FILE PHOTO: The embassy in the capital. © Reuters / Photographer", "caption"),
    ("Foto: dpa", "caption"),
    ("icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon", "icons"),
    ("Most Popular Videos", "related"), ("Trending Stories", "related"),
    ("Like this story? Share it with a friend!", "share"), ("Subscribe Sign In", "login"),
    ("To Read the Full Story", "login"),
])
def test_boilerplate_phrases(line, reason):
    assert boilerplate_reason(line) == reason


@pytest.mark.parametrize("line", [
    "The company said it would share the data with regulators next week, officials said.",
    "Sie teilen die Kosten für den Ausbau der Strecke, sagte der Bürgermeister am Montag.",
    "Le gouvernement a annoncé que les cookies tiers seront interdits dans toute l'Union "
    "européenne à partir de l'année prochaine, selon un communiqué publié mardi soir par le "
    "ministère qui précise les modalités de cette interdiction et les sanctions encourues.",
    "Next week the council will vote on the budget.",
    "Home prices rose 4% in October, the fastest pace in a year.",
    "He signed in at the front desk before the meeting began, according to the logs.",
    "She wanted to share it with a friend who had been ill for a long time, so she did.",
])
def test_prose_is_not_boilerplate(line):
    assert boilerplate_reason(line) is None


def test_page_at_once_equals_line_by_line(shared_dir):
    for path in sorted((shared_dir / "samples").rglob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert boilerplate_reasons(lines) == [boilerplate_reason(line) for line in lines]
        assert normalise_lines(lines) == [normalise_line(line) for line in lines]


# --- line classifier API ---------------------------------------------------------------------

def test_classify_lines_on_any_line_list():
    lines = ["Menu", "Home", "Politics", "Sport", "Share this article",
             "The minister announced on Tuesday that the new rail line will open next spring, "
             "two years later than planned.",
             "Construction was delayed by a shortage of steel and by a dispute with the main "
             "contractor over the cost of the tunnels.",
             "Passengers will be able to travel between the two cities in under an hour, the "
             "ministry said in a statement.",
             "© 2020 Example News. All rights reserved."]
    out = classify_lines(lines)
    assert [line for line, reason in out if reason is None] == lines[5:8]
    reasons = dict(out)
    assert reasons["Share this article"] == "share"
    assert reasons["© 2020 Example News. All rights reserved."] == "copyright"


def test_glued_breadcrumb_is_dropped(shared_dir):
    page, _ = _sample(shared_dir, "004_87f295001bb806b5")
    assert "HomeWorld News" in {r.text for r in page.removed}


# --- site templates ------------------------------------------------------------------------

def test_line_hash_folds_case_digits_space():
    assert line_hash("© 2020 Example") == line_hash("©  2021 example")
    assert line_hash("3 comments") == line_hash("12 Comments")
    assert line_hash("Home") != line_hash("World")
    hashes = page_line_hashes("Home\nHome\n\nWorld news today\n")
    assert len(hashes) == 2 and len(set(hashes)) == 2


def _site_pages():
    header = ["Example Tribune", "Politics  Business  Culture  Opinion", "Today's paper"]
    promo = ["Get unlimited access for just 1 dollar a week", "Our reporters on the ground"]
    footer = ["About the Tribune", "Careers at the Tribune", "© 2020 Example Tribune Company"]
    topics = ["bridge", "school", "harbour", "library", "stadium", "hospital", "market",
              "railway", "museum", "park"]
    pages = []
    for i, topic in enumerate(topics):
        body = [f"The city council voted on Monday to fund repairs to the old {topic}, ending a "
                f"debate that had lasted {i + 2} years.",
                f"Residents had complained that the {topic} was unsafe, and engineers agreed "
                f"with them in a report published last spring.",
                f"Work on the {topic} is expected to start in the autumn and to take about "
                f"{i + 10} months, the mayor said."]
        lines = header + [f"Council to fund {topic} repairs"] + promo + body + footer
        pages.append(("\n".join(lines), body, header + promo + footer))
    return pages


def test_template_lines_removed_and_bodies_whole():
    pages = _site_pages()
    counts = Counter(h for doc, _, _ in pages for h in page_line_hashes(doc))
    template = SiteTemplate(pages=len(pages), line_pages=dict(counts))
    for doc, body, shared in pages:
        page = clean(RawPage(url="x", body=doc.encode(), kind="text"), Context(template=template))
        assert page.text.split("\n\n") == body
        removed = {r.text: r.reason for r in page.removed}
        for line in shared:
            assert removed[line] == "template", line
        assert page.line_hashes == page_line_hashes(doc)


def test_template_never_takes_prose_seen_on_some_pages():
    pages = _site_pages()
    quote = ("The council has a duty to keep every public building safe for the people who use "
             "it, the mayor said in a statement read at each of the meetings.")
    doc, body, _ = pages[0]
    # A sentence on 5 of 10 pages: below the bar for prose (80% of pages), so it stays.
    counts = Counter(h for d, _, _ in pages for h in page_line_hashes(d))
    counts[line_hash(quote)] = 5
    template = SiteTemplate(pages=10, line_pages=dict(counts))
    page = clean(RawPage(url="x", body=(doc + "\n" + quote).encode(), kind="text"),
                 Context(template=template))
    assert page.text.split("\n\n") == body + [quote]


# --- clean text stays whole -----------------------------------------------------------------

def test_clean_text_is_untouched():
    text = ("Die Bundesregierung hat am Mittwoch ein neues Klimapaket beschlossen.\n"
            "Es sieht vor, dass der Ausstoß von Treibhausgasen bis 2030 deutlich sinkt.\n"
            "Kritiker halten die Maßnahmen für zu schwach und fordern einen höheren CO2-Preis.\n"
            "Die Opposition kündigte an, im Bundestag dagegen zu stimmen.")
    page = clean(RawPage(url="x", body=text.encode(), kind="text"))
    assert page.text.split("\n\n") == text.split("\n")
    assert not page.removed


def test_menu_run_is_not_clean_text():
    """Few known phrases but a long run of one-word lines (a menu the phrase lists miss)."""
    menu = ["Новости", "Мода", "Красота", "Стиль", "Здоровье", "Диеты", "Спорт", "Тренды",
            "Гардероб", "Звезды", "Лайфхаки", "Выбор"]
    body = ["Правительство в среду утвердило новый пакет мер по поддержке малого бизнеса в регионах.",
            "По словам министра, программа начнет работать уже в начале следующего года и охватит тысячи компаний."]
    a = analyse(menu + body)
    assert a.body == body


def test_analyse_keeps_characters_as_they_are():
    line = ("On December 10, two convoys transporting equipment for troops fighting\xa0militants "
            "were targeted with roadside bombs, officials said on Friday.")
    a = analyse([line, line.replace("10", "12")])
    assert a.body[0] == line


