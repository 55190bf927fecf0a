"""Console logging of the ``course`` command: a Spanish formatter and the ``-v``/``-q`` levels.

Modules of the package log progress and diagnostics with
``logging.getLogger(__name__)``; :func:`configure` (called once by
:func:`course.cli.main`) sends the ``course`` loggers to stderr through
:class:`SpanishFormatter`. Results a command produces (tables, paths, grades)
are printed on stdout and never go through logging, so ``-q`` silences the
chatter without hiding the answer.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

#: Logger every ``course`` module's logger descends from.
ROOT_LOGGER = "course"

#: Default verbosity (``-v`` adds one, ``-q`` subtracts one).
NORMAL = 0

#: What a message of each level starts with in the default (non-verbose) form.
PREFIXES = {
    logging.DEBUG: "· ",
    logging.INFO: "",
    logging.WARNING: "⚠ ",
    logging.ERROR: "✘ ",
    logging.CRITICAL: "✘ ",
}

#: Spanish names of the levels, shown with ``-v``.
LEVEL_NAMES = {
    logging.DEBUG: "depuración",
    logging.INFO: "información",
    logging.WARNING: "aviso",
    logging.ERROR: "error",
    logging.CRITICAL: "error grave",
}


class SpanishFormatter(logging.Formatter):
    """One line per record in Spanish: ``✘ message`` (or, verbose, time, level and module).

    The default form keeps the symbols the command has always used (``✘`` for
    an error, ``⚠`` for a warning, nothing for plain progress). The verbose form
    adds the time, the Spanish level name and the logger, so a maintainer can
    tell which module spoke.
    """

    def __init__(self, verbose: bool = False) -> None:
        super().__init__(datefmt="%H:%M:%S")
        self.verbose = verbose

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and self.verbose:
            message = f"{message}\n{self.formatException(record.exc_info)}"
        if not self.verbose:
            return PREFIXES.get(record.levelno, "") + message
        level = LEVEL_NAMES.get(record.levelno, record.levelname.lower())
        return f"{self.formatTime(record, self.datefmt)} [{level}] {record.name}: {message}"


def level_for(verbosity: int) -> int:
    """``-q`` → warnings and errors only, default → progress too, ``-v`` → everything."""
    if verbosity < NORMAL:
        return logging.WARNING
    if verbosity > NORMAL:
        return logging.DEBUG
    return logging.INFO


def configure(verbosity: int = NORMAL, stream: TextIO | None = None) -> logging.Logger:
    """Send the ``course`` loggers to ``stream`` (stderr) at the level ``verbosity`` asks for.

    Idempotent: a second call replaces the handler it installed before (the
    tests call :func:`course.cli.main` several times in one process).
    """
    logger = logging.getLogger(ROOT_LOGGER)
    for handler in list(logger.handlers):
        if getattr(handler, "_course_console", False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler._course_console = True  # type: ignore[attr-defined]
    handler.setFormatter(SpanishFormatter(verbose=verbosity > NORMAL))
    logger.addHandler(handler)
    logger.setLevel(level_for(verbosity))
    logger.propagate = False
    return logger
