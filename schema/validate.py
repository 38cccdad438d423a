"""The JSON Schema of the per-document JSON, shipped in the package."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every OUT/<stem>.json validates against."""
    text = resources.files("phuluc.schema").joinpath("plan.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def validate(document: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when `document` breaks the contract (jsonschema is a dependency of phuluc)."""
    from jsonschema import Draft202012Validator

    Draft202012Validator(load_schema()).validate(document)
