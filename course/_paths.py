"""Where the project checkout is, found in one place.

With an editable install (``pip install -e .``) the ``course`` package sits in
the project checkout, beside ``pyproject.toml``, ``source_assignments/`` and
``datasets/``. Light on purpose: ``import course`` may import it.
"""

from __future__ import annotations

from pathlib import Path


def checkout_root() -> Path | None:
    """The project checkout holding the ``course`` package, or None if installed elsewhere."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def project_datasets() -> Path | None:
    """The checkout's ``datasets/`` folder, or None outside a checkout."""
    root = checkout_root()
    return root / "datasets" if root is not None else None
