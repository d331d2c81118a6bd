"""An argparse parser for the `upgrade` and `decompile` subcommands that writes
to the binary streams it is given and never exits the process."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any, NoReturn


class SubcommandUsage(Exception):
    """Parsing stopped: `code` is the exit status (0 after --help, 2 on a usage error)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class SubParser(argparse.ArgumentParser):
    def __init__(self, stdout: IO[bytes], stderr: IO[bytes], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._out = stdout
        self._err = stderr

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            self._err.write(message.encode("utf-8", "surrogateescape"))

    def print_usage(self, file: Any = None) -> None:
        self._err.write(self.format_usage().encode())

    def print_help(self, file: Any = None) -> None:
        self._out.write(self.format_help().encode())

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._err.write(message.encode("utf-8", "surrogateescape"))
        raise SubcommandUsage(status)

    def error(self, message: str) -> NoReturn:
        self.print_usage()
        self.exit(2, f"{self.prog}: error: {message}\n")


    def parse_and_read(self, argv: list[str]) -> tuple[argparse.Namespace, bytes] | int:
        """The arguments and the bytes of `args.file`, or the exit status when
        parsing stopped (usage, --help) or the file could not be read (1)."""
        from .common import InputError, read_config

        try:
            args = self.parse_args(argv)
        except SubcommandUsage as e:
            return e.code
        try:
            return args, read_config(args.file)
        except InputError as e:
            say(self._err, str(e))
            return 1


def say(stream: IO[bytes], text: str) -> None:
    stream.write((text + "\n").encode("utf-8", "surrogateescape"))
