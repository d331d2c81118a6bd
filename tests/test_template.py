"""Strict templates: missing names fail at their line and column, the
environment only through `env`, values files, the sandbox, and plain configs
left alone."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest

from butane_py.api import TranslateOptions, translate
from butane_py.fragments import translate_with_fragments
from butane_py.template import TemplateError, load_values, parse_var, render_bytes, render_template

HEAD = "variant: fcos\nversion: 1.6.0\n"


def _error(text: str, variables: dict[str, object] | None = None, env: bool = False
           ) -> TemplateError:
    with pytest.raises(TemplateError) as info:
        render_template(text, variables or {}, "t.bu", env)
    return info.value


def test_renders_variables() -> None:
    text = HEAD + "storage:\n  files:\n    - path: /etc/{{ name }}\n"
    assert render_template(text, {"name": "motd"}, "t.bu", False).endswith("/etc/motd\n")


def test_missing_variable_is_an_error_at_its_line_and_column() -> None:
    e = _error("a: 1\nb: x {{ present }} {{ missing }}\n", {"present": 1})
    assert (e.message, e.line, e.col) == ("'missing' is undefined", 2, 23)
    assert str(e) == "t.bu:2:23: 'missing' is undefined"


def test_missing_attribute_and_loop_variable() -> None:
    e = _error("a: 1\n\nb: {{ node.addr }}\n", {"node": {"name": "n"}})
    assert (e.line, e.col) == (3, 12)
    assert "has no attribute 'addr'" in e.message
    e = _error("{% for x in items %}\n{{ x }}\n{% endfor %}\n")
    assert (e.message, e.line, e.col) == ("'items' is undefined", 1, 13)


def test_never_an_empty_string() -> None:
    for text in ("a: {{ nope }}\n", "a: {{ nope ~ 'x' }}\n", "a: {% if nope %}x{% endif %}\n"):
        with pytest.raises(TemplateError):
            render_template(text, {}, "t.bu", False)


def test_defaults_and_defined_tests_still_work() -> None:
    text = "a: {{ nope | default('x') }}\nb: {% if nope is defined %}y{% else %}n{% endif %}\n"
    assert render_template(text, {}, "t.bu", False) == "a: x\nb: n\n"


def test_syntax_error_has_a_position() -> None:
    e = _error("a: 1\nb: {% if %}\n")
    assert (e.line, e.col) == (2, 4)
    assert e.message.startswith("template syntax error: ")


def test_expression_errors_have_a_position() -> None:
    e = _error("a: 1\nb: {{ 1 // 0 }}\n")
    assert (e.line, e.message) == (2, "ZeroDivisionError: integer division or modulo by zero")


def test_env_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BPY_HOST", "node1")
    monkeypatch.delenv("BPY_UNSET", raising=False)
    text = "a: {{ env.BPY_HOST }} {{ env['BPY_HOST'] }} {{ env('BPY_UNSET', 'dflt') }}\n"
    assert render_template(text, {}, "t.bu", True) == "a: node1 node1 dflt\n"
    e = _error("a: 1\nb: {{ env.BPY_UNSET }}\n", env=True)
    assert (e.message, e.line, e.col) == ("environment variable 'BPY_UNSET' is not set", 2, 11)
    e = _error("b: {{ env('BPY_UNSET') }}\n", env=True)
    assert (e.message, e.col) == ("environment variable 'BPY_UNSET' is not set", 12)
    assert render_template("a: {{ env.BPY_UNSET | default('z') }}\n", {}, "t", True) == "a: z\n"


def test_env_is_off_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BPY_HOST", "node1")
    e = _error("a: {{ env.BPY_HOST }}\n")
    assert e.message == "'env' is undefined"
    with pytest.raises(TemplateError, match="reserved"):
        render_template("a: 1\n", {"env": "x"}, "t.bu", True)


@pytest.mark.parametrize("expr", [
    "''.__class__", "''.__class__.__mro__", "node.items.__globals__", "env._environ",
    "cycler.__init__.__globals__", "lipsum.__globals__",
])
def test_sandbox_refuses_internals(expr: str) -> None:
    with pytest.raises(TemplateError) as info:
        render_template(f"a: {{{{ {expr} }}}}\n", {"node": {}}, "t.bu", True)
    assert info.value.line == 1


def test_no_autoescape() -> None:
    assert render_template("a: {{ v }}\n", {"v": "<&>'"}, "t", False) == "a: <&>'\n"
    assert render_template("a: {{ v | tojson }}\n", {"v": 'x: "y"'}, "t", False) == (
        'a: "x: \\"y\\""\n')


def test_values_file(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("node:\n  name: n1\nport: 22\n")
    assert load_values(str(values)) == {"node": {"name": "n1"}, "port": 22}
    values.write_text("")
    assert load_values(str(values)) == {}
    values.write_text("- a\n")
    with pytest.raises(TemplateError, match="mapping"):
        load_values(str(values))
    values.write_text("a: [1\n")
    with pytest.raises(TemplateError) as info:
        load_values(str(values))
    assert info.value.line == 2 and info.value.filename == str(values)
    with pytest.raises(OSError):
        load_values(str(tmp_path / "missing.yaml"))


def test_parse_var() -> None:
    assert parse_var("host=a=b") == ("host", "a=b")
    assert parse_var("x=") == ("x", "")
    for bad in ("novalue", "1x=2", "a.b=c", "=v"):
        with pytest.raises(ValueError):
            parse_var(bad)


def test_plain_configs_are_never_reinterpreted() -> None:
    text = HEAD + ("storage:\n  files:\n    - path: /etc/tpl\n      contents:\n"
                   "        inline: '{{ not_a_variable }} {% raw %}'\n")
    plain = translate(text)
    assert plain.ok and plain.config is not None
    source = plain.config["storage"]["files"][0]["contents"]["source"]
    assert base64.b64decode(source.split(",", 1)[1]) == b"{{ not_a_variable }} {% raw %}"
    composed = translate_with_fragments(text, "t.bu", TranslateOptions(), fragments=False)
    assert composed.output == plain.output


def test_template_error_in_a_translation_points_into_the_template() -> None:
    text = HEAD + "storage:\n  files:\n    - path: /etc/{{ name }}\n"
    result = translate_with_fragments(
        text, "t.bu", fragments=False,
        preprocess=lambda data, name: render_bytes(data, {}, name, False))
    assert result.error == "the template could not be rendered"
    [entry] = result.report
    assert (entry.kind, entry.line, entry.col) == ("error", 5, 21)
    assert b"--> t.bu:5:21" in result.render_report(raw=False)


def test_jinja_is_not_imported_by_the_package() -> None:
    code = ("import sys, butane_py, butane_py.template, butane_py.fragments; "
            "butane_py.translate('variant: fcos\\nversion: 1.6.0\\n'); "
            "print('jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
