"""Run notify alone, as `suivi serve notify` will: settings from SUIVI_* variables; --port P."""

from __future__ import annotations

import sys

import uvicorn
from suivi_common.settings import Settings
from suivi_notify.main import create_app


def main() -> None:
    port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 8003
    uvicorn.run(create_app(Settings()), host="127.0.0.1", port=port, log_level="warning", lifespan="on")


if __name__ == "__main__":
    main()
