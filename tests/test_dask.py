"""The same conversion on Dask: `phuluc.batch.convert_to_data` mapped over a LocalCluster equals the local results."""

from __future__ import annotations

from pathlib import Path

import pytest

from phuluc.batch import convert_to_data

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed (pip install 'phuluc[dask]')")

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_dask_results_equal_local_results(tmp_path: Path):
    files = sorted(SAMPLES.glob("*.docx"))[:4] + sorted(SAMPLES.glob("*.pdf"))[:4]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n")
    files.append(bad)
    local = [convert_to_data(f) for f in files]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        futures = client.map(convert_to_data, [str(f) for f in files], pure=False)
        remote = client.gather(futures)
    assert remote == local
    assert remote[-1] == {"source": "bad.pdf", "ok": False, "code": "unsupported-format", "reason": local[-1]["reason"]}
    assert all(r["ok"] for r in remote[:-1])
