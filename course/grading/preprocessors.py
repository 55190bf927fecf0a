"""nbgrader preprocessors the course adds to nbgrader's own pipeline.

nbgrader 0.9.6 stores the test cells *with* their hidden-test regions in the
gradebook when it generates an assignment, puts them back before autograding
(so the hidden tests run) and then renders the autograded notebook as the
student's feedback unchanged: the hidden tests, and the answer keys written in
them, would reach the student. :class:`HideHiddenTests` runs in
``GenerateFeedback`` (see ``nbgrader_config.py``) and removes them again:

- the ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` region of every
  cell's source is replaced by one Spanish comment line;
- error outputs of test cells keep only the exception's name and message (an
  IPython traceback quotes the failing source line, which may be a hidden one).

nbgrader is imported here at module level on purpose: this module is only
imported by nbgrader's own configuration, never by ``import course``.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat.notebooknode import NotebookNode
from traitlets import Bool, Unicode

from course.grading import hidden

__all__ = ["HideHiddenTests"]


class HideHiddenTests(Preprocessor):
    """Strip hidden-test regions and tracebacks from a notebook before feedback."""

    # nbconvert preprocessors are disabled unless told otherwise.
    enabled = Bool(True).tag(config=True)

    begin_delimiter = Unicode(hidden.BEGIN).tag(config=True)
    end_delimiter = Unicode(hidden.END).tag(config=True)
    replacement = Unicode(hidden.REPLACEMENT).tag(config=True)

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        if cell.cell_type != "code":
            return cell, resources
        cell.source = self._strip_regions(cell.source)
        is_test = bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade")) and not bool(
            cell.get("metadata", {}).get("nbgrader", {}).get("solution")
        )
        if is_test:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [
                        f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
                    ]
        return cell, resources

    def _strip_regions(self, source: str) -> str:
        return hidden.strip_hidden_tests(
            source, self.replacement, self.begin_delimiter, self.end_delimiter
        )
