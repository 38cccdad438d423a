"""`phuluc serve`: a local web page to convert, review, correct and export an output folder.

The web layer only routes: conversion is `phuluc.batch`, the QA report is
`phuluc.qa`, exports are the batch's combined writer; what is specific to
review (corrections with versions, golden files, page images) lives in the
small modules beside `app.py`. Needs the `serve` extra: pip install "phuluc[serve]".
"""
