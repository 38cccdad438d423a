"""An output folder as the review pages see it: its documents, their inputs, corrections and golden files.

Every path comes from OUT/report.json: a document is named by its output stem
as the batch recorded it, so a name typed into a URL can only ever reach a
document the batch wrote (no path traversal).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from phuluc.batch import rewrite_combined
from phuluc.qa import golden_path
from phuluc.writers import BOXES_SUFFIX, CORRECTED_SUFFIX, write_json

INPUTS = "inputs"  # uploads go to OUT/inputs/


class VersionConflict(Exception):
    """A save made on an older version of the corrections than the one on disk (another tab saved since)."""


class GoldenExists(Exception):
    """The golden file exists and the request did not confirm overwriting it."""


@dataclass
class DocEntry:
    """One row of OUT/report.json plus what review added beside it."""

    stem: str
    input: str
    source: str
    status: str
    code: str = ""
    reason: str = ""
    tasks: int = 0
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    corrected: bool = False
    golden: bool = False


class OutputFolder:
    """OUT, with one lock so that a version check and the write it guards happen as one step."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.inputs = self.out / INPUTS
        self.lock = threading.Lock()
        self.saves = 0  # corrections saved by this server: a batch that ran meanwhile rewrites the combined files

    def report_rows(self) -> list[dict[str, Any]]:
        try:
            data = json.loads((self.out / "report.json").read_text(encoding="utf-8"))
            return [r for r in data.get("files", []) if isinstance(r, dict) and r.get("stem")]
        except (OSError, ValueError, AttributeError):
            return []

    def row(self, stem: str) -> dict[str, Any] | None:
        """The report row of `stem`, or None: the only way a URL's name becomes a path."""
        return next((r for r in self.report_rows() if r["stem"] == stem), None)

    def entries(self) -> list[DocEntry]:
        out = []
        for r in self.report_rows():
            names = {k: r[k] for k in DocEntry.__dataclass_fields__ if k in r}
            entry = DocEntry(**names)
            entry.corrected = self._side(r["stem"], CORRECTED_SUFFIX).is_file()
            entry.golden = golden_path(Path(r["input"])).is_file()
            out.append(entry)
        return out

    def _side(self, stem: str, suffix: str) -> Path:
        p = Path(stem)
        return self.out / p.with_name(p.name + suffix)

    def machine(self, stem: str) -> dict[str, Any]:
        """The converter's JSON, as written (never changed by review)."""
        return json.loads(self._side(stem, ".json").read_text(encoding="utf-8"))

    def corrected(self, stem: str) -> dict[str, Any] | None:
        try:
            return json.loads(self._side(stem, CORRECTED_SUFFIX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def current(self, stem: str) -> tuple[dict[str, Any], int]:
        """The document to review (corrected where a person saved one) and its version (0: never corrected)."""
        corrected = self.corrected(stem)
        if corrected is not None:
            return corrected, int(corrected.get("review", {}).get("version", 1))
        return self.machine(stem), 0

    def boxes(self, stem: str) -> list[dict[str, Any]]:
        """Per machine task, where its cells are drawn (empty for formats without positions)."""
        try:
            return json.loads(self._side(stem, BOXES_SUFFIX).read_text(encoding="utf-8"))["tasks"]
        except (OSError, ValueError, KeyError, TypeError):
            return []

    def save_corrected(self, stem: str, doc: dict[str, Any], origins: list[int | None], base_version: int) -> int:
        """Write OUT/<stem>.corrected.json atomically if `base_version` is the latest; then the combined files."""
        with self.lock:
            _, version = self.current(stem)
            if base_version != version:
                raise VersionConflict(
                    f"this document was saved elsewhere (another tab or window) since you opened it: it is now at "
                    f"version {version}, your edits were made on version {base_version}. Nothing was saved; reload "
                    f"the page to see the latest version, then make your edits again.")
            version += 1
            review = {"version": version, "saved_at": datetime.now(UTC).isoformat(timespec="seconds"), "origins": origins,
                      "input_sha256": (self.row(stem) or {}).get("sha256", "")}
            write_json(self._side(stem, CORRECTED_SUFFIX), {**doc, "review": review})
            rewrite_combined(self.out)
            self.saves += 1
        return version

    def write_golden(self, stem: str, overwrite: bool) -> Path:
        """<input stem>.golden.json beside the input, from the corrected document (else the machine's)."""
        row = self.row(stem)
        assert row is not None
        gp = golden_path(Path(row["input"]))
        with self.lock:
            if gp.exists() and not overwrite:
                raise GoldenExists(f"{gp.name} exists beside the input; overwrite it?")
            doc, _ = self.current(stem)
            doc = {k: v for k, v in doc.items() if k != "review"}
            write_json(gp, doc)
        return gp
