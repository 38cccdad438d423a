"""Uploaded files → OUT/inputs/: sanitised names, size and count limits; nothing but phuluc's readers opens them."""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from phuluc.batch import INPUT_SUFFIXES
from phuluc.one_file import file_sha256
from phuluc.writers import TEMP_SUFFIX

MAX_NAME = 120
_UNSAFE = re.compile(r"[^\w.\-() ]+")  # \w keeps Vietnamese letters


class UploadRefused(ValueError):
    """A file the page will not store; the message names the reason."""


@dataclass
class Limits:
    max_bytes: int = 50 * 2**20  # per file
    max_files: int = 20  # per upload


def safe_name(raw: str) -> str:
    """A plain file name: no folders, no "..", no control or shell characters, no leading dot; at most 120 characters."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    name = name.lstrip(".-~$ ")
    stem, suffix = os.path.splitext(name)
    name = stem[: MAX_NAME - len(suffix)] + suffix
    if not stem or suffix.lower() not in INPUT_SUFFIXES:
        raise UploadRefused("only PDF, DOCX and DOC files are converted (the name must end in .pdf, .docx or .doc)")
    return name


def free_name(folder: Path, name: str, temp: Path) -> Path:
    """`folder/name`, or `name-2`, `-3`, … when a different file has that name (the same bytes again: the same name)."""
    stem, suffix = os.path.splitext(name)
    n = 1
    while True:
        candidate = folder / (name if n == 1 else f"{stem}-{n}{suffix}")
        if not candidate.exists() or file_sha256(candidate) == file_sha256(temp):
            return candidate
        n += 1


async def store(upload, folder: Path, limits: Limits) -> Path:
    """Copy one starlette UploadFile into `folder` under its sanitised name; refuse it when over the size limit."""
    name = safe_name(upload.filename or "")
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".upload.{os.getpid()}.{id(upload)}{TEMP_SUFFIX}"
    size = 0
    try:
        with open(temp, "wb") as f:
            while chunk := await upload.read(1 << 20):
                size += len(chunk)
                if size > limits.max_bytes:
                    raise UploadRefused(f"the file is larger than the upload limit ({limits.max_bytes // 2**20} MiB)")
                f.write(chunk)
        dest = free_name(folder, name, temp)
        os.replace(temp, dest)
        return dest
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
