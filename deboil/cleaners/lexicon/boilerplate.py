"""Known boilerplate phrasing, in many languages: `boilerplate_reason(line) -> code | None`.

Shared by the capture cleaner and the HTML path (leftover lines after extraction). Two kinds
of pattern, because a phrase that is clutter on a line of its own can be innocent inside a
sentence:
- WHOLE: the entire (short) line is the phrase, e.g. "Share", "Leave a reply", "Menu".
- ANYWHERE: the phrase is distinctive enough to condemn a short line that contains it,
  e.g. "all rights reserved", "we use cookies". Long lines are never judged by these: a body
  paragraph may well talk about cookies or copyright.
Reason codes are stable: storage and `deboil show` group removed lines by them.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

import numpy as np

from deboil.cleaners.lexicon.scripts import for_lowered_ascii, word_units
from deboil.cleaners.recent_lines import for_recent_lines

# Lines longer than this (in words) are treated as prose and never matched by ANYWHERE rules.
MAX_WORDS_ANYWHERE = 30
# WHOLE rules only look at lines this short.
MAX_WORDS_WHOLE = 10

_F = re.IGNORECASE | re.UNICODE


def _alt(*phrases: str) -> str:
    return "(?:" + "|".join(phrases) + ")"


# Whole-line phrases (optional trailing punctuation, counters like "(12)" or arrows allowed).
_WHOLE: list[tuple[str, str]] = [
    ("share", _alt(
        r"share(?: (?:this|on|via|the|article|story|post|page|it))*(?: \w+)?", r"shares?",
        r"tweet", r"pin it", r"email this", r"e-?mail", r"print(?: this)?(?: article| page)?",
        r"get short url", r"copy link", r"copy url", r"link copied",
        r"teilen", r"diesen artikel teilen", r"artikel teilen", r"partager(?: sur \w+)?",
        r"partager cet article", r"compartir(?: en \w+)?", r"compartilhe?(?: no \w+)?",
        r"condividi(?: su \w+)?", r"delen", r"udostępnij", r"dela", r"del", r"jaa",
        r"поделиться", r"поділитися", r"paylaş", r"शेयर करें", r"공유(?:하기)?", r"シェア(?:する)?",
        r"分享", r"مشاركة", r"شارك", r"bagikan", r"sdílet", r"megosztás",
        r"facebook", r"twitter", r"whatsapp", r"linkedin", r"pinterest", r"reddit", r"telegram",
        r"flipboard", r"messenger", r"viber", r"vk", r"вконтакте", r"одноклассники",
        r"(?:facebook|twitter|whatsapp|linkedin|pinterest|reddit|telegram|email|e-mail|print|vk)"
        r"(?:[\s,|/·•]+(?:facebook|twitter|whatsapp|linkedin|pinterest|reddit|telegram|email"
        r"|e-mail|print|vk|copy link))+",
    )),
    ("nav", _alt(
        r"home", r"homepage", r"menu", r"main menu", r"back to (?:top|main menu)", r"skip to "
        r"(?:main )?(?:content|article|navigation)", r"search", r"close", r"more", r"next",
        r"previous", r"prev", r"next (?:article|post|story|page)", r"previous (?:article|post|story|page)",
        r"older posts?", r"newer posts?", r"load more", r"show more", r"view all", r"see all",
        r"all \w+", r"top stories", r"latest news", r"trending(?: now)?", r"most popular",
        r"most read", r"breadcrumbs?", r"sections?", r"categories", r"tags?", r"topics?",
        r"source link", r"sources?", r"contact(?: us)?", r"about(?: us)?", r"sitemap",
        r"privacy(?: policy)?", r"terms(?: of (?:use|service))?", r"terms (?:and|&) conditions",
        r"ad choices", r"advertis(?:e|ing|ement)(?: with us)?", r"imprint", r"disclaimer",
        r"startseite", r"zum inhalt springen", r"nach oben", r"weiter", r"zurück", r"mehr",
        r"impressum", r"datenschutz(?:erklärung)?", r"kontakt", r"suche", r"schließen",
        r"accueil", r"aller au contenu", r"retour en haut", r"suivant", r"précédent",
        r"rechercher", r"fermer", r"mentions légales", r"plus",
        r"inicio", r"início", r"ir al contenido", r"siguiente", r"anterior", r"buscar",
        r"cerrar", r"más", r"mais", r"próximo", r"voltar ao topo", r"pesquisar", r"fechar",
        r"contato", r"contacto", r"publicidade", r"publicidad",
        r"home page", r"cerca", r"chiudi", r"successivo", r"precedente", r"pagina iniziale",
        r"главная", r"меню", r"поиск", r"далее", r"назад", r"наверх", r"закрыть", r"ещё", r"еще",
        r"головна", r"пошук", r"strona główna", r"szukaj", r"dalej", r"wstecz",
        r"ana sayfa", r"anasayfa", r"ara", r"beranda", r"kembali ke atas", r"cari",
        r"홈", r"메뉴", r"검색", r"닫기", r"ホーム", r"メニュー", r"検索", r"首页", r"返回顶部",
        r"الرئيسية", r"القائمة", r"بحث", r"मुख्य पृष्ठ", r"होम",
    )),
    ("related", _alt(
        r"related(?: (?:articles?|posts?|stories|news|content|links|coverage|topics|videos?))?",
        r"similar (?:articles|posts|stories)", r"(?:you )?(?:may|might) also (?:like|be interested in)",
        r"read (?:more|also|next)", r"more (?:from|on|in|stories|news|articles)(?: \w+){0,3}",
        r"recommended(?: for you)?", r"more like this", r"see also", r"also (?:read|see)",
        r"don'?t miss", r"(?:most )?popular (?:posts|articles|stories|videos|news)", r"editor'?s picks",
        r"trending (?:stories|articles|news|topics|videos)",
        r"weitere artikel", r"mehr zum thema", r"das könnte sie (?:auch )?interessieren",
        r"lesen sie auch", r"auch interessant", r"ähnliche artikel",
        r"à lire aussi", r"lire aussi", r"lire la suite", r"articles similaires", r"sur le même sujet",
        r"voir aussi", r"te puede interesar", r"lee también", r"leer más", r"noticias relacionadas",
        r"artículos relacionados", r"leia (?:também|mais)", r"veja também", r"notícias relacionadas",
        r"artigos relacionados", r"posts relacionados", r"leggi anche", r"articoli correlati",
        r"potrebbe interessarti", r"lees (?:ook|meer)", r"gerelateerde artikelen",
        r"читайте также", r"читать далее", r"похожие (?:статьи|новости|материалы)",
        r"по теме", r"смотрите также", r"czytaj (?:też|także|więcej)", r"zobacz (?:też|także)",
        r"ilgili haberler", r"baca juga", r"berita terkait", r"관련 ?기사", r"関連記事", r"相关(?:文章|阅读|新闻)",
        r"اقرأ أيضا", r"مقالات ذات صلة", r"यह भी पढ़ें",
    )),
    ("comment-form", _alt(
        r"(?:no|\d+) comments?", r"comments?(?: \(\d+\))?", r"leave a (?:reply|comment)",
        r"post a comment", r"add (?:a )?comment", r"write a comment", r"view comments",
        r"show comments", r"join the (?:conversation|discussion)", r"reply", r"cancel reply",
        r"kommentare?", r"kommentar schreiben", r"antworten", r"commentaires?",
        r"laisser un commentaire", r"répondre", r"comentarios?", r"deja un comentario",
        r"deixe (?:um|seu) comentário", r"comentários?", r"responder", r"commenti",
        r"lascia un commento", r"комментари[йи]", r"оставить комментарий", r"ответить",
        r"komentarze?", r"yorumlar", r"komentar", r"댓글", r"コメント", r"评论", r"التعليقات",
    )),
    ("login", _alt(
        r"(?:sign|log) ?(?:in|up|out)", r"register", r"my account", r"subscribe(?: now)?",
        r"(?:sign|log) ?in(?: (?:/|or|\|) (?:register|sign ?up|subscribe))?",
        r"subscribe(?: now)?[\s/|]+(?:sign|log) ?in",
        r"anmelden", r"abmelden", r"registrieren", r"einloggen", r"mein konto", r"abonnieren",
        r"se connecter", r"connexion", r"s'inscrire", r"mon compte", r"s'abonner",
        r"iniciar sesión", r"registrarse", r"mi cuenta", r"suscríbete", r"entrar", r"cadastre-se",
        r"assine", r"accedi", r"registrati", r"войти", r"вход", r"регистрация", r"выйти",
        r"zaloguj się", r"giriş yap", r"masuk", r"daftar", r"로그인", r"회원가입", r"ログイン",
        r"登录", r"注册", r"تسجيل الدخول",
    )),
    ("cookie", _alt(
        r"accept(?: all)?(?: cookies)?", r"i agree", r"got it", r"ok(?:ay)?", r"agree",
        r"cookie (?:settings|policy|preferences)", r"manage cookies", r"reject all",
        r"alle akzeptieren", r"akzeptieren", r"tout accepter", r"accepter", r"j'accepte",
        r"aceptar(?: todo)?", r"aceitar", r"accetta", r"принять", r"согласен",
    )),
    ("app-promo", _alt(
        r"(?:download|get) (?:the|our) (?:\w+ )?app", r"(?:\w+ ){0,2}news app", r"(?:mobile|our) apps?",
        r"app store", r"google play", r"available on the app store",
        r"podcasts?", r"all podcasts", r"newsletters?", r"rss(?: feeds?)?",
    )),
]

# Phrases that condemn a short line wherever they occur.
_ANYWHERE: list[tuple[str, str]] = [
    ("cookie", _alt(
        r"\b(?:uses|use|using) cookies\b", r"\bcookie (?:policy|settings|consent|banner)\b",
        r"\baccept (?:all )?cookies\b", r"\bverwendet cookies\b", r"\bverwenden cookies\b",
        r"\bcookie-?richtlinie\b", r"\butilise des cookies\b", r"\butilisons des cookies\b",
        r"\butiliza(?:mos)? cookies\b", r"\butilizamos cookies\b", r"\busa(?:mo)? (?:i )?cookie\b",
        r"\bиспользует (?:файлы )?cookie\b", r"\bиспользуем (?:файлы )?cookie\b",
        r"\bużywa(?:my)? (?:plików )?cookies?\b", r"\bçerez(?:ler)?\b", r"\bmenggunakan cookie\b",
        r"쿠키", r"クッキー", r"使用cookie", r"ملفات تعريف الارتباط",
    )),
    ("copyright", _alt(
        r"^\s*(?:copyright\s*)?©", r"\bcopyright\b.{0,40}\b(?:19|20)\d\d\b", r"\(c\)\s*(?:19|20)\d\d",
        r"\ball rights reserved\b", r"\balle rechte vorbehalten\b", r"\btous droits réservés\b",
        r"\btodos los derechos reservados\b", r"\btodos os direitos reservados\b",
        r"\btutti i diritti riservati\b", r"\balle rechten voorbehouden\b", r"\bвсе права защищены\b",
        r"\bwszelkie prawa zastrzeżone\b", r"\btüm hakları saklıdır\b", r"\bhak cipta\b",
        r"무단\s?전재", r"저작권", r"版权所有", r"著作権", r"جميع الحقوق محفوظة",
    )),
    ("comment-form", _alt(
        r"\byour email address will not be published\b", r"\brequired fields are marked\b",
        r"\bnotify me of (?:new|follow-up)\b", r"\bsave my name, email\b",
        r"\bihre e-mail-adresse wird nicht veröffentlicht\b", r"\bvotre adresse (?:e-)?mail ne sera pas publiée\b",
        r"\btu dirección de correo electrónico no será publicada\b",
        r"\bo seu endereço de e-mail não será publicado\b", r"\bil tuo indirizzo email non sarà pubblicato\b",
        r"\bваш адрес email не будет опубликован\b", r"\bcomments are closed\b",
        r"\bto post a comment\b", r"\bcommenting (?:policy|guidelines)\b",
    )),
    ("share", _alt(
        r"\bshare (?:this|on (?:facebook|twitter|whatsapp|linkedin))\b", r"\bshare this (?:story|article|post)\b",
        r"\bclick to share\b", r"\bopens in a new window\b", r"\bfriends would be interested\b",
        r"\bshare (?:it|this(?: story| article)?) with (?:a|your) friends?\W*$",
        r"\bteilen sie (?:diesen|den) artikel\b", r"\bpartagez cet article\b", r"\bcomparte esta\b",
        r"\bcompartilhe essa\b", r"\bподелитесь\b",
    )),
    ("newsletter", _alt(
        r"\bsign up for (?:our|the|free)\b.{0,40}\bnewsletter", r"\bsubscribe to (?:our|the)\b.{0,30}\bnewsletter",
        r"\bnewsletter abonnieren\b", r"\bmelden sie sich für unseren newsletter\b",
        r"\binscrivez-vous à (?:notre|la) newsletter\b", r"\bsuscríbete a (?:nuestro|nuestra)\b",
        r"\bassine (?:nossa|a) newsletter\b", r"\biscriviti alla (?:nostra )?newsletter\b",
        r"\bподпишитесь на\b", r"\benter your email\b", r"\byour inbox\b",
    )),
    ("app-promo", _alt(
        r"\bdownload (?:the|our) (?:\w+ )?app\b", r"\bget the app\b", r"\bon the app store\b",
        r"\bget it on google play\b", r"\bapp herunterladen\b", r"\btéléchargez (?:notre|l')\s?app",
        r"\bdescarga (?:nuestra|la) app\b", r"\bскачайте приложение\b",
    )),
    ("login", _alt(
        r"\byou are signed in as\b", r"\bforgot (?:your )?password\b",
        r"\bto (?:read|continue reading) the (?:full|whole|entire) (?:story|article)\b",
        r"\bsubscribe to (?:continue|keep) reading\b", r"\balready (?:a subscriber|have an account)\b",
        r"\bpasswort vergessen\b", r"\bmot de passe oublié\b", r"\bolvidaste tu contraseña\b",
        r"\bзабыли пароль\b",
    )),
    ("caption", _alt(
        r"^\s*(?:file )?(?:photo|image|picture|foto|bild|фото|zdjęcie|imagen|immagine)\s*(?:credit)?\s*:",
        r"\b(?:getty images|shutterstock|afp photo|reuters/|ap photo|istock(?:photo)?|epa-efe)\b",
        r"^\s*(?:photo|image|foto) (?:by|courtesy of|credit)\b", r"©\s*\w",
    )),
    ("related", _alt(
        r"^\s*also on \S+\.\w{2,}\b", r"^\s*(?:read more|read also|see also|also read)\s*[:»›>-]",
        r"^\s*(?:lesen sie auch|lire aussi|à lire aussi|lee también|leia também|leggi anche|читайте также)\s*[:»›>-]",
    )),
    ("newsletter", r"^\s*newsletter\b"),
]

# Icon-font ligature names flattened to text ("chevron downicon", "fbicon", "icon-search").
_ICON_TOKEN = re.compile(r"\w*icon\b|\bicon[-\w]*|\bmaterial-icons\b|\bfa-[\w-]+", _F)

# Language switchers: lines made of language names/codes only, often glued together.
_LANG_NAMES = (
    "english|deutsch|français|francais|español|espanol|italiano|português|portugues|nederlands|"
    "русский|рус|українська|укр|polski|türkçe|العربية|عربي|فارسی|עברית|中文|简体中文|繁體中文|日本語|"
    "한국어|हिन्दी|ελληνικά|svenska|norsk|dansk|suomi|čeština|magyar|română|srpski|hrvatski|"
    "bahasa indonesia|tiếng việt|ไทย"
)
_LANG_CODE = "en|de|fr|es|it|pt|nl|ru|uk|pl|tr|ar|fa|he|zh|ja|ko|hi|el|sv|no|da|fi|cs|hu|ro|esp|deu|fra|rus|eng"
_LANG_SWITCH = re.compile(
    rf"^(?:(?:{_LANG_NAMES}|{_LANG_CODE})(?:\s*\([^)]{{1,20}}\))?[\s|/·•,]*){{2,}}$", _F)

# The same, case-sensitive, for lower-cased ASCII lines (as _WHOLE_ASCII_RX below).
_LANG_SWITCH_ASCII = re.compile(_LANG_SWITCH.pattern)

# "Previous <headline>" / "Next <headline>": post-to-post links (never a sentence).
_PREV_NEXT = re.compile(
    r"^\s*(?:previous|prev|next|older|newer|vorherige[rs]?|nächste[rs]?|précédent|suivant|anterior|"
    r"siguiente|próximo|precedente|successivo|предыдущая|следующая|poprzedni|następny)"
    r"(?: (?:post|article|story|artikel|article|entrada|articolo|статья))?\s*[:»›>|-]?\s+\S.*[^.!?:;]$", _F)

_PREV_NEXT_ASCII = re.compile(_PREV_NEXT.pattern)  # (as _LANG_SWITCH_ASCII)

# One combined regex per kind: a line is tested once, not once per reason (hundreds of
# lines a page). Alternatives keep list order, so earlier reasons win ties.
_REASONS = sorted({reason for reason, _ in _WHOLE + _ANYWHERE})


def _whole_pattern(groups: list[tuple[int, str, str]]) -> str:
    """The whole-line regex over (index, reason, pattern) groups of _WHOLE."""
    return (r"^[\s\W]*(?:" + "|".join(f"(?P<w{i}_{_REASONS.index(r)}>{p})" for i, r, p in groups)
            + r")(?:\s*[:(\[]?\s*\d+\s*[)\]]?)?[\s.:!?…»›>|·•-]*$")


_WHOLE_RX = re.compile(_whole_pattern([(i, r, p) for i, (r, p) in enumerate(_WHOLE)]), _F)
# The same pattern, case-sensitive, for ASCII lines lower-cased first: IGNORECASE makes re
# enter every one of the hundreds of alternatives, while a plain literal first letter lets it
# skip those that start otherwise. The same matches on ASCII text, since the phrases' letters
# are lower case and none of their non-ASCII letters matches an ASCII one ignoring case
# (tests/cleaners/lexicon/test_boilerplate.py checks both).
_WHOLE_ASCII_RX = re.compile(_WHOLE_RX.pattern)


def _split_alternatives(pattern: str) -> list[str]:
    """A pattern's top-level alternatives (escapes, classes and groups skipped over)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":  # to the closing bracket ("]" first in the class is a member)
            i += 2 if pattern[i + 1:i + 2] in ("]", "^") else 1
            while pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return parts + [pattern[start:]]


def _first_letter(alternative: str) -> str | None:
    """The character every match of the alternative starts with, when that is a plain
    letter or digit of any script (not made optional by ?, * or {0,n}); None when not known."""
    first = alternative[:1]
    if first.isalnum() and alternative[1:2] not in ("?", "*", "{"):
        return first
    return None


# A lower-cased ASCII line opening with a word character leaves [\s\W]* nothing to take: only
# the phrases that can start with that character can match, so the regex of just those
# phrases (per reason, in order) matches the same. Built for each first character on use.
_WHOLE_PHRASES = [(i, r, _split_alternatives(p[3:-1])) for i, (r, p) in enumerate(_WHOLE)]
assert all(p == "(?:" + "|".join(alts) + ")" for (_, p), (_, _, alts) in zip(_WHOLE, _WHOLE_PHRASES))
_WHOLE_BY_FIRST: dict[str, re.Pattern | None] = {}


def _whole_ascii_match(low: str) -> re.Match | None:
    """_WHOLE_ASCII_RX.match(low) for a lower-cased ASCII line."""
    first = low[:1]
    if not (first.isalnum() or first == "_"):
        return _WHOLE_ASCII_RX.match(low)
    rx = _WHOLE_BY_FIRST.get(first, False)
    if rx is False:
        groups = [(i, r, "(?:" + "|".join(kept) + ")") for i, r, alts in _WHOLE_PHRASES
                  if (kept := [a for a in alts if _first_letter(a) in (None, first)])]
        rx = _WHOLE_BY_FIRST[first] = re.compile(_whole_pattern(groups)) if groups else None
    return rx.match(low) if rx is not None else None


_ANY_RX = re.compile(
    "|".join(f"(?P<a{i}_{_REASONS.index(r)}>{p})" for i, (r, p) in enumerate(_ANYWHERE)), _F)
# The same, case-sensitive, for lower-cased ASCII lines (as _WHOLE_ASCII_RX; a search tries
# every position of the line, so skipping alternatives by first letter pays even more). The
# Turkish dotless ı matches "i" ignoring case: it gets that letter beside it.
_ANY_ASCII_RX = for_lowered_ascii(_ANY_RX.pattern)


def _any_match(text: str, low: str) -> re.Match | None:
    """_ANY_RX.search(text); `low`: text.lower()."""
    return _ANY_ASCII_RX.search(low) if text.isascii() else _ANY_RX.search(text)


# Cheap substring test before the big regex: every ANYWHERE pattern contains one of these
# (lower-cased). Searching ~100 alternatives at every position costs ~0.1 ms a line, so the
# triggers are as specific as the patterns allow ("read more", not "read", which every
# "already" or "thread" holds); cookie patterns in any language all contain "cookie".
_ANY_TRIGGERS = (
    "cookie", "©", "(c)", "copyright", "rights", "rechte", "droits", "derechos", "direitos", "diritti",
    "rechten", "права", "prawa", "hakları", "hak cipta", "무단", "저작권", "版权", "著作権", "الحقوق",
    "email", "e-mail", "required fields", "notify me", "save my", "veröffentlicht", "publiée",
    "publicada", "publicado", "pubblicato", "опубликован", "comments are closed", "post a comment",
    "commenting", "share ", "teilen", "partagez",
    "comparte", "compartilhe", "подел", "new window", "friends would", "newsletter", "inbox",
    "подпишитесь", "app store", "google play", "signed in", "subscribe", "password", "passwort",
    "mot de passe", "contraseña", "пароль", "already", "photo", "image", "picture", "foto", "bild",
    "фото", "zdjęcie", "imagen", "immagine", "getty", "shutterstock", "reuters/", "istock", "epa-efe",
    "also on", "read more", "read also", "also read", "read the", "reading the", "see also",
    "lesen sie", "lire aussi", "lee también", "leia também", "leggi anche", "читайте", "çerez", "쿠키",
    "クッキー", "ملفات", "inscrivez", "suscríbete",
    "assine", "iscriviti", "enter your", "get the app", "download", "herunterladen",
    "téléchargez", "descarga", "скачайте", "forgot", "olvidaste", "забыли", "click to",
)
_TRIGGER_SET = tuple(dict.fromkeys(_ANY_TRIGGERS))


def _any_candidate(low: str) -> bool:
    return any(t in low for t in _ANY_TRIGGERS)


# A trigger can only be on a page holding each of its byte trigrams (UTF-8: a substring of
# the text is a substring of its bytes). The page's trigrams are hashed into a bit table in one
# numpy pass, so only the triggers all of whose trigrams are there are searched for (about a
# fifth on a wcxb page; each search is a scan of the whole page's short lines).
_TRIGRAM_BITS = 16


def _trigram_slots(data: bytes) -> np.ndarray:
    """Hash slots of every 3-byte window of data (multiplicative hash of the 24-bit value)."""
    b = np.frombuffer(data, dtype=np.uint8).astype(np.uint32)
    windows = (b[:-2] << 16) | (b[1:-1] << 8) | b[2:]
    return (windows * np.uint32(2654435761)) >> np.uint32(32 - _TRIGRAM_BITS)


_TRIGGER_BYTES = [t.encode("utf-8") for t in _TRIGGER_SET]
_SHORT_TRIGGERS = [t for t, raw in zip(_TRIGGER_SET, _TRIGGER_BYTES) if len(raw) < 3]
_LONG_TRIGGERS = [t for t, raw in zip(_TRIGGER_SET, _TRIGGER_BYTES) if len(raw) >= 3]
_LONG_SLOTS = np.concatenate([_trigram_slots(raw) for raw in _TRIGGER_BYTES if len(raw) >= 3])
_LONG_STARTS = np.cumsum([0] + [len(raw) - 2 for raw in _TRIGGER_BYTES if len(raw) >= 3])[:-1]


def _candidate_lines(texts: list[str]) -> set[int]:
    """Indices of the lines holding a trigger: one substring scan of the whole page per
    trigger that can be there, instead of one per line and trigger (a page has hundreds of
    lines)."""
    lows = [t.lower() for t in texts]
    low = "\n".join(lows)
    starts = list(accumulate((len(t) + 1 for t in lows), initial=0))
    present = np.zeros(1 << _TRIGRAM_BITS, dtype=bool)
    present[_trigram_slots(low.encode("utf-8", "surrogatepass"))] = True
    possible = np.logical_and.reduceat(present[_LONG_SLOTS], _LONG_STARTS)
    found: set[int] = set()
    for trigger in _SHORT_TRIGGERS + [t for t, ok in zip(_LONG_TRIGGERS, possible.tolist()) if ok]:
        i = low.find(trigger)
        while i >= 0:
            k = bisect_right(starts, i) - 1
            found.add(k)
            i = low.find(trigger, starts[k + 1])
    return found


def _reason_of(m: re.Match) -> str:
    return _REASONS[int(m.lastgroup.rsplit("_", 1)[1])]


def is_icon_clutter(line: str, low: str | None = None) -> bool:
    """Three or more icon-font names make up most of the line (`low`: line.lower(), when the
    caller has it)."""
    if "icon" not in (line.lower() if low is None else low):
        return False
    hits = _ICON_TOKEN.findall(line)
    if len(hits) < 3:
        return False
    words = line.split()
    return len(hits) >= 0.3 * len(words)


def boilerplate_reasons(lines: list[str]) -> list[str | None]:
    """boilerplate_reason for every line of a page, cheaper than one call per line."""
    texts = [line.strip() for line in lines]
    # Pages repeat lines (menus, prices, "Reply"): each distinct line is judged once. The
    # ANYWHERE rules need a trigger, looked for only in the short lines no other rule named
    # (long prose lines hold most of a page's characters).
    memo: dict[str, str | None] = {}
    pending: list[str] = []
    for text in dict.fromkeys(texts):
        if text:
            memo[text], n_words = _rule_reason_recent(text)
            if memo[text] is None and n_words <= MAX_WORDS_ANYWHERE:
                pending.append(text)
    for k in _candidate_lines(pending):
        m = _any_match(pending[k], pending[k].lower())
        if m:
            memo[pending[k]] = _reason_of(m)
    return [memo[text] if text else None for text in texts]


def boilerplate_reason(line: str) -> str | None:
    """Reason code when the line is known boilerplate phrasing, else None."""
    text = line.strip()
    if not text:
        return None
    return _reason(text, _any_candidate(text.lower()))


def _reason(text: str, candidate: bool) -> str | None:
    reason, n_words = _rule_reason(text)
    if reason is None and candidate and n_words <= MAX_WORDS_ANYWHERE:
        m = _any_match(text, text.lower())
        if m:
            return _reason_of(m)
    return reason


def _rule_reason(text: str) -> tuple[str | None, int]:
    """The reason of every rule but ANYWHERE's, and the line's word count."""
    # Words counted only as far as the largest limit below (long lines are the costly ones).
    n_words = len(text.split(maxsplit=MAX_WORDS_ANYWHERE))
    is_ascii = text.isascii()
    if n_words <= MAX_WORDS_ANYWHERE and not is_ascii:
        # Chinese, Japanese, Thai paragraphs have no spaces: one "word" by split()
        n_words = max(n_words, int(word_units(text)))
    low = text.lower()  # shared by the icon test and the ASCII lines' case-sensitive rules
    if is_icon_clutter(text, low):
        return "icons", n_words
    if n_words <= MAX_WORDS_WHOLE:
        if (_LANG_SWITCH_ASCII.match(low) if is_ascii else _LANG_SWITCH.match(text)):
            return "lang-switcher", n_words
    if n_words <= 20 and (_PREV_NEXT_ASCII.match(low) if is_ascii else _PREV_NEXT.match(text)):
        return "nav", n_words
    if n_words <= MAX_WORDS_WHOLE:
        m = _whole_ascii_match(low) if is_ascii else _WHOLE_RX.match(text)
        if m:
            return _reason_of(m), n_words
    return None, n_words


_rule_reason_recent = for_recent_lines(_rule_reason)  # menus and footers recur across pages
