"""The benchmark scripts refuse clearly instead of writing a misleading result."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_compare_refuses_without_the_peers(capsys):
    compare = load("compare")
    missing = {tool: why for tool in compare.TOOLS if (why := compare.missing_reason(tool))}
    if not missing:
        pytest.skip("every peer is installed here")
    before = (BENCH / "RESULTS.md").read_bytes()
    assert compare.main([]) == 2
    err = capsys.readouterr().err
    assert "peers not installed" in err and next(iter(missing)) in err
    assert compare.main(["--allow-missing"]) == 2  # still not over RESULTS.md
    assert (BENCH / "RESULTS.md").read_bytes() == before


def test_text_repair_asks_for_its_corpus(tmp_path: Path, capsys):
    text_repair = load("text_repair")
    assert text_repair.main(["--corpus", str(tmp_path / "nope")]) == 2
    assert "--corpus DIR" in capsys.readouterr().err
    assert text_repair.main(["--corpus", str(tmp_path)]) == 2
    assert "holds no .md file" in capsys.readouterr().err
