"""A command-line parser with the reference's (spf13/pflag) behaviour: flags
anywhere, combined short flags, `-dDIR`, `--flag=value`, optional values
(`--color` alone means always), `--` ends flags, the same usage and errors."""

from __future__ import annotations


class Flag:
    __slots__ = ("name", "short", "usage", "is_bool", "default", "no_opt_default", "hidden",
                 "deprecated", "repeated")

    def __init__(self, name: str, short: str, usage: str, is_bool: bool = False, default: str = "",
                 no_opt_default: str = "", hidden: bool = False, deprecated: str = "",
                 repeated: bool = False) -> None:
        self.repeated = repeated
        self.name = name
        self.short = short
        self.usage = usage
        self.is_bool = is_bool
        self.default = default
        self.no_opt_default = no_opt_default
        self.hidden = hidden
        self.deprecated = deprecated


FLAGS = (
    Flag("help", "h", "show usage and exit", True),
    Flag("version", "V", "print the version and exit", True),
    Flag("debug", "D", "log translations", True, hidden=True),
    Flag("check", "c", "check config without producing output", True),
    Flag("strict", "s", "fail on any warning", True),
    Flag("pretty", "p", "output formatted json", True),
    Flag("raw", "r", "never wrap in a MachineConfig; force Ignition output", True),
    Flag("raw-errors", "", "show raw errors, rather than pretty printing them", True),
    Flag("color", "", 'control color output: "auto", "always", or "never"', default="auto",
         no_opt_default="always"),
    Flag("colour", "", 'control color output: "auto", "always", or "never"', default="auto",
         no_opt_default="always", hidden=True),
    Flag("input", "", "read from input file instead of stdin", hidden=True,
         deprecated="specify filename directly on command line"),
    Flag("output", "o", "write to output file instead of stdout"),
    Flag("files-dir", "d", "allow embedding local files from this directory"),
    # beyond the reference
    Flag("suggest", "", "name the nearest valid key in unused-key warnings", True),
    Flag("diagnostics", "", 'report format: "text", "json" or "sarif"', default="text"),
    Flag("fragments", "", "translate and merge local Butane files named in ignition.config.merge",
         True),
    Flag("include", "", "merge this Butane file (under the files directory) under the config",
         repeated=True),
    Flag("template", "", "render the config as a strict Jinja2 template first", True),
    Flag("var", "", "template variable KEY=VALUE (implies --template)", repeated=True),
    Flag("values", "", "YAML file of template variables (implies --template)"),
    Flag("env", "", "let templates read environment variables as env.NAME (implies --template)",
         True),
)
_BY_NAME = {f.name: f for f in FLAGS}
_BY_SHORT = {f.short: f for f in FLAGS if f.short}
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


class UsageError(Exception):
    """A parse error; str() is pflag's message."""


class Parsed:
    __slots__ = ("values", "lists", "args", "notices")

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.lists: dict[str, list[str]] = {}  # repeated flags, in order
        self.args: list[str] = []
        self.notices: list[str] = []  # deprecation notes, printed to stderr

    def flag(self, name: str) -> bool:
        return self.values.get(name) == "true"

    def get_all(self, name: str) -> list[str]:
        return self.lists.get(name, [])

    def get(self, name: str) -> str:
        return self.values.get(name, _BY_NAME[name].default)


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _set(p: Parsed, f: Flag, value: str) -> None:
    if f.is_bool:
        if value in _TRUE:
            value = "true"
        elif value in _FALSE:
            value = "false"
        else:
            name = f"-{f.short}, --{f.name}" if f.short else f"--{f.name}"
            raise UsageError(f"invalid argument {_quote(value)} for {_quote(name)} flag: "
                             f"strconv.ParseBool: parsing {_quote(value)}: invalid syntax")
    if f.repeated:
        p.lists.setdefault(f.name, []).append(value)
        return
    # --color and its hidden twin --colour share one setting
    p.values["color" if f.name == "colour" else f.name] = value
    if f.deprecated:
        p.notices.append(f"Flag --{f.name} has been deprecated, {f.deprecated}")


def parse(argv: list[str]) -> Parsed:
    p = Parsed()
    args = list(argv)
    while args:
        s = args.pop(0)
        if len(s) < 2 or s[0] != "-":
            p.args.append(s)
            continue
        if s == "--":
            p.args.extend(args)
            break
        if s.startswith("--"):
            name, eq, value = s[2:].partition("=")
            if not name or name[0] in "-=":
                raise UsageError(f"bad flag syntax: {s}")
            f = _BY_NAME.get(name)
            if f is None:
                raise UsageError(f"unknown flag: --{name}")
            if not eq:
                if f.is_bool:
                    value = "true"
                elif f.no_opt_default:
                    value = f.no_opt_default
                elif args:
                    value = args.pop(0)
                else:
                    raise UsageError(f"flag needs an argument: --{name}")
            _set(p, f, value)
            continue
        shorts = s[1:]
        while shorts:
            c, shorts = shorts[0], shorts[1:]
            f = _BY_SHORT.get(c)
            if f is None:
                raise UsageError(f"unknown shorthand flag: '{c}' in -{c + shorts}")
            if shorts.startswith("="):
                value, shorts = shorts[1:], ""
            elif f.is_bool:
                value = "true"
            elif f.no_opt_default:
                value = f.no_opt_default
            elif shorts:
                value, shorts = shorts, ""
            elif args:
                value = args.pop(0)
            else:
                raise UsageError(f"flag needs an argument: '{c}' in -{c}")
            _set(p, f, value)
    return p


def usage(prog: str) -> str:
    rows = []
    for f in sorted((f for f in FLAGS if not f.hidden), key=lambda f: f.name):
        line = f"  -{f.short}, --{f.name}" if f.short else f"      --{f.name}"
        if not f.is_bool:
            line += " stringArray" if f.repeated else " string"
            if f.no_opt_default:
                line += f'[="{f.no_opt_default}"]'
        text = f.usage
        if f.default:
            text += f" (default {_quote(f.default)})"
        rows.append((line, text))
    width = max(len(line) for line, _ in rows) + 1
    body = "".join(f"{line} {' ' * (width - len(line))} {text}\n" for line, text in rows)
    return f"Usage: {prog} [options] [input-file]\nOptions:\n{body}"
