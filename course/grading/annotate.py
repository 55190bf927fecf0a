"""The autograded notebooks as the course keeps them: each zero's reason, no hidden test.

Last step of a grading task: every autograded notebook is read back (a regular
file only, size-capped), hidden-test regions and any output quoting them are
removed, and each graded cell that lost points gets its Spanish reason as an
output. The text is returned in the result record; the main process writes it
into ``autograded/`` when it publishes the result.
"""

from __future__ import annotations

from pathlib import Path

from course.grading.contracts import StudentResult

#: Largest autograded notebook copied back to the course (bytes).
MAX_NOTEBOOK_BYTES = 2_000_000


def feedback_notebooks(
    folder: Path, result: StudentResult, hidden: dict[str, list[str]]
) -> tuple[dict[str, str], list[str]]:
    """Annotated text of every regular ``.ipynb`` in ``folder`` and the leak flags (Spanish)."""
    texts: dict[str, str] = {}
    flags: list[str] = []
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        if path.is_file() and not path.is_symlink():
            text, leaked = annotate_notebook(path, result, hidden.get(path.stem, []))
            texts[path.stem] = text
            if leaked:
                flags.append(f"la salida de {path.name} mostraba pruebas ocultas")
    return texts, flags


def annotate_notebook(src: Path, result: StudentResult, hidden: list[str]) -> tuple[str, bool]:
    """An autograded notebook with the grading notes and each zero's reason added.

    Returns its text and whether an output quoting hidden-test lines was withdrawn.
    """
    import nbformat

    from course.grading.preprocessors import HideHiddenTests
    from course.grading.safe_execute import read_regular_file
    from course.grading.scoring import MAX_JSON_DEPTH, json_depth, scrub_hidden

    text = read_regular_file(src, 32 * MAX_NOTEBOOK_BYTES).decode("utf-8", errors="replace")
    if json_depth(text) > MAX_JSON_DEPTH:
        raise ValueError(f"{src.name}: JSON anidado en exceso")
    nb = nbformat.reads(text, as_version=4)
    name = src.stem
    # The copy in the course is what feedback is rendered from: hidden tests (and
    # the tracebacks quoting them) are removed here already, whatever the config.
    hide = HideHiddenTests()
    leaked = False
    for index, cell in enumerate(nb.cells):
        hide.preprocess_cell(cell, {}, index)
        if cell.cell_type == "code":
            leaked |= scrub_hidden(cell.outputs, hidden)
    reasons = {c.grade_id: c for c in result.cells if c.notebook == name and c.reason}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and gid in reasons:
            c = reasons[gid]
            cell.outputs.append(
                nbformat.v4.new_output(
                    "stream",
                    name="stdout",
                    text=f"[Corrección] {c.score:g} de {c.max_score:g} puntos: {c.reason}\n",
                )
            )
    if result.notes:
        note = "**Notas de la corrección automática:**\n\n" + "\n".join(
            f"- {n}" for n in result.notes
        )
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(note))
    text = nbformat.writes(nb)
    if len(text.encode("utf-8")) > MAX_NOTEBOOK_BYTES:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.get("output_type") != "display_data"]
        text = nbformat.writes(nb)
    if len(text.encode("utf-8")) > MAX_NOTEBOOK_BYTES:
        # The submission itself is huge (e.g. data pasted into a cell): cut sources.
        for cell in nb.cells:
            if len(cell.source) > 20_000:
                cell.source = (
                    cell.source[:2_000]
                    + f"\n# [Corrección] celda recortada: tenía {len(cell.source)} caracteres.\n"
                )
        text = nbformat.writes(nb)
    return text, leaked
