"""Start-up time is a feature: translating a small config loads no module it
does not need.  Each module named here cost a measurable part of a tiny run
(typing ~2.5 ms, json ~1 ms, tempfile ~2.5 ms with random and shutil)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

NOT_AT_START = ("re", "enum", "typing", "json", "tempfile", "random", "shutil", "argparse", "base64", "ruamel",
                "_ruamel_yaml_clibz", "click", "rich", "jinja2", "jsonschema",
                "butane_py.fragments", "butane_py.render.pretty")

TINY = """variant: fcos
version: 1.5.0
storage:
  files:
    - path: /etc/hostname
      mode: 0644
      contents:
        inline: node01
systemd:
  units:
    - name: hello.service
      enabled: true
      contents: |
        [Service]
        ExecStart=/bin/echo hello
        [Install]
        WantedBy=multi-user.target
"""

_PROBE = """
import sys
from butane_py.cli.main import main
sys.argv = ["butane-py"] + sys.argv[1:]
try:
    main()
except SystemExit as e:
    code = e.code
print("MODULES:" + " ".join(sorted(m for m in sys.modules
                                   if m in {names} or m.split(".")[0] in {names})),
      file=sys.stderr)
"""


LOCAL = TINY.replace("inline: node01", "local: motd")


@pytest.mark.parametrize("args", [[], ["-o", "out.ign"], ["--pretty"], ["-d", "."]])
def test_a_small_config_loads_nothing_it_does_not_need(tmp_path: Path, args: list[str]) -> None:
    """With -d the config embeds a local file (the text `local` sends it through the
    check of merged configs' local files, which must stay as light)."""
    (tmp_path / "tiny.bu").write_text(LOCAL if args == ["-d", "."] else TINY)
    (tmp_path / "motd").write_text("hello\n")
    probe = _PROBE.format(names=set(NOT_AT_START))
    proc = subprocess.run([sys.executable, "-c", probe, *args, "tiny.bu"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert "Traceback" not in proc.stderr
    assert _loaded(proc.stderr) == "", proc.stderr
    out = (tmp_path / "out.ign").read_text() if args[:1] == ["-o"] else proc.stdout
    assert '"path":"/etc/hostname"' in out.replace(" ", "").replace("\n", "")


def test_version_loads_almost_nothing() -> None:
    probe = _PROBE.format(names={"re", "butane_py.api", *NOT_AT_START})
    proc = subprocess.run([sys.executable, "-c", probe, "--version"], capture_output=True,
                          text=True)
    assert proc.stdout.startswith("Butane ")
    assert _loaded(proc.stderr) == ""


def _loaded(stderr: str) -> str:
    return stderr.rsplit("MODULES:", 1)[1].strip()
