"""Legacy Word .doc through LibreOffice, with a real .doc that holds the task table.

The test .doc is made by way of ODT: LibreOffice 7.4's direct DOCX → DOC export drops
the table, so a test made that way could only check that a conversion happened.
CI installs libreoffice-writer so that these run there too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from phuluc.batch import run_batch
from phuluc.pipeline import Settings

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def legacy_doc(tmp_path_factory) -> Path:
    """samples/vinh-bao-761.docx saved as Word 97-2003 .doc (DOCX → ODT → DOC)."""
    work = tmp_path_factory.mktemp("doc")
    env = dict(os.environ, HOME=str(work))  # a private LibreOffice profile
    for fmt, src in (("odt", SAMPLES / "vinh-bao-761.docx"), ("doc", work / "vinh-bao-761.odt")):
        subprocess.run([SOFFICE, "--headless", "--convert-to", fmt, "--outdir", str(work), str(src)],
                       check=True, capture_output=True, timeout=120, env=env)
    doc = work / "vinh-bao-761.doc"
    assert doc.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a real OLE2 Word file
    return doc


def test_legacy_doc_through_libreoffice_in_a_batch(legacy_doc: Path, tmp_path: Path):
    out = tmp_path / "out"
    results = run_batch([legacy_doc, SAMPLES / "nghe-an-980.pdf"], out, Settings(timeout=120), jobs=2)
    assert results[0].status == "warning" and "doc-converted" in results[0].warnings
    assert results[1].status != "error"
    got = json.loads((out / "vinh-bao-761.json").read_text(encoding="utf-8"))
    golden = json.loads((SAMPLES / "vinh-bao-761.golden.json").read_text(encoding="utf-8"))
    assert got["document"] == golden["document"]
    assert got["tasks"] == golden["tasks"]  # every task of the table, field by field


def test_libreoffice_profiles_are_removed_after_a_killed_conversion(legacy_doc: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    # A LibreOffice that hangs: the worker is killed at the time limit, before it could clean up its profile.
    marker = f"phuluc-test-{os.getpid()}-{tmp_path.name}"
    hang = tmp_path / "soffice"
    hang.write_text(f"#!/bin/sh\nmkdir -p \"$HOME/{marker}\"\nsleep 60\n", encoding="utf-8")
    hang.chmod(0o755)
    system_temp = Path(tempfile.gettempdir())  # where the workers' temporary folders went before
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    results = run_batch([legacy_doc], tmp_path / "out", Settings(soffice=str(hang), timeout=3), jobs=1)
    assert results[0].code == "timeout"
    left = list(system_temp.glob(f"phuluc-*/{marker}")) + list(temp.rglob(marker))
    assert left == []  # the profile of the killed LibreOffice is gone
    assert list(temp.iterdir()) == []  # and so is the run's own temporary folder
