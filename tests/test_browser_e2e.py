"""The UI in headless Debian chromium (Playwright), against a real `suivi run`.

The scenario lives in frontend/e2e/run.mjs: a monitor uploads a document and follows its
progress, changes a commitment's status with evidence and finds it in the history and on
the dashboard; a viewer finds no edit control; an admin creates a subscription and sees
its delivery. SUIVI_E2E_SCREENSHOTS=1 refreshes docs/screenshots/.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from suivi_testing import SuiviProcess

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"
CHROMIUM = os.environ.get("SUIVI_E2E_CHROMIUM", "/usr/bin/chromium")


@pytest.mark.timeout(1200)
def test_browser_end_to_end(tmp_path):
    missing = [
        what
        for what, ok in (
            ("chromium", Path(CHROMIUM).exists()),
            ("node", shutil.which("node") is not None),
            ("frontend/node_modules", (FRONTEND / "node_modules" / "playwright-core").exists()),
            ("the built UI", (FRONTEND / "dist" / "index.html").exists()),
        )
        if not ok
    ]
    if missing:
        pytest.fail(f"the browser tests need {', '.join(missing)}: run 'make test' (it installs them)")
    suivi = SuiviProcess(tmp_path / "data", {"SUIVI_LOAD_SAMPLES": "0", "SUIVI_ALLOW_PRIVATE_ADDRESSES": "1"})
    suivi.start()
    try:
        result = subprocess.run(
            ["node", "--test", "e2e/run.mjs"],
            cwd=FRONTEND,
            env={**os.environ, "SUIVI_E2E_URL": suivi.url, "SUIVI_E2E_ADMIN_PASSWORD": suivi.admin_password},
            capture_output=True,
            text=True,
            timeout=1100,
        )
    finally:
        suivi.stop()
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
