"""Build: the modules that run once per glyph, word or line are compiled by mypyc (issue #15).

mypyc turns type-annotated Python into a C extension: the same source, no hand-written C, and a
whole PDF conversion about 1.5 times as fast (benchmarks/pdf_speed_RESULTS.md). The package stays pure Python
where compiling is not wanted or not possible, with the same results:

- an editable install (`pip install -e .`): an edited module must take effect at once, which a
  compiled copy beside it would hide;
- `PHULUC_PURE=1` in the environment;
- no C compiler, or a module mypyc refuses (a type error): a warning, then pure Python.

`python -m phuluc.build_info` tells which modules are compiled.
"""

from __future__ import annotations

import ast
import os
import shutil
import sys
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
# Installed name -> source folder, as in pyproject.toml's package-dir.
FOLDERS = {"phuluc": "phuluc", "phuluc.extract": "extract", "phuluc.normalize": "normalize", "phuluc.schema": "schema"}
# The modules to compile: one list, phuluc/build_info.py's COMPILED (read here without importing phuluc).
COMPILED: list[str] = next(
    list(ast.literal_eval(node.value))
    for node in ast.parse((ROOT / "phuluc" / "build_info.py").read_text(encoding="utf-8")).body
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMPILED"
)


def _staged(folder: Path) -> list[str]:
    """The package copied into `folder` under its installed layout (phuluc/extract/...), so that mypy
    sees every module by its import name; the compiled modules' paths, relative to `folder`."""
    for package, source in FOLDERS.items():
        target = folder / package.replace(".", "/")
        target.mkdir(parents=True, exist_ok=True)
        for py in (ROOT / source).glob("*.py"):
            shutil.copy2(py, target / py.name)
    return [module.replace(".", "/") + ".py" for module in COMPILED]


def ext_modules() -> list:
    if os.environ.get("PHULUC_PURE") or "editable_wheel" in sys.argv:
        return []
    try:
        from mypyc.build import mypycify

        stage = Path(tempfile.mkdtemp(prefix="phuluc-mypyc-"))
        here = Path.cwd()
        os.chdir(stage)  # mypyc names modules and writes its C files relative to the working folder
        try:
            # The other modules are read for their types only (--follow-imports=silent); untyped
            # libraries (pdfplumber, regex, ...) are Any.
            options = ["--follow-imports=silent", "--ignore-missing-imports"]
            modules = mypycify([*options, *_staged(stage)], opt_level="3", target_dir=str(stage / "build"))
        finally:
            os.chdir(here)
        for ext in modules:  # sources relative to the stage: made absolute for setuptools' build_ext
            ext.sources = [s if os.path.isabs(s) else str(stage / s) for s in ext.sources]
            ext.include_dirs = [d if os.path.isabs(d) else str(stage / d) for d in ext.include_dirs]
        return modules
    except (Exception, SystemExit) as e:  # noqa: BLE001 - any failure: the pure Python package
        print(f"phuluc: not compiling ({type(e).__name__}: {e}); installing pure Python", file=sys.stderr)
        return []


class OptionalBuildExt(build_ext):
    """A compile that fails (no compiler, no Python headers) leaves the pure Python package."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as e:  # noqa: BLE001 - distutils' compiler errors have no common base
            print(f"phuluc: compiling failed ({type(e).__name__}: {e}); installing pure Python", file=sys.stderr)
            for ext in self.extensions:
                Path(self.get_ext_fullpath(ext.name)).unlink(missing_ok=True)
            self.extensions = []


setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
