"""Every bundled sample converts to exactly its golden file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import phuluc
from phuluc.schema.validate import load_schema

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
INPUTS = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".docx", ".pdf") and (SAMPLES / f"{p.stem}.golden.json").exists())
# Warnings that depend on the format (a PDF has pages), not on what the document says.
FORMAT_WARNINGS = {"page-split-merged", "borderless-table", "doc-converted", "legacy-encoding"}
ROOT = Path(__file__).resolve().parents[1]


def regeneration_requested(env) -> bool:
    """PHULUC_REGEN_GOLDEN=1 rewrites the golden files from the output; refused in CI, where the goldens are the truth."""
    if env.get("PHULUC_REGEN_GOLDEN") != "1":
        return False
    if env.get("CI"):
        raise RuntimeError("PHULUC_REGEN_GOLDEN must not be set in CI: golden files are never rewritten there")
    return True


REGENERATE = regeneration_requested(os.environ)


def test_samples_exist():
    assert len([p for p in INPUTS if p.suffix == ".docx"]) >= 8


def test_regeneration_flag_is_off_in_ci():
    # Golden files are the truth: CI must never rewrite them to match the output.
    with pytest.raises(RuntimeError, match="must not be set in CI"):
        regeneration_requested({"CI": "true", "PHULUC_REGEN_GOLDEN": "1"})
    assert regeneration_requested({"PHULUC_REGEN_GOLDEN": "1"}) is True
    assert regeneration_requested({"CI": "true"}) is False
    assert "PHULUC_REGEN_GOLDEN" not in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_sample_matches_golden(path: Path):
    golden_path = SAMPLES / f"{path.stem}.golden.json"
    got = phuluc.convert(path).to_dict()
    golden = json.loads(golden_path.read_text(encoding="utf-8"))  # read before any rewrite: never compared with itself
    if REGENERATE:
        golden_path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert got["document"] == golden["document"]
    assert len(got["tasks"]) == len(golden["tasks"])
    for i, (g, e) in enumerate(zip(got["tasks"], golden["tasks"], strict=True)):
        assert g == e, f"task {i} (stt {e['stt']!r}) differs"
    got_codes = {w["code"] for w in got["warnings"]} - FORMAT_WARNINGS
    assert got_codes == {w["code"] for w in golden["warnings"]} - FORMAT_WARNINGS


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_output_validates_against_schema(path: Path):
    Draft202012Validator(load_schema()).validate(phuluc.convert(path).to_dict())


def test_goldens_validate_against_schema():
    validator = Draft202012Validator(load_schema())
    for golden in SAMPLES.glob("*.golden.json"):
        validator.validate(json.loads(golden.read_text(encoding="utf-8")))
