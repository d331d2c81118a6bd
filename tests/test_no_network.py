"""Translation never opens a socket or resolves a name, whatever URL a config
holds: every socket entry point is made to fail for these tests."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from strategies import SOURCES, any_document

from butane_py import translate

URLS = [u for u in SOURCES if "://" in u or u.startswith("arn:")]


class NetworkUsed(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    calls: list[str] = []

    def forbid(name: str) -> Any:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            raise NetworkUsed(f"translation used the network: socket.{name}{args!r}")
        return refuse

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname",
                 "gethostbyname_ex", "gethostbyaddr", "socketpair", "fromfd", "create_server"):
        monkeypatch.setattr(socket, name, forbid(name))
    yield calls
    assert calls == []


def _cfg(url: str, variant: str = "fcos", version: str = "1.6.0") -> str:
    return f"""variant: {variant}
version: {version}
metadata: {{name: x, labels: {{machineconfiguration.openshift.io/role: worker}}}}
ignition:
  config:
    merge: [{{source: "{url}", http_headers: [{{name: X, value: y}}]}}]
    replace: {{source: "{url}", verification: {{hash: sha512-{"0" * 128}}}}}
  proxy: {{http_proxy: "http://proxy.example.com:3128", https_proxy: "{url}",
          no_proxy: [example.com]}}
  security:
    tls:
      certificate_authorities: [{{source: "{url}"}}]
  timeouts: {{http_total: 5}}
storage:
  files:
    - path: /etc/a
      contents: {{source: "{url}", compression: gzip}}
      append: [{{source: "{url}"}}]
  luks:
    - name: data
      device: /dev/sdb
      key_file: {{source: "{url}"}}
      clevis: {{tang: [{{url: "{url}", thumbprint: abc}}]}}
"""


@pytest.mark.parametrize("url", URLS)
def test_remote_sources_are_never_fetched(url: str) -> None:
    r = translate(_cfg(url).replace("metadata: {name: x, labels: "
                                    "{machineconfiguration.openshift.io/role: worker}}\n", ""))
    assert r.ok or r.error  # either way: no socket was touched


@pytest.mark.parametrize("url", ["https://example.com/x.ign", "s3://bucket/key",
                                 "tftp://192.0.2.1/f", "gs://bucket/o", "http://[::1]/x"])
def test_openshift_and_cli_never_fetch(url: str) -> None:
    r = translate(_cfg(url, "openshift", "4.14.0"))
    assert r.ok or r.error
    for args in ([], ["--pretty", "--strict"], ["-r"]):
        rc = run_cli(args, stdin=_cfg(url, "openshift", "4.14.0").encode()).rc
        assert rc in (0, 1)


def test_successful_translation_with_remote_urls() -> None:
    r = translate(_cfg("https://example.com/x.ign").replace(
        "metadata: {name: x, labels: {machineconfiguration.openshift.io/role: worker}}\n", ""))
    assert r.ok, (r.error, r.report)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(any_document())
def test_generated_documents_never_touch_the_network(data: bytes) -> None:
    translate(data)
