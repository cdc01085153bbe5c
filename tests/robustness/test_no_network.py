"""No network at any stage: the whole demo (ingest, timeline, C2PA provenance, estimates, rights,
PDF/A and HTML rendering) runs with every socket attempt refused and recorded, and, where strace is
installed, a second run shows the process and its children never call connect() or sendto() on an
internet socket (native code such as the C2PA library included)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from audit.cli import app


class NetworkAttempt(OSError):
    """Raised in place of any socket use during the test."""


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuse (and record) every way Python code reaches the network."""
    seen: list[str] = []

    def refuse(name: str) -> Any:
        def blocked(*args: object, **kwargs: object) -> None:
            seen.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise NetworkAttempt(f"network access attempted: {name}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("socket.sendto"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    return seen


def test_blocking_works(attempts: list[str]) -> None:
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("example.org", 443), timeout=1)
    assert attempts == ["create_connection(('example.org', 443),)"]


#: WeasyPrint leaves its sRGB ICC profile open (third-party; the same filter as tests/report/).
@pytest.mark.filterwarnings(r"ignore:unclosed file .*sRGB2014\.icc:ResourceWarning")
def test_whole_demo_makes_no_network_attempt(tmp_path: Path, attempts: list[str]) -> None:
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert attempts == []
    written = sorted(p.name for p in (tmp_path / "demo").iterdir())
    assert written == [
        "audit.json", "credits.en.txt", "credits.txt", "findings.csv", "generations.csv",
        "inputs.csv", "report.en.html", "report.en.pdf", "report.en.xlsx", "report.html",
        "report.pdf", "report.xlsx",
    ]  # fmt: skip


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_no_internet_socket_even_from_native_code(tmp_path: Path) -> None:
    trace = tmp_path / "trace.txt"
    command = [
        "strace", "-f", "-qq", "-e", "trace=connect,sendto", "-o", str(trace),
        sys.executable, "-m", "audit", "demo", "--lang", "fr", "--out", str(tmp_path / "demo"),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0 and "PTRACE" in done.stderr.upper():
        pytest.skip(f"strace cannot trace here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr[-2000:]
    calls = [ln for ln in trace.read_text().splitlines() if re.search(r"\b(connect|sendto)\(", ln)]
    internet = [ln for ln in calls if "AF_UNIX" not in ln]
    assert internet == []
    assert (tmp_path / "demo" / "report.pdf").is_file()
