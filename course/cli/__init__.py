"""The one ``course`` command: its registry of subcommands, its parser and its error handler.

Built on :mod:`argparse` from the standard library so that ``course --help``
starts instantly: nothing heavy (TensorFlow, nbgrader) is imported until a
subcommand that needs it runs. Everything the command prints is in Spanish.

Layout:

- this module: :class:`Option`, :class:`Command`, the :func:`command` decorator
  that registers a handler, the Spanish :mod:`argparse` parser built from the
  registry, and :func:`main` (logging set-up, the one :class:`CourseError`
  handler, exit status);
- :mod:`course.cli.student`: ``doctor``, ``data``, ``lab``, ``comprobar``;
- :mod:`course.cli.instructor`: ``release``, ``collect``, ``grade``, ``review``,
  ``feedback``, ``export``, ``demo``;
- :mod:`course.cli.logs`: the Spanish log formatter behind ``-v``/``-q``.

Adding a command is one decorated function in the student or instructor
module, its options listed beside it::

    @command("informe", INSTRUCTOR, "resumen de una tarea corregida",
             "Necesita que la tarea esté corregida antes con «course grade».",
             options=(ASSIGNMENT, COURSE_DIR))
    def report(args: argparse.Namespace) -> int:
        from course.grading... import ...   # heavy imports inside the handler
        ...
        return 0

Adding an option to a command is one more :class:`Option` in its ``options``
(``Option("--cluster", dest="cluster", metavar="DIRECCIÓN", help="...")``);
an option several commands share is a module-level :class:`Option` such as
:data:`COURSE_DIR` or :data:`JOBS`, listed by each. Option strings are the
Spanish words users type; ``dest`` is the English name the handler reads.

A handler raises :class:`course.errors.CourseError` (or a subclass) with the
Spanish message for the user: :func:`main` logs it as ``✘ message`` on stderr
and exits with status 1, so no handler repeats a try/except. Results (tables,
paths, grades) go to stdout with ``print``; progress and diagnostics go
through :mod:`logging` (``logging.getLogger(__name__)``), which ``-v`` and
``-q`` on the main command turn up or down.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace], "int | None"]

#: The two groups ``course --help`` lists, in this order: (key, Spanish title).
STUDENT = "student"
INSTRUCTOR = "instructor"
GROUP_TITLES = {STUDENT: "órdenes del alumnado", INSTRUCTOR: "órdenes del profesorado"}

#: Modules whose import registers their commands (in the order ``--help`` lists them).
COMMAND_MODULES = ("course.cli.student", "course.cli.instructor")


@dataclass(frozen=True)
class Option:
    """One argument of a subcommand: :meth:`argparse.ArgumentParser.add_argument`'s arguments.

    ``help`` may be a callable that returns the text, for a help that quotes a
    value computed when the parser is built.
    """

    flags: tuple[str, ...]
    kwargs: dict[str, Any]

    def __init__(self, *flags: str, **kwargs: Any) -> None:
        object.__setattr__(self, "flags", flags)
        object.__setattr__(self, "kwargs", kwargs)

    @classmethod
    def switch(cls, flag: str, *, dest: str, help: str) -> Option:
        """An on/off option (``store_true``): ``Option.switch("--forzar", dest="force", ...)``."""
        return cls(flag, dest=dest, action="store_true", help=help)

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        kwargs = dict(self.kwargs)
        if callable(kwargs.get("help")):
            kwargs["help"] = kwargs["help"]()
        parser.add_argument(*self.flags, **kwargs)


@dataclass(frozen=True)
class Command:
    """A registered subcommand: its name, group, Spanish texts, options and handler."""

    name: str
    group: str
    summary: str
    description: str
    options: tuple[Option, ...]
    handler: Handler = field(compare=False)


#: Every subcommand, by name, in registration order.
REGISTRY: dict[str, Command] = {}


def command(
    name: str,
    group: str,
    summary: str,
    details: str = "",
    *,
    description: str | None = None,
    options: Sequence[Option] = (),
) -> Callable[[Handler], Handler]:
    """Register the decorated function as ``course NAME`` (see the module docstring).

    ``summary`` is the line ``course --help`` shows; the command's own
    ``--help`` opens with it as a sentence followed by ``details``, unless a
    whole ``description`` is given instead.
    """
    if group not in GROUP_TITLES:
        raise ValueError(f"unknown command group {group!r}")

    def register(handler: Handler) -> Handler:
        if name in REGISTRY and REGISTRY[name].handler is not handler:
            raise ValueError(f"command {name!r} is registered twice")
        text = description or f"{summary[0].upper()}{summary[1:]}. {details}".strip()
        REGISTRY[name] = Command(name, group, summary, text, tuple(options), handler)
        return handler

    return register


# ---------------------------------------------------------------------------
# Options several commands share
# ---------------------------------------------------------------------------

#: The positional assignment, the same in every command that takes one.
ASSIGNMENT = Option(
    "assignment",
    metavar="tarea",
    help="la tarea: su número (a01) o su nombre completo (a01_perceptron)",
)
COURSE_DIR = Option(
    "--curso",
    dest="course_dir",
    metavar="CARPETA",
    default=".",
    help="carpeta del curso con nbgrader_config.py (por defecto, la actual)",
)
JOBS = Option(
    "--jobs",
    "-j",
    dest="jobs",
    type=int,
    default=None,
    metavar="N",
    help="procesos en paralelo (por defecto, el número de núcleos)",
)


# ---------------------------------------------------------------------------
# The Spanish parser
# ---------------------------------------------------------------------------


class SpanishHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with its fixed English words in Spanish."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[override]
        return super().add_usage(
            usage, actions, groups, prefix="uso: " if prefix is None else prefix
        )


class SpanishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, titles and errors read in Spanish."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", SpanishHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opciones"
        self.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(
            2, f"{self.prog}: error: {message}\nUse «{self.prog} --help» para ver las opciones.\n"
        )


class CourseArgumentParser(SpanishArgumentParser):
    """The main parser: its ``--help`` lists the student and the instructor commands apart."""

    def format_help(self) -> str:
        formatter = self._get_formatter()
        formatter.add_usage(self.usage, self._actions, self._mutually_exclusive_groups)
        formatter.add_text(self.description)
        for group, title in GROUP_TITLES.items():
            formatter.start_section(title)
            for cmd in REGISTRY.values():
                if cmd.group == group:
                    formatter.add_argument(
                        argparse.Action(option_strings=[], dest=cmd.name, help=cmd.summary)
                    )
            formatter.end_section()
        for action_group in self._action_groups:
            if action_group is self._positionals:
                continue  # the ORDEN placeholder: the commands are listed above
            formatter.start_section(action_group.title)
            formatter.add_text(action_group.description)
            formatter.add_arguments(action_group._group_actions)
            formatter.end_section()
        formatter.add_text(self.epilog)
        return formatter.format_help()


def load_commands() -> dict[str, Command]:
    """Import the command modules (their decorators fill :data:`REGISTRY`)."""
    import importlib

    for module in COMMAND_MODULES:
        importlib.import_module(module)
    return REGISTRY


def build_parser() -> argparse.ArgumentParser:
    """The ``course`` parser with every registered command."""
    parser = CourseArgumentParser(
        prog="course",
        description="Herramientas del curso «Redes neuronales con Keras»: diagnóstico, datos y "
        "flujo de trabajo del profesorado con nbgrader.",
        epilog="Use «course ORDEN --help» para ver las opciones de cada orden.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {_package_version()}",
        help="muestra la versión",
    )
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument(
        "-v",
        "--detallado",
        dest="verbosity",
        action="store_const",
        const=1,
        default=0,
        help="muestra también los mensajes de depuración (con la hora y el módulo)",
    )
    loudness.add_argument(
        "-q",
        "--silencioso",
        dest="verbosity",
        action="store_const",
        const=-1,
        help="muestra solo los avisos y los errores (sin barra de progreso)",
    )
    sub = parser.add_subparsers(dest="command", metavar="ORDEN", parser_class=SpanishArgumentParser)
    for cmd in load_commands().values():
        subparser = sub.add_parser(cmd.name, help=cmd.summary, description=cmd.description)
        for option in cmd.options:
            option.add_to(subparser)
        subparser.set_defaults(handler=cmd.handler)
    return parser


def _package_version() -> str:
    from course import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``course``: parse, set up logging, call the handler; return the exit status."""
    from course.cli import logs
    from course.errors import CourseError

    parser = build_parser()
    args = parser.parse_args(argv)
    logs.configure(args.verbosity)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return int(handler(args) or 0)
    except CourseError as exc:
        log.error("%s", exc)
        log.debug("Origen del error:", exc_info=True)
        return 1
    except KeyboardInterrupt:
        log.error("Interrumpido.")
        return 130


def show_progress() -> bool:
    """Whether a progress bar is wanted (not with ``-q``)."""
    return logging.getLogger("course").isEnabledFor(logging.INFO)
