"""The package's shape: one import root, data flowing one way, SQL only in deboil.db."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "deboil"
SQL_CALLS = {"execute", "executemany", "executescript", "connect"}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """deboil modules that `name` imports, at any depth of its code."""
    out = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    # A package's __init__ re-exporting its modules is not an edge back into itself.
    return {m: {t for t in imports_of(m, p, known) if not (p.name == "__init__.py" and t.startswith(m + "."))}
            for m, p in mods.items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(g.get(node, ())):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node)
    return found


def test_no_import_circle():
    assert cycles(graph()) == []


def test_data_flows_one_way():
    """models imports nothing of deboil; cleaners import neither the crawler nor the db."""
    g = graph()
    assert g["deboil.models"] == set()
    for mod, targets in g.items():
        if mod.startswith("deboil.cleaners"):
            bad = {t for t in targets if t.startswith(("deboil.crawler", "deboil.db", "deboil.run"))}
            assert not bad, (mod, bad)
        if mod.startswith(("deboil.crawler", "deboil.db")):
            assert not {t for t in targets if t.startswith(("deboil.run", "deboil.cli"))}, mod
    pipeline = g["deboil.cleaners.pipeline"]
    assert pipeline <= {"deboil.models"}, pipeline


def test_sql_only_in_db():
    offenders = []
    for name, path in modules().items():
        if name.startswith("deboil.db"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_CALLS):
                owner = ast.unparse(node.func.value)
                if node.func.attr != "connect" or owner == "sqlite3":
                    if node.func.attr == "connect" or "conn" in owner or "db" in owner or "sqlite" in owner:
                        offenders.append(f"{name}:{node.lineno} {ast.unparse(node.func)}")
    assert offenders == []


def test_importing_changes_no_other_library():
    """Patches of trafilatura, htmldate, jusText and lxml wait for a pipeline to be built."""
    code = (
        "import htmldate.extractors as h, trafilatura.external as e, trafilatura.xpaths as x\n"
        "import trafilatura.utils as u\n"
        "from trafilatura.utils import HTML_PARSER\n"
        "before = (h._external_date, e.jt_stoplist_init, list(x.BODY_XPATH), HTML_PARSER.makeelement('p').__class__, u.INVALID_XML_CHARS)\n"
        "import pkgutil, importlib, deboil\n"
        "for m in pkgutil.walk_packages(deboil.__path__, 'deboil.'):\n"
        "    m.name.endswith('__main__') or importlib.import_module(m.name)\n"
        "after = (h._external_date, e.jt_stoplist_init, list(x.BODY_XPATH), HTML_PARSER.makeelement('p').__class__, u.INVALID_XML_CHARS)\n"
        "assert before == after, 'an import patched a library'\n"
        "from deboil.cleaners import default_pipeline\n"
        "default_pipeline()\n"
        "assert h._external_date is not before[0], 'building a pipeline installs the patches'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr


def test_wheel_ships_one_root():
    text = (REPO / "pyproject.toml").read_text()
    assert 'include = ["deboil*"]' in text
    assert not any((REPO / top).exists() for top in ("cleaners", "crawler", "db"))
