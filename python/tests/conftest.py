"""Shared fixtures: the repository's committed models and their references."""

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ZOO = REPO / "Tests" / "Fixtures" / "zoo"


@pytest.fixture(scope="session")
def zoo():
    """The ONNX zoo fixtures directory (stripped exports with torch references)."""
    return ZOO


def reference(name: str) -> dict:
    """`<name>.ref.json`: what torch, fvcore, torchinfo... printed for the model."""
    return json.loads((ZOO / f"{name}.ref.json").read_text())


def meta(name: str) -> dict:
    """`<name>.meta.json`: the export's record, with the ONNX-vs-torch parameter reconciliation."""
    return json.loads((ZOO / f"{name}.meta.json").read_text())
