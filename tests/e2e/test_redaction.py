"""Secrets that panels return never reach a report."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from fleet.cli.main import main
from fleet.errors import ExitCode
from fleet.simulator.fleet import build_specs
from tests.e2e.threaded import fleet_in_thread

# Every secret the simulator generates starts with one of these.
SECRET_MARKERS = ("simulated-ftp-", "simulated-db-", "simulated-mysql-root-")
PRIVATE_KEY_MARKER = "SIMULATED-PRIVATE-KEY"
SPEC_WITH_CERTIFICATE = dataclasses.replace(
    build_specs(1)[0],
    overrides={"site_names": ["shop.example.com"], "ssl_expiry_days": 30},
)


@pytest.mark.parametrize(
    ("route", "action", "params"),
    [
        ("/system", "GetConcifInfo", []),
        ("/data", "getData", ["table=ftps"]),
        ("/data", "getData", ["table=databases"]),
        ("/site", "GetSSL", ["siteName=shop.example.com"]),
    ],
)
def test_call_output_is_redacted(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    route: str,
    action: str,
    params: list[str],
) -> None:
    """Passwords and private keys are replaced in stdout, JSON and JSONL."""
    with fleet_in_thread([SPEC_WITH_CERTIFICATE]) as sim:
        sim.write_inventory(tmp_path / "inv.yaml", key_mode="file")
        code = main(
            ["call", str(tmp_path / "inv.yaml"), route, action, *params]
            + ["--out", str(tmp_path / "out"), "--no-state", "--format", "json"]
        )
    stdout = capsys.readouterr().out
    files = [path.read_text() for path in (tmp_path / "out").iterdir()]
    report = json.loads(stdout)
    assert code == ExitCode.OK, report["results"][0]["error_message"]
    for text in [stdout, *files]:
        assert not [marker for marker in SECRET_MARKERS if marker in text]
        assert PRIVATE_KEY_MARKER not in text
    assert "[redacted]" in stdout
