"""The labelled near-duplicate set (issue 17): benchmark bodies re-published on made-up sites.

Each made-up site has a template of its own (masthead, navigation, a "most read" box that
varies page to page, newsletter box, footer) and a kind: HTML pages or whole-page text
captures. A body chosen as "syndicated" is placed on 2-4 sites; its first placement is the
body as it is, the others are edited copies (a paragraph dropped, two paragraphs swapped, an
editor's note added, a few words changed, a wire dateline prepended: 0-2 edits each), and a
few also get a second url on the same site (a print view). A third of a site's stories end
with the site's standard paragraph (a disclaimer or "about us" of ~50 words, inside the
story), which makes two different stories of one site look alike. Follow-up stories are
hard negatives too: a new body that borrows one or two background paragraphs from an
earlier story, on that story's site. Every other chosen body appears
once, on one site: those are the negatives, other articles sharing a site's template. Each
site also gets pages that are only its template (a tag page with no stories), which must
never be called copies of each other.

Labels: `labels.json` maps each file's path to its body id (null for template-only pages),
and each body id to its source domain, the group for grouped cross-validation.
"""
from __future__ import annotations

import html
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .paths import find_shared

MAX_WORDS = 1500  # long bodies are cut at a paragraph end: the cleaning cost, not the signal
MIN_BODY_WORDS = 30  # shorter truths are mostly empty pages of the benchmark

_FIRST = ["Harbour", "Valley", "Northern", "Civic", "Riverside", "Summit", "Coastal", "Metro"]
_SECOND = ["Herald", "Courier", "Ledger", "Observer", "Dispatch", "Tribune", "Post", "Review"]
_SECTIONS = ["Home", "News", "Politics", "Business", "Science", "Culture", "Sport", "Opinion",
             "Travel", "Weather", "Podcasts", "Video"]
_HEADLINE_WORDS = ("council budget storm harbour school election market bridge festival museum "
                   "court hospital rail strike farmers library river mayor airport stadium "
                   "energy prices housing tourists wildfire vote plan report").split()
_NOTES = [
    "Editor's note: an earlier version of this story misstated a date. It has been corrected.",
    "This article was updated with additional reporting and a response from the company.",
    "Correction: a previous version of this article gave the wrong title for one of the people quoted.",
    "This story was produced in partnership with a regional news agency and edited for length.",
]
_DATELINES = ["PARIS (Wire) —", "LONDON (Reuters) -", "NEW YORK (AP) —", "BERLIN (dpa) —"]
_STANDARD = [
    "{name} is an independent newsroom funded by its readers. We do not accept money from the "
    "people and companies we report on, and our journalists follow the editors' code of practice. "
    "If you think we got something wrong, write to the readers' editor; corrections are noted at the end of the story.",
    "This article is part of our regional reporting project, supported by a grant from a charitable "
    "foundation that has no say over what we cover. {name} keeps full editorial control. Tell us "
    "what is happening where you live: our reporters read every message and reply to most of them.",
    "About the author: our correspondent has covered the region for {name} for more than ten years, "
    "writing about politics, business and the environment, and has won two national awards for "
    "local reporting. You can follow the correspondent's work on the website and in the weekend edition.",
]
_SWAP_WORDS = ("said stated noted added reported however meanwhile also several many "
               "major important recent new large small officials people company city").split()


@dataclass
class Site:
    name: str
    kind: str  # "html" or "txt"
    nav: list
    headlines: list
    footer: list
    newsletter: str
    standard: str


def make_sites(n: int, rnd: random.Random) -> list[Site]:
    names = rnd.sample([f"{a} {b}" for a in _FIRST for b in _SECOND], n)
    sites = []
    for i, name in enumerate(names):
        heads = [" ".join(rnd.sample(_HEADLINE_WORDS, 5)).capitalize() for _ in range(12)]
        footer = [f"© 2024 {name} Media Ltd. All rights reserved.",
                  f"{name}, {rnd.randint(1, 99)} {rnd.choice(['Mill', 'Quay', 'Station'])} Street",
                  "About us · Contact · Advertise · Privacy policy · Cookie settings · Terms of use",
                  f"Send us your news tips at tips@{name.lower().replace(' ', '')}.example"]
        sites.append(Site(
            name=name, kind="html" if i % 2 == 0 else "txt",
            nav=rnd.sample(_SECTIONS, 8), headlines=heads, footer=footer,
            newsletter=f"Get the {name} morning briefing in your inbox every weekday. Sign up now.",
            standard=rnd.choice(_STANDARD).format(name=name)))
    return sites


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _trim(body: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    out, n = [], 0
    for p in paras:
        if n >= MAX_WORDS:
            break
        out.append(p)
        n += _words(p)
    return out


def load_bodies(shared: Path | None = None) -> dict[str, tuple[str, list[str]]]:
    """{body id: (domain, paragraphs)} from the article-extraction truths and the article
    truths of text-captures-wcxb."""
    shared = shared or find_shared()
    out = {}
    ae = json.loads((shared / "bench" / "article-extraction" / "ground-truth.json").read_text())
    for key, rec in ae.items():
        out[f"ae-{key[:12]}"] = (urlsplit(rec.get("url") or "").hostname or key, _trim(rec["articleBody"]))
    wx = json.loads((shared / "bench" / "text-captures-wcxb" / "ground-truth.json").read_text())
    for key, rec in wx.items():
        if rec.get("page_type") == "article":
            out[f"wx-{key}"] = (rec.get("domain") or key, _trim(rec["articleBody"]))
    return {k: v for k, v in out.items() if _words(" ".join(v[1])) >= MIN_BODY_WORDS}


def edit(paras: list[str], rnd: random.Random) -> tuple[list[str], list[str]]:
    """An edited copy of a body and the names of the edits made."""
    paras = list(paras)
    done = []
    for kind in rnd.sample(["drop", "swap", "note", "words", "dateline"], rnd.choice([0, 1, 1, 2])):
        if kind == "drop" and len(paras) > 3:
            del paras[rnd.randrange(1, len(paras))]
        elif kind == "swap" and len(paras) > 2:
            i = rnd.randrange(len(paras) - 1)
            paras[i], paras[i + 1] = paras[i + 1], paras[i]
        elif kind == "note":
            note = rnd.choice(_NOTES)
            paras = paras + [note] if rnd.random() < 0.5 else [note] + paras
        elif kind == "words":
            for _ in range(rnd.randint(3, 6)):
                i = rnd.randrange(len(paras))
                words = paras[i].split()
                words[rnd.randrange(len(words))] = rnd.choice(_SWAP_WORDS)
                paras[i] = " ".join(words)
        elif kind == "dateline":
            paras[0] = f"{rnd.choice(_DATELINES)} {paras[0]}"
        else:
            continue
        done.append(kind)
    return paras, done


def _title(paras: list[str]) -> str:
    words = paras[0].split()[:9]
    return " ".join(words).rstrip(",.;:") + "…"


def render_html(site: Site, title: str, paras: list[str], rnd: random.Random) -> str:
    e = html.escape
    nav = "".join(f'<li><a href="/{s.lower()}/">{e(s)}</a></li>' for s in site.nav)
    most = "".join(f'<li><a href="/story/{i}">{e(h)}</a></li>'
                   for i, h in enumerate(rnd.sample(site.headlines, 5)))
    body = "".join(f"<p>{e(p)}</p>" for p in paras)
    story = (f'<article><h1>{e(title)}</h1><p class="byline">By Staff Reporter</p>'
             f'<time datetime="2024-03-{rnd.randint(1, 28):02d}">March 2024</time>{body}</article>'
             if paras else '<section class="tag"><h1>Stories tagged “harbour”</h1></section>')
    foot = "".join(f"<p>{e(f)}</p>" for f in site.footer)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(title)} | {e(site.name)}'
            f'</title></head><body><header><div class="logo">{e(site.name)}</div><nav><ul>{nav}</ul></nav>'
            f'</header><main>{story}<aside class="most-read"><h2>Most read</h2><ol>{most}</ol></aside>'
            f'<div class="newsletter">{e(site.newsletter)}</div></main><footer>{foot}</footer></body></html>')


def render_capture(site: Site, title: str, paras: list[str], rnd: random.Random) -> str:
    head = [site.name, "\n".join(site.nav), title]
    if paras:
        head += [f"By Staff Reporter\n{rnd.randint(1, 28)} March 2024"]
    most = ["Most read\n" + "\n".join(rnd.sample(site.headlines, 5))]
    return "\n\n".join(head + paras + most + [site.newsletter, "\n".join(site.footer)]) + "\n"


def build(dest: Path, *, bodies: dict | None = None, n_dup: int = 150, n_single: int = 150,
          n_follow: int = 40, n_sites: int = 6, seed: int = 17) -> dict:
    """Write the set under `dest/<site>/` and return its labels (also in dest/labels.json)."""
    rnd = random.Random(seed)
    bodies = bodies if bodies is not None else load_bodies()
    ids = sorted(bodies)
    rnd.shuffle(ids)
    dup_ids, single_ids = ids[:n_dup], ids[n_dup:n_dup + n_single]
    follow_ids = ids[n_dup + n_single:n_dup + n_single + n_follow]
    placed: list[tuple[Site, str]] = []  # (site, body id) of each story, for follow-ups
    sites = make_sites(n_sites, rnd)
    files: dict[str, str | None] = {}
    edits: dict[str, list[str]] = {}

    def place(site: Site, slug: str, body_id: str | None, paras: list[str], title: str) -> None:
        if paras and rnd.random() < 1 / 3:
            paras = paras + [site.standard]
        folder = dest / slug_of(site.name)
        folder.mkdir(parents=True, exist_ok=True)
        render = render_html if site.kind == "html" else render_capture
        path = folder / f"{slug}.{site.kind}"
        path.write_text(render(site, title, paras, rnd), encoding="utf-8")
        files[str(path.resolve())] = body_id

    for bid in dup_ids:
        paras = bodies[bid][1]
        for j, site in enumerate(rnd.sample(sites, rnd.choice([2, 2, 3, 4]))):
            copy, done = (paras, []) if j == 0 else edit(paras, rnd)
            title = _title(paras) if rnd.random() < 0.5 else _title(copy[1:] or copy)
            place(site, f"{bid}-{j}", bid, copy, title)
            placed.append((site, bid))
            edits[f"{bid}-{j}"] = done
            if j > 0 and rnd.random() < 0.1:  # the same site's print view of its copy
                place(site, f"{bid}-{j}-print", bid, copy, title)
    for bid in single_ids:
        paras = bodies[bid][1]
        site = rnd.choice(sites)
        place(site, bid, bid, paras, _title(paras))
        placed.append((site, bid))
    for bid in follow_ids:
        site, earlier = rnd.choice(placed)
        paras = list(bodies[bid][1])
        # background, not the story: at most a third of the new story's length
        budget = _words(" ".join(paras)) // 3
        borrowed = [p for p in bodies[earlier][1] if 20 <= _words(p) <= budget]
        for p in rnd.sample(borrowed, min(len(borrowed), rnd.choice([1, 2]))):
            if _words(p) <= budget:
                paras.insert(rnd.randrange(1, len(paras) + 1), p)
                budget -= _words(p)
        place(site, f"{bid}-follows-{earlier}", bid, paras, _title(paras))
    for site in sites:
        for k in range(3):
            place(site, f"tag-{k}", None, [], f"Tag page {k}")
    labels = {"files": files, "groups": {b: bodies[b][0] for b in dup_ids + single_ids + follow_ids},
              "sites": {slug_of(s.name): s.kind for s in sites}, "edits": edits}
    (dest / "labels.json").write_text(json.dumps(labels, indent=1), encoding="utf-8")
    return labels


def slug_of(name: str) -> str:
    return name.lower().replace(" ", "-")
