"""phuluc: task appendices of Vietnamese government plans (PDF, DOCX) to a clean task table.

    >>> import phuluc
    >>> doc = phuluc.convert("plan.pdf")          # a PlanDocument
    >>> df = phuluc.read_tasks("out/")            # a pandas DataFrame of every task
"""

from phuluc.pipeline import Settings, convert
from phuluc.schema import DocumentFields, PlanDocument, PlanWarning, Task
from phuluc.schema.errors import PhulucError

__version__ = "0.1.0"

__all__ = ["DocumentFields", "PhulucError", "PlanDocument", "PlanWarning", "Settings", "Task", "convert", "read_tasks"]


def read_tasks(paths, settings=None):
    """One DataFrame row per task from files, folders, or output folders of JSON (see phuluc.analysis)."""
    from phuluc.analysis import read_tasks as _read_tasks

    return _read_tasks(paths, settings)
