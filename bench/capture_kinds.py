"""Synthetic captures of non-article pages: does each kind keep its content units?

    PYTHONPATH=. .venv/bin/python -m bench.capture_kinds     (also the last lines of `bench capture_short`)

Plain-text captures as a browser's copy of the rendered page looks (one block a line) of four
page kinds, built from the sentences of ../shared/bench/language/sentences (one language a
page), inside site chrome (a menu, a search box label, breadcrumbs, a cookie line, a footer):

- forum thread: a title, 4-8 posts, each a user name, a date/time line, a post of 1-4
  sentences and a "Reply | Quote" line; units: the posts;
- product page: a name, a price, "Add to cart", a description of 3 sentences, a spec list
  ("Weight: 2.1 kg"), 2-3 reviews (a name, stars, a review); units: description, spec lines,
  reviews;
- listing (search results): 10 items, each a title line, a one-sentence snippet and a meta
  line; units: the items (title and snippet);
- documentation: a title, headings, prose paragraphs, code lines (`pip install ...`,
  `def f(x):`) and a parameter list; units: headings, prose, code lines, parameters.

Each page goes through the whole pipeline (`clean(RawPage(..., kind="text"))`). A unit is
kept whole when none of its lines was removed (a headline moved into the title counts as
kept); chrome leaked is the share of chrome lines left in the stored text. Seeded.
"""
from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from deboil.cleaners import RawPage, clean

PAGES_PER_LANGUAGE = 4
KINDS = ("forum", "product", "listing", "docs")

MENU = ["Home", "Products", "Community", "Blog", "Support", "About", "Contact", "Sign in", "Register"]
SEARCH = ["Search", "Search this site"]
COOKIE = "We use cookies to improve your experience. By using this site you accept our use of cookies. Accept"
FOOTER = ["About us", "Careers", "Privacy policy", "Terms of use", "Follow us on Facebook",
          "© 2024 Example Ltd. All rights reserved."]
SITE_CHROME = MENU + [COOKIE] + FOOTER  # on every page of the site
USERS = ["mika_77", "Jordan K.", "astra", "Pedro Alves", "nightowl", "K. Tanaka", "lena.b", "OldTimer",
         "sam_r", "Ilse", "quietfox", "Raj"]
SPEC_LABELS = ["Weight", "Dimensions", "Colour", "Material", "Power", "Battery", "Warranty", "Model number"]


@dataclass
class Page:
    kind: str
    lang: str
    lines: list[str]
    chrome: list[str]
    units: dict[str, list[list[str]]] = field(default_factory=dict)  # unit kind -> its units' lines


class Sentences:
    """A page's sentences, drawn without replacement (a title is no post's sentence)."""

    def __init__(self, rng: random.Random, sents: list[str]):
        self.left = rng.sample(sents, len(sents))

    def take(self, n: int = 1) -> list[str]:
        out, self.left = self.left[:n], self.left[n:]
        return out

    def text(self, n: int) -> str:
        return " ".join(self.take(n))

    def words(self, n: int) -> str:
        """The first n words of a sentence (2n characters in scripts written without spaces)."""
        s = self.take()[0]
        cut = " ".join(s.split()[:n]) if s.count(" ") >= n else s[:2 * n + 4]
        return cut.rstrip(".,;:!?。、！？।۔ ")


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1, 28)} {rng.choice(['Jan', 'Mar', 'May', 'Aug', 'Nov'])} 2024, {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"


def _chrome(rng: random.Random, section: str) -> tuple[list[str], list[str]]:
    head = MENU + [rng.choice(SEARCH), f"Home > {section} > Page {rng.randint(2, 40)}"]
    return head, [COOKIE] + FOOTER


def forum(rng, lang, sents: Sentences) -> Page:
    head, foot = _chrome(rng, "Forums")
    title = sents.words(7)
    lines, posts = [title, f"{rng.randint(2, 9)} replies · {rng.randint(50, 900)} views"], []
    for _ in range(rng.randint(4, 8)):
        post = sents.text(rng.randint(1, 4))
        lines += [rng.choice(USERS), _date(rng), post, "Reply | Quote"]
        posts.append([post])
    chrome = head + foot + [l for l in lines if l != title and [l] not in posts]
    return Page("forum", lang, head + lines + foot, chrome, {"title": [[title]], "post": posts})


def product(rng, lang, sents: Sentences) -> Page:
    head, foot = _chrome(rng, "Shop")
    name = sents.words(5)
    description = sents.text(3)
    values = {"Weight": f"{rng.randint(1, 9)}.{rng.randint(0, 9)} kg",
              "Dimensions": f"{rng.randint(10, 60)} x {rng.randint(10, 60)} x {rng.randint(2, 20)} cm",
              "Colour": sents.take()[0].split()[0].strip(".,")[:20], "Material": sents.take()[0].split()[-1].strip(".,")[:20],
              "Power": f"{rng.randint(5, 120)} W", "Battery": f"{rng.randint(1000, 5000)} mAh",
              "Warranty": f"{rng.randint(1, 5)} years", "Model number": f"EX-{rng.randint(100, 999)}"}
    specs = [f"{label}: {values[label]}" for label in rng.sample(SPEC_LABELS, rng.randint(4, 7))]
    reviews = []
    review_lines = []
    for _ in range(rng.randint(2, 3)):
        text = sents.text(rng.randint(1, 2))
        review_lines += [rng.choice(USERS), rng.choice(["★★★★★", "★★★★☆", "★★★☆☆"]), text]
        reviews.append([text])
    price = f"€{rng.randint(9, 900)}.{rng.choice(['00', '49', '99'])}"
    lines = ([name, price, "In stock", "Quantity", "Add to cart", "Description", description, "Specifications"]
             + specs + [f"Customer reviews ({len(reviews)})"] + review_lines)
    chrome = head + foot + ["In stock", "Quantity", "Add to cart"]
    return Page("product", lang, head + lines + foot, chrome,
                {"title": [[name]], "description": [[description]], "spec": [[s] for s in specs], "review": reviews})


def listing(rng, lang, sents: Sentences) -> Page:
    head, foot = _chrome(rng, "Search")
    lines, items = [f"Results for “{sents.take()[0].split()[0].strip('.,')[:20]}” (10)"], []
    for n in range(10):
        title, snippet = sents.words(rng.randint(4, 8)), sents.text(1)
        lines += [title, snippet, f"example.org/{n + 1} · {_date(rng)[:-7]} · {rng.randint(2, 12)} min read"]
        items.append([title, snippet])
    pager = ["Previous", "1", "2", "3", "Next"]
    return Page("listing", lang, head + lines + pager + foot, head + foot + pager, {"title": [lines[:1]], "item": items})


CODE = [["pip install examplelib"], ["import examplelib", "result = examplelib.run(data, limit=10)"],
        ["def scale(x, factor=2):", "    return x * factor"], ["$ examplelib --config settings.toml --verbose"]]


def docs(rng, lang, sents: Sentences) -> Page:
    head, foot = _chrome(rng, "Documentation")
    title = sents.words(5)
    lines, units = [title], defaultdict(list)
    units["title"].append([title])
    for code in CODE:
        heading = sents.words(rng.randint(2, 4))
        prose = sents.text(rng.randint(1, 3))
        lines += [heading, prose, *code]
        units["heading"].append([heading])
        units["prose"].append([prose])
        units["code"] += [[c] for c in code]
    params = [f"{name} ({typ}) – {sents.text(1)}" for name, typ in
              (("data", "list"), ("limit", "int"), ("verbose", "bool"))]
    lines += ["Parameters"] + params + ["Edit this page", "Was this page helpful? Yes No", "Next: Configuration"]
    units["parameter"] = [[p] for p in params]
    chrome = head + foot + ["Edit this page", "Was this page helpful? Yes No", "Next: Configuration"]
    return Page("docs", lang, head + lines + foot, chrome, dict(units))


BUILDERS = {"forum": forum, "product": product, "listing": listing, "docs": docs}


def pages(data: dict[str, list[str]], seed: int = 0, per_language: int = PAGES_PER_LANGUAGE) -> list[Page]:
    rng = random.Random(seed)
    return [BUILDERS[kind](rng, lang, Sentences(rng, data[lang]))
            for lang in sorted(data) for kind in KINDS for _ in range(per_language)]


@dataclass
class Outcome:
    units: dict[str, list[bool]]  # unit kind -> kept whole, per unit
    lost: Counter  # (unit kind, reason) -> lines
    title: bool  # the page's title found
    leaked: list[str]  # chrome lines left in the text
    chrome: int


def judge(page: Page) -> Outcome:
    out = clean(RawPage(url=f"{page.kind}.txt", body="\n".join(page.lines).encode("utf-8"), kind="text"))
    removed: dict[str, str] = {}
    for r in out.removed:
        removed.setdefault(r.text, r.reason)
    lost: Counter = Counter()
    units: dict[str, list[bool]] = defaultdict(list)
    for kind, group in page.units.items():
        for unit in group:
            reasons = [removed[line.strip()] for line in unit if line.strip() in removed]  # lines are stripped
            if kind == "title":  # moved into the title, or kept as a line of the text
                reasons = [r for r in reasons if not (r == "title" and out.title == unit[0])]
            units[kind].append(not reasons)
            lost.update((kind, r) for r in reasons)
    title = units.pop("title", [True])[0]
    chrome = set(page.chrome)
    return Outcome(dict(units), lost, title, [line for line in chrome if line not in removed], len(chrome))


def measure(data: dict[str, list[str]], seed: int = 0, per_language: int = PAGES_PER_LANGUAGE) -> dict:
    res: dict = {k: {"pages": 0, "whole": 0, "titles": 0, "units": defaultdict(list), "lost": Counter(),
                     "leaked": 0, "chrome": 0, "langs": Counter()} for k in KINDS}
    for page in pages(data, seed, per_language):
        o, r = judge(page), res[page.kind]
        whole = all(all(v) for v in o.units.values())
        r["pages"] += 1
        r["whole"] += whole
        r["titles"] += o.title
        for kind, flags in o.units.items():
            r["units"][kind] += flags
        r["lost"] += o.lost
        r["leaked"] += len(o.leaked)
        r["chrome"] += o.chrome
        r["langs"][page.lang] += not whole
    return res


def report(res: dict) -> None:
    for kind, r in res.items():
        parts = ", ".join(f"{u} {sum(f) / len(f):.1%}" for u, f in r["units"].items())
        print(f"  synthetic {kind} pages ({r['pages']}): every unit whole {r['whole'] / r['pages']:.1%} "
              f"({parts}); title kept {r['titles'] / r['pages']:.1%}; chrome leaked {r['leaked'] / r['chrome']:.1%}")
        if r["lost"]:
            print("    lost lines by unit/reason: " + ", ".join(f"{u}/{why} {n}" for (u, why), n in r["lost"].most_common(8)))
            print("    pages failing, by language: " + " ".join(f"{l} {n}" for l, n in r["langs"].most_common(12) if n))


def main() -> None:
    from bench.capture_short import load

    report(measure(load()))


if __name__ == "__main__":
    main()
