"""docs/api.md is the public contract: its table of routes matches each service's OpenAPI."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from suivi_kit.settings import Settings

API_DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
SERVICES = ("ingest", "commitments", "notify")
ROW = re.compile(r"^\| (\w+) \| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|$")


def documented_routes() -> set[tuple[str, str, str]]:
    text = API_DOC.read_text(encoding="utf-8")
    table = text.split("<!-- routes -->", 1)[1].split("<!-- /routes -->", 1)[0]
    return {match.groups() for line in table.splitlines() if (match := ROW.match(line.strip()))}


def served_routes(service: str, tmp_path: Path) -> set[tuple[str, str, str]]:
    main = importlib.import_module(f"suivi_{service}.main")
    app = main.create_app(Settings(data_dir=tmp_path))
    return {
        (service, method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }


@pytest.mark.parametrize("service", SERVICES)
def test_every_route_of_the_service_is_documented_and_every_documented_route_exists(service, tmp_path):
    documented = {route for route in documented_routes() if route[0] == service}
    served = served_routes(service, tmp_path)
    assert served - documented == set(), "served but missing from docs/api.md"
    assert documented - served == set(), "in docs/api.md but not served"


def test_the_table_names_only_known_services():
    assert {service for service, _, _ in documented_routes()} == set(SERVICES)
