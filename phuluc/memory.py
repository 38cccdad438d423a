"""A ceiling on a worker process's memory, so that one hostile file cannot take the machine.

The batch worker lowers its soft RLIMIT_DATA (heap and private mappings, which is what
Python's allocations grow) to `Settings.max_memory` MiB: an allocation over it raises
MemoryError, which `convert` reports as `too-large`, and the worker is replaced.
RLIMIT_AS would count address space that is reserved but never used (thread stacks,
library mappings) and so fail early at random. LibreOffice, started by a worker, gets
the hard limit back (`extract/doc_convert.py`): it is bounded by the time limit instead.
"""

from __future__ import annotations

try:
    import resource
except ImportError:  # Windows: no rlimits; the batch's time limit still holds
    resource = None  # type: ignore[assignment]


def limit_memory(mib: int) -> bool:
    """Lower this process's soft data limit to `mib` MiB (0: leave it); True when set."""
    if resource is None or mib <= 0:
        return False
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    want = mib * 2**20
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (want, hard))
    except (ValueError, OSError):
        return False
    return True

