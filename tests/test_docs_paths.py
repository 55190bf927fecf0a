"""The documentation names only files that exist: every repository path in the Markdown docs.

The documents are README.md, datasets/README.md and docs/*.md.

A path is taken from inline code (`course/datasets/`, `tests/test_cli_basics.py`,
`notebooks/01_…`) and from the plain fenced blocks that draw a folder tree (the
package layout in docs/architecture.md, the course folder in docs/nbgrader.md).
Placeholders become wildcards (`aNN` -> two digits, `…`/`...`/`<id>` -> anything)
and must match at least one file. A path is found from the repository root or
as the tail of a repository path: a bare file name (`review.py`) or a path
relative to its package (`variants/aNN.py` in the course.grading section).
Things created at run time (the instructor's course folders, reports, the
virtual environment) are listed in RUN_TIME below; paths outside the repository
(absolute, `~`, `..`), paths in other projects (ELSEWHERE) and URLs are not
repository paths.

Also here: every package-data pattern in pyproject.toml matches a packaged file.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", ROOT / "datasets" / "README.md", *(ROOT / "docs").glob("*.md")])

#: Paths the documents name that exist only once something has run: nbgrader's
#: folders and gradebook, grading records and reports, exports, the instructor's
#: class list, Moodle's downloads and their copies, user-placed data files and the
#: virtual environment.
RUN_TIME = (
    ".venv/*",
    "release/*",
    "submitted/*",
    "autograded/*",
    "feedback/*",
    "gradebook.db",
    "informes/*",
    "estados.csv",
    "revision.csv",
    "resultados/*",
    "grades.csv",
    "alumnos.csv",
    "curso_demo/*",
    "kernel_work/*",
    "answers/*",
    "moodle/*",
    "timestamp.txt",
    "Train.csv",
    "*/Train.csv",
    "kaggle.json",
    "*fashion-mnist/*",
    "*shipping/*",
)
#: Paths inside other projects' repositories (cited as sources: TFDS, Moodle).
ELSEWHERE = ("tensorflow_datasets/*", "mod/assign*")

_EXTENSIONS = r"py|md|ipynb|toml|cfg|json|csv|png|html|j2|css|txt|db|gz|yml|yaml"
_FILE_NAME = re.compile(rf"^[\w<>…*.-]*[\w>…*-]\.({_EXTENSIONS})$")
_INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
_SKIP_WALK = {".git", ".venv", "__pycache__", "node_modules", ".pytest_cache", ".ruff_cache"}


def _repository_files() -> list[str]:
    """Every file and folder of the checkout (relative POSIX paths, folders end in '/')."""
    found: list[str] = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in _SKIP_WALK and not d.endswith(".egg-info")]
        rel = Path(folder).relative_to(ROOT).as_posix()
        prefix = "" if rel == "." else rel + "/"
        found += [prefix + d + "/" for d in dirs]
        found += [prefix + f for f in files]
    return found


def _is_path(token: str) -> bool:
    if any(c.isspace() for c in token) or "://" in token or "=" in token or "(" in token:
        return False
    if token.startswith(("/", "~", "$", "-", "..", "%", "#")):
        return False
    if "/" in token:
        return bool(re.fullmatch(r"[\w.<>…*/-]+", token)) and not token.startswith(".")
    return bool(_FILE_NAME.match(token))


def _as_pattern(path: str) -> str:
    pattern = re.sub(r"\baNN(?![A-Za-z])", "a[0-9][0-9]", path)
    pattern = re.sub(r"<[^>]*>", "*", pattern)
    return pattern.replace("…", "*").replace("...", "*")


def _tree_paths(block: list[str]) -> list[str]:
    """Paths drawn by a folder tree: each line's first word, nested by indentation."""
    paths: list[str] = []
    stack: list[tuple[int, str]] = []
    for line in block:
        stripped = line.lstrip(" ")
        if not stripped:
            continue
        token = stripped.split()[0]
        if not _is_path(token):
            continue
        indent = len(line) - len(stripped)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        full = (stack[-1][1] if stack else "") + token
        paths.append(full)
        if token.endswith("/"):
            stack.append((indent, full))
    return paths


def named_paths(text: str) -> list[str]:
    """The repository paths a Markdown document names (see the module docstring)."""
    paths: list[str] = []
    prose: list[str] = []
    block: list[str] | None = None
    language = ""
    for line in text.splitlines():
        if line.startswith("```"):
            if block is None:
                block, language = [], line[3:].strip()
            else:
                if not language:  # plain blocks draw trees; bash blocks are commands
                    paths += _tree_paths(block)
                block = None
            continue
        if block is not None:
            block.append(line)
        else:
            prose.append(line)
    paths += [m.strip() for m in _INLINE.findall("\n".join(prose)) if _is_path(m.strip())]
    return paths


def _exists(path: str, files: list[str]) -> bool:
    """Whether ``path`` (a folder when it ends in '/') is a repository path or the tail of one."""
    pattern = _as_pattern(path).rstrip("/")
    names = [f.rstrip("/") for f in files if f.endswith("/") == path.endswith("/")]
    return any(fnmatch.fnmatch(n, pattern) or fnmatch.fnmatch(n, "*/" + pattern) for n in names)


def _run_time(path: str) -> bool:
    return any(fnmatch.fnmatch(_as_pattern(path), pattern) for pattern in RUN_TIME + ELSEWHERE)


def test_the_path_finder_reads_inline_code_and_trees() -> None:
    text = (
        "See `course/datasets/` and `tests/test_x.py`, not `course data` or `load_xor()`.\n"
        "```\ncourse/\n  checks.py     results\n  grading/\n    report.py   x\n```\n"
        "```bash\npython scripts/not_a_tree.py\n```\n"
    )
    assert named_paths(text) == [
        "course/",
        "course/checks.py",
        "course/grading/",
        "course/grading/report.py",
        "course/datasets/",
        "tests/test_x.py",
    ]
    files = ["course/", "course/checks/", "course/checks/__init__.py", "notebooks/01_a.ipynb"]
    assert not _exists("course/checks.py", files)
    assert _exists("course/checks/", files) and _exists("__init__.py", files)
    assert _exists("checks/__init__.py", files) and not _exists("checks/", ["course/checks.py"])
    assert _exists("notebooks/01_…", files) and not _exists("notebooks/02_…", files)
    assert _run_time("informes/aNN_notas.csv") and not _run_time("tests/test_import.py")
    assert _run_time("<folder>/shipping/") and not _run_time("course/datasets/shipping.py")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_path_a_document_names_exists(doc: Path) -> None:
    files = _repository_files()
    named = named_paths(doc.read_text(encoding="utf-8"))
    missing = sorted({p for p in named if not _run_time(p) and not _exists(p, files)})
    assert missing == [], f"{doc.name} names paths that do not exist: {missing}"


def test_package_data_patterns_match_files() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    empty = [
        f"{package}: {pattern}"
        for package, patterns in package_data.items()
        for pattern in patterns
        if not [p for p in (ROOT / package.replace(".", "/")).glob(pattern) if p.is_file()]
    ]
    assert empty == [], f"package-data patterns that match no file: {empty}"
