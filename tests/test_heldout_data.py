"""The held-out benchmark's data: real rows from the unused appendix texts, goldens from the generator's data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT.parent / "shared" / "eval" / "real" / "text_appendix"
if not TEXTS.is_dir():
    TEXTS = Path("/work/shared/eval/real/text_appendix")
pytestmark = pytest.mark.skipif(not TEXTS.is_dir(), reason="shared/eval/real/text_appendix is not here")
sys.path.insert(0, str(ROOT / "benchmarks"))

import heldout_data  # noqa: E402


def test_pool_comes_only_from_texts_the_samples_do_not_use():
    used = (ROOT / "samples" / "src" / "extract_real_tables.py").read_text(encoding="utf-8")
    assert not [fid for fid in heldout_data.SOURCE_IDS if fid in used]
    pool, sections = heldout_data.read_pool(TEXTS)
    assert len(pool) > 150 and len(sections) > 10
    assert all(row["task"] and row["lead"] for row in pool)


def test_goldens_follow_the_layout_and_the_seed():
    apps = heldout_data.make_appendices(TEXTS, seed=7)
    again = heldout_data.make_appendices(TEXTS, seed=7)
    assert [a.golden("x") for a in apps] == [a.golden("x") for a in again]
    assert len(apps) == 12 and {len(a.layout.headers) for a in apps} == {4, 5, 6, 7}
    for app in apps:
        golden = app.golden(f"{app.name}.pdf")
        extras = {h for h, r in zip(app.layout.headers, app.layout.roles, strict=True) if r.startswith("extra:")}
        assert golden["tasks"] and all(set(t["extra"]) == extras for t in golden["tasks"])
        assert golden["document"]["title"].startswith("PHỤ LỤC") and golden["document"]["number"] in app.kem_theo
        if "partners" not in app.layout.roles:
            assert all(t["partners"] == "" for t in golden["tasks"])
