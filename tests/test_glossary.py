"""One Spanish term per concept (docs/glosario.md), everywhere a student reads.

Kernel-free: the lecture notebooks and the source assignments are read as JSON
(markdown cells, and the string literals and comments of code cells), and the
package's user-facing strings are the string literals of ``course/`` that are not
docstrings. Each rule names a rejected form and the course's term; a rule with an
``unless`` pattern allows the form in a text that also matches it (``precisión`` is
right where the text is about the precision metric, next to recall).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = PROJECT_ROOT / "docs" / "glosario.md"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    term: str
    unless: re.Pattern[str] | None = None


RULES = (
    Rule(
        "precision-for-accuracy",
        re.compile(r"\bprecisi[oó]n(es)?\b(?<!\bprecision)", re.IGNORECASE),
        "exactitud (accuracy); «precisión» solo para la métrica precision",
        # the precision metric itself: next to recall, or the plot label of Keras' "precision"
        unless=re.compile(
            r"exhaustividad|\brecall\b|\(\*?precision\*?\)|keras\.metrics\.Precision|^Precisión$",
            re.IGNORECASE,
        ),
    ),
    Rule("ecm", re.compile(r"\bECM\b"), "error cuadrático medio (MSE)"),
    Rule(
        "error-cuadratico-sin-medio",
        # the loss is the *mean* squared error; «errores al cuadrado» (each term) is fine
        re.compile(r"\berror(es)? cuadr[aá]ticos?\b(?!\s+medios?\b)", re.IGNORECASE),
        "error cuadrático medio (MSE)",
    ),
    Rule("atajo", re.compile(r"\batajos?\b", re.IGNORECASE), "conexión directa"),
    Rule(
        "fuga-de-informacion",
        re.compile(r"\bfuga de informaci[oó]n\b", re.IGNORECASE),
        "fuga de datos",
    ),
    Rule("online", re.compile(r"\bonline\b", re.IGNORECASE), "en línea"),
    Rule(
        "sparse-in-prose",
        # allowed as the gloss «dispersa (*sparse*)» and inside API names
        re.compile(r"(?<!dispersa \(\*)(?<!dispersa \()\bsparse\b(?!_)", re.IGNORECASE),
        "dispersa (entropía cruzada categórica dispersa)",
    ),
)

_URL = re.compile(r"https?://\S+")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_FENCED_CODE = re.compile(r"```.*?```", re.DOTALL)


def _prose(text: str) -> str:
    """Text without URLs and without code spans (API names stay in English)."""
    return _INLINE_CODE.sub(" ", _FENCED_CODE.sub(" ", _URL.sub(" ", text)))


def _code_texts(source: str) -> list[str]:
    """String literals and comments of a code cell (what a student reads), prose-cleaned."""
    texts: list[str] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [_prose(source)]
    for token in tokens:
        if token.type == tokenize.COMMENT:
            texts.append(_prose(token.string))
        elif token.type == tokenize.STRING:
            texts.append(_prose(token.string))
        elif getattr(tokenize, "FSTRING_MIDDLE", None) == token.type:
            texts.append(_prose(token.string))
    return texts


def _notebook_units(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every markdown cell and every code cell of a notebook."""
    nb = nbformat.read(path, as_version=4)
    units = []
    for index, cell in enumerate(nb.cells):
        where = f"{path.relative_to(PROJECT_ROOT)} celda {index}"
        if cell.cell_type == "markdown":
            units.append((where, _prose(cell.source)))
        elif cell.cell_type == "code":
            units.append((where, "\n".join(_code_texts(cell.source))))
    return units


def _package_units(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every non-docstring string literal of a course module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    units = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                where = f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}"
                units.append((where, _prose(node.value)))
    return units


def violations(units: list[tuple[str, str]]) -> list[str]:
    found = []
    for where, text in units:
        for rule in RULES:
            match = rule.pattern.search(text)
            if match and not (rule.unless and rule.unless.search(text)):
                found.append(f"{where}: [{rule.name}] «{match.group(0)}» → usa «{rule.term}»")
    return found


NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ASSIGNMENTS = sorted((PROJECT_ROOT / "source_assignments").glob("a*/*.ipynb"))
MODULES = sorted(p for p in (PROJECT_ROOT / "course").rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", NOTEBOOKS + ASSIGNMENTS, ids=lambda p: p.stem[:3])
def test_notebook_uses_the_glossary_terms(path: Path) -> None:
    """Markdown and code-cell strings/comments use the course's one term per concept."""
    found = violations(_notebook_units(path))
    assert not found, "\n".join(found)


def test_package_messages_use_the_glossary_terms() -> None:
    """Checker messages, plot labels and CLI output of course/ use the glossary terms."""
    found = [v for path in MODULES for v in violations(_package_units(path))]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("text", "rule_name"),
    [
        ("precisión en prueba: 0.97", "precision-for-accuracy"),
        ("la red, con una MSE baja y un ECM de 0.1", "ecm"),
        (
            "El error cuadrático no es la pérdida adecuada para clasificar.",
            "error-cuadratico-sin-medio",
        ),
        ("los errores cuadráticos sirven para regresión", "error-cuadratico-sin-medio"),
        ("un modelo funcional con atajo", "atajo"),
        ("escalar sin fuga de información", "fuga-de-informacion"),
        ("una tienda online", "online"),
        ("sparse CCE + enteros", "sparse-in-prose"),
    ],
)
def test_each_rule_catches_its_known_wrong_use(text: str, rule_name: str) -> None:
    """The known wrong uses found in the course's review are caught, one rule each."""
    found = violations([("ejemplo", _prose(text))])
    assert any(f"[{rule_name}]" in v for v in found), found


@pytest.mark.parametrize(
    "text",
    [
        "exactitud en prueba: 0.97",
        "El error cuadrático medio (MSE) no es la pérdida adecuada para clasificar.",
        "los errores al cuadrado 1, 4, 0, 1, 9",
        "la precisión y la exhaustividad (recall) de la clase «tarde»",
        "Precisión (*precision*) = VP / (VP + FP).",
        "la pérdida `sparse_categorical_crossentropy` con etiquetas enteras",
        "entropía cruzada categórica dispersa",
        "### Entropía cruzada categórica dispersa (*sparse*)",
        "una tienda en línea; ver https://example.org/online-course",
    ],
)
def test_right_uses_pass(text: str) -> None:
    """The course's own terms, API names in code and URLs are not flagged."""
    assert violations([("ejemplo", _prose(text))]) == []


def test_glossary_lists_every_rule_term() -> None:
    """docs/glosario.md exists and names each preferred term the rules point to."""
    text = GLOSSARY.read_text(encoding="utf-8")
    for term in ("exactitud", "fuga de datos", "conexión directa", "en línea", "dispersa"):
        assert term in text, term
    assert "error cuadrático medio (MSE)" in text
