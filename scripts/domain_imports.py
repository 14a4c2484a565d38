"""Which domain of `app/` imports which: one line per pair, `importer -> imported  (files)`.

A domain is a folder of `app/` (`auth`, `declarations`, `text`, ...); modules at the top of
`app/` (`db`, `errors`, `deps`, ...) are the shared frame, not domains, and are left out.
`tests/test_domain_imports.py` holds the directions this must keep.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def domains() -> list[str]:
    return sorted(p.name for p in APP.iterdir() if (p / "__init__.py").exists())


def imported_modules(path: Path) -> set[str]:
    """Every `app.…` module a file imports when it runs, at the top or inside a function
    (imports under `if TYPE_CHECKING:` are for the type checker only, and left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            node.body = []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m.startswith("app.")}


def domain_imports() -> dict[tuple[str, str], set[str]]:
    """(importer, imported) -> the importer's files that do it."""
    known = set(domains())
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for domain in known:
        for path in sorted((APP / domain).rglob("*.py")):
            for module in imported_modules(path):
                target = module.split(".")[1]
                if target in known and target != domain:
                    pairs[(domain, target)].add(str(path.relative_to(APP.parent)))
    return dict(pairs)


def cycles(pairs: dict[tuple[str, str], set[str]]) -> list[tuple[str, str]]:
    """Pairs of domains that import each other."""
    return sorted({tuple(sorted(p)) for p in pairs if (p[1], p[0]) in pairs})  # type: ignore[misc]


def main() -> None:
    pairs = domain_imports()
    for (importer, imported), files in sorted(pairs.items()):
        print(f"{importer} -> {imported}  ({', '.join(sorted(files))})")
    for a, b in cycles(pairs):
        print(f"cycle: {a} <-> {b}", file=sys.stderr)


if __name__ == "__main__":
    main()
