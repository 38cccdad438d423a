"""phuluc: task appendices of Vietnamese government plans (PDF, DOCX) to a clean task table."""

__version__ = "0.1.0"
