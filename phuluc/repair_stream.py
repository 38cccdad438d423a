"""`phuluc normalize-text`: repair Vietnamese text line by line, from one stream to another."""

from __future__ import annotations

from typing import TextIO

from phuluc.normalize.repair import repair_lines


def repair_stream(source: TextIO, target: TextIO) -> int:
    """Write one repaired line to `target` per line of `source` (undecodable bytes replaced); returns the count."""
    if hasattr(source, "reconfigure"):
        source.reconfigure(encoding="utf-8", errors="replace")
    if hasattr(target, "reconfigure"):
        target.reconfigure(encoding="utf-8")
    count = 0
    for line in repair_lines(line.rstrip("\r\n") for line in source):
        target.write(line + "\n")
        count += 1
    return count
