"""Shared fixtures for the unit tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _data_dir() -> Path | None:
    value = os.environ.get("COURSE_DATA_DIR")
    return Path(value) if value else None


@pytest.fixture(scope="session")
def course_data_dir() -> Path:
    """The offline data mirror named by ``COURSE_DATA_DIR``.

    Skipped with a clear reason on a developer machine without it; in CI
    (``CI=true``) a missing mirror is a failure, so data tests can never be
    silently skipped there.
    """
    path = _data_dir()
    if path is None or not path.is_dir():
        message = "COURSE_DATA_DIR no apunta a una carpeta de datos (véase datasets/README.md)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
