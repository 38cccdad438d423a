"""`phuluc serve`: a local web page to convert, review, correct and export an output folder.

The web layer only routes: conversion is `phuluc.batch`, the QA report is
`phuluc.qa`, exports are the batch's combined writer; what is specific to
review (corrections with versions, golden files, page images) lives in the
small modules beside `app.py`. Needs the `serve` extra: pip install "phuluc[serve]".
"""

from __future__ import annotations

from pathlib import Path


class ServeMissing(ImportError):
    """The web packages of the serve extra are not installed."""


def serve_folder(out: str | Path, host: str = "127.0.0.1", port: int = 8765, settings=None, jobs: int | None = None,
                 max_upload_mb: int = 50, max_files: int = 20) -> None:
    """Run `phuluc serve` until Ctrl-C; raises ServeMissing (with what to install) without the serve extra."""
    try:
        import uvicorn  # noqa: F401 - asked for here so that a missing one is named like the others

        from phuluc.serve.app import serve
    except ImportError as e:
        raise ServeMissing(f'phuluc serve needs the serve extra ({e.name} is missing): pip install "phuluc[serve]"') from None
    from phuluc.serve.uploads import Limits

    serve(out, host, port, settings, jobs=jobs, limits=Limits(max_bytes=max_upload_mb * 2**20, max_files=max_files))
