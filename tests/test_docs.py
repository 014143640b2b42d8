"""The user docs keep up with the code: every command documented, no link that leads nowhere.

Commands are read from the click group at run time, so a command added later fails here
until the README's tour or a page in docs/ shows it.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import click
import pytest

from deboil.cli import main

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS_DIR = REPO / "docs"
PAGES = [README, REPO / "CHANGELOG.md", *sorted(DOCS_DIR.rglob("*.md"))]
# Not there in a fresh clone: the benchmark data folder beside the repository.
SHARED_DESIGN = "shared/" + "design.md"  # split so this file does not name it itself

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # http:, https:, mailto:, file:...


def commands(group: click.Group = main, prefix: str = "") -> list[str]:
    """Every visible command as a user types it after `deboil`, subcommands of groups too."""
    ctx = click.Context(group)
    found = []
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None or cmd.hidden:
            continue
        found.append(prefix + name)
        if isinstance(cmd, click.Group):
            found += commands(cmd, prefix + name + " ")
    return found


def code_lines(text: str) -> list[str]:
    """Lines inside fenced code blocks: where the README shows commands to run."""
    return [line.strip().removeprefix("$ ") for block in FENCE.finditer(text)
            for line in block.group(0).splitlines()[1:-1]]


def prose(text: str) -> str:
    """Markdown without its code, where a link is a link and not an example."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def links(text: str) -> list[str]:
    body = prose(text)
    return [m.group(1) for pattern in (LINK, REFERENCE, HTML_LINK) for m in pattern.finditer(body)]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: text only, lower case, punctuation out, spaces to -."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"[`*_~]|<[^>]+>", "", text).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for m in HEADING.finditer(FENCE.sub("", page.read_text(encoding="utf-8"))):
        base = slug(m.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def test_commands_are_found():
    """The enumeration itself: the commands the contract names are there."""
    found = commands()
    assert {"load", "crawl", "export"} <= set(found), found


@pytest.mark.parametrize("command", commands())
def test_every_command_is_documented(command):
    pattern = re.compile(rf"\bdeboil {re.escape(command)}(?![\w-])")
    in_tour = any(pattern.match(line) for line in code_lines(README.read_text(encoding="utf-8")))
    in_docs = [p.name for p in DOCS_DIR.rglob("*.md") if pattern.search(p.read_text(encoding="utf-8"))]
    assert in_tour or in_docs, (
        f"`deboil {command}` is in neither the README's tour (a code-block line starting with "
        f"`deboil {command}`) nor any page in docs/")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_resolve_inside_the_repository(page):
    assert page.exists(), page
    broken = []
    for target in links(page.read_text(encoding="utf-8")):
        if EXTERNAL.match(target):
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if REPO.resolve() not in (dest, *dest.parents):
            broken.append(f"{target}: outside the repository (a fresh clone has no such file)")
        elif not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target}: no heading with anchor #{anchor} in {dest.name}")
    assert broken == [], f"{page.relative_to(REPO)}: " + "; ".join(broken)


def repository_text_files() -> list[Path]:
    """Source and text files of the repository, not of the venv or build output."""
    skip = {".git", ".venv", "build", "dist", "__pycache__", "node_modules", ".pytest_cache"}
    found = []
    for folder, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in skip and not d.endswith(".egg-info")]
        found += [Path(folder, f) for f in files
                  if Path(f).suffix in {".py", ".md", ".toml", ".txt", ".cfg", ".ini", ".yml", ".yaml"}
                  or f in {"Makefile", "run"}]
    return found


def test_nothing_refers_to_the_shared_design_notes():
    """The contracts live in docs/design.md now; ../shared/ is not part of the repository."""
    linking = [str(p.relative_to(REPO)) for p in PAGES
               if any("../shared/" in target for target in links(p.read_text(encoding="utf-8")))]
    naming = [str(p.relative_to(REPO)) for p in repository_text_files()
              if SHARED_DESIGN in p.read_text(encoding="utf-8", errors="replace")]
    assert (linking, naming) == ([], [])


def test_readme_stays_a_guide():
    """Short enough to read (design notes belong in docs/, history in CHANGELOG.md), and it
    keeps the two commands users are told to type."""
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 160
    assert "make run" in text and "make test" in text
