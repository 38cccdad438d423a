"""Records of the output contract and the neutral grid that extractors produce."""

from phuluc.schema.grid import SOFT_BREAK, Cell, Clean, Grid, Line, Table, Word
from phuluc.schema.records import (
    CORE_FIELDS,
    CSV_COLUMNS,
    WARNING_CODES,
    DocumentFields,
    PlanDocument,
    PlanWarning,
    Task,
)

__all__ = [
    "CORE_FIELDS",
    "CSV_COLUMNS",
    "SOFT_BREAK",
    "WARNING_CODES",
    "Cell",
    "Clean",
    "DocumentFields",
    "Grid",
    "Line",
    "PlanDocument",
    "PlanWarning",
    "Table",
    "Task",
    "Word",
]
