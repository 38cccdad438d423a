"""The layout's rules, kept by reading the source (ast), not by convention.

extract/ reads files into the neutral grid and knows nothing of plans; normalize/ knows
plans and reads the grid; schema/ is the ground both stand on; phuluc/cli.py is a face
over the library. And no function grows past 60 lines without a reason written here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from unidecode import unidecode

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"extract": "phuluc.extract", "normalize": "phuluc.normalize", "schema": "phuluc.schema", "phuluc": "phuluc"}
MAX_LINES = 60
# Functions allowed over MAX_LINES, by "folder/file.py:function", with the reason.
LONG_FUNCTIONS = {
    "normalize/repair.py:_merge_spaces": "the Viterbi search over which spaces to delete: one dynamic program, "
    "clearer whole than cut into steps that share its tables",
    "phuluc/workers.py:run_in_workers": "the worker supervisor: one loop that starts, feeds, times and replaces "
    "workers; its states are easier to check in one place",
    "extract/pdfium_page.py:_chars": "the PDFium reader's hot loop over every character, inlined on purpose: "
    "a helper call per character costs the speed this engine exists for",
}
# What extract/ must not know: the page header's meaning (folded: no diacritics, lower case).
PAGE_HEADER_WORDS = ["issuer", "motto", "quoc hieu", "tieu ngu", "cong hoa", "doc lap", "uy ban", "page header"]


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every phuluc module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "phuluc":  # from phuluc import pipeline
                names |= {f"phuluc.{a.name}" for a in node.names}
    return {n for n in names if n == "phuluc" or n.startswith("phuluc.")}


def ours(name: str) -> str:
    """The part of the library a module belongs to: extract, normalize, schema or phuluc."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ("extract", "normalize", "schema") else "phuluc"


@pytest.mark.parametrize(
    "folder, allowed",
    [("extract", {"extract", "schema"}), ("normalize", {"normalize", "schema"}), ("schema", {"schema"})],
)
def test_each_side_imports_only_itself_and_schema(folder: str, allowed: set[str]):
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(folder)
        for name in imported(path)
        if ours(name) not in allowed or name == "phuluc"
    }
    assert not wrong, sorted(wrong)


def test_the_pipeline_is_the_one_place_that_joins_extract_and_normalize():
    joined = {
        str(path.relative_to(ROOT))
        for path in modules("phuluc")
        if {"extract", "normalize"} <= {ours(name) for name in imported(path)}
    }
    assert joined <= {"phuluc/pipeline.py"}


def test_the_cli_imports_no_extract_or_normalize_module():
    names = imported(ROOT / "phuluc" / "cli.py")
    assert not {n for n in names if ours(n) in ("extract", "normalize")}


def test_extract_knows_nothing_of_the_page_header():
    found = [
        f"{path.relative_to(ROOT)}: {word!r}"
        for path in modules("extract")
        for word in PAGE_HEADER_WORDS
        if word in " ".join(unidecode(path.read_text(encoding="utf-8")).lower().split())
    ]
    assert not found, found


def long_functions() -> dict[str, int]:
    out: dict[str, int] = {}
    for folder in FOLDERS:
        for path in modules(folder):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > MAX_LINES:
                        out[f"{path.relative_to(ROOT).as_posix()}:{node.name}"] = lines
    return out


def test_no_function_over_60_lines_without_a_reason():
    unexplained = {name: n for name, n in long_functions().items() if name not in LONG_FUNCTIONS}
    assert not unexplained, f"functions over {MAX_LINES} lines: {unexplained} (shorten them, or say why in LONG_FUNCTIONS)"


def test_the_rules_see_what_they_check():
    # The checks above pass trivially if they read nothing: make sure they read the real tree.
    assert "phuluc.schema" in imported(ROOT / "extract" / "pdf.py")
    assert "phuluc.extract.pdf" in imported(ROOT / "phuluc" / "pipeline.py")  # imported inside a function
    assert len(modules("extract")) >= 4 and len(modules("normalize")) >= 8
    assert {"normalize/repair.py:_merge_spaces", "phuluc/workers.py:run_in_workers"} <= set(long_functions())
