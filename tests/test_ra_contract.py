"""The UI's data client, the npm package ra-data-simple-rest, against a running Suivi."""

import shutil
import subprocess
from pathlib import Path

import pytest
from suivi_testing import SuiviProcess

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"


def test_ra_data_simple_rest_contract(tmp_path):
    if not (FRONTEND / "node_modules" / "ra-data-simple-rest").exists() or not shutil.which("node"):
        pytest.fail("the contract test needs node and frontend/node_modules: run 'make setup'")
    suivi = SuiviProcess(tmp_path / "data", {"SUIVI_LOAD_SAMPLES": "0"})
    suivi.start()
    try:
        result = subprocess.run(
            ["node", "--test", "contract/ra-data-simple-rest.test.mjs"],
            cwd=FRONTEND,
            env={**suivi.env, "SUIVI_URL": suivi.url},
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        suivi.stop()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
