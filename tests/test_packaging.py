"""The card folders (extract/, normalize/, schema/) install under the one name `phuluc`.

setuptools' package-dir mapping drops any subpackage that is not listed in
pyproject.toml without a word; these tests make that loud.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"phuluc": "phuluc", "extract": "phuluc.extract", "normalize": "phuluc.normalize", "schema": "phuluc.schema"}


def source_packages() -> set[str]:
    """Every folder with an __init__.py, under its installed name."""
    found = set()
    for folder, name in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            found.add(".".join([name, *rel.parts]) if rel.parts else name)
    return found


def source_modules() -> set[str]:
    mods = set()
    for folder, name in FOLDERS.items():
        for py in (ROOT / folder).rglob("*.py"):
            rel = py.relative_to(ROOT / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            mods.add(".".join([name, *parts]))
    return mods


def test_every_subpackage_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    missing = source_packages() - listed
    assert not missing, f"add these to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"
    for package in listed:
        assert package in config["package-dir"] or package.split(".")[0] in config["package-dir"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        env={**os.environ, "PHULUC_PURE": "1"},  # the layout, not mypyc (CI's `pip install .` compiles)
    )
    return next(out.glob("phuluc-*.whl"))


def test_wheel_holds_every_module_and_data_file(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in source_modules():
        path = module.replace(".", "/")
        assert f"{path}.py" in names or f"{path}/__init__.py" in names, f"{module} is missing from the wheel"
    assert "phuluc/schema/plan.schema.json" in names


def test_every_module_imports_from_the_wheel(wheel: Path, tmp_path: Path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    modules = sorted(source_modules())
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    mod = importlib.import_module(m)\n"
        f"    assert mod.__file__.startswith({str(site)!r}), (m, mod.__file__)\n"
        "from phuluc.schema.validate import load_schema\n"
        "assert load_schema()['title']\n"
        "print('ok', len(sys.modules))\n"
    )
    # Run from an empty folder so that the repo's own folders cannot shadow the wheel.
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": ""}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
