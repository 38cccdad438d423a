"""Mutated samples (flipped, inserted, deleted and truncated bytes) never end in a traceback.

Every mutation gives a PlanDocument or a clean `PhulucError`. Seeded, so a failure
reproduces; bounded to a few hundred conversions (well under a minute).
"""

from __future__ import annotations

import os
import random
import signal
from pathlib import Path

import pytest

import phuluc
from phuluc.schema.errors import PhulucError

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FILES = ["vinh-bao-761.docx", "tay-ninh-617-two-level.docx", "vinh-bao-761.pdf", "owner-password-ha-noi.pdf",
         "tien-lang-18-vntime.docx", "rotated-ubnd-617.pdf"]
PER_FILE = int(os.environ.get("PHULUC_FUZZ_N", "60"))  # more for a longer hunt
TIME_LIMIT = 20  # seconds per conversion: a hang is a finding too


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    kind = rng.choice(["flip", "flip", "zero-run", "insert", "delete", "truncate", "duplicate"])
    if kind == "flip":
        for _ in range(rng.randint(1, 20)):
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
    elif kind == "zero-run":
        i = rng.randrange(len(buf))
        buf[i:i + rng.randint(1, 512)] = bytes(min(512, len(buf) - i))
    elif kind == "insert":
        i = rng.randrange(len(buf))
        buf[i:i] = rng.randbytes(rng.randint(1, 64))
    elif kind == "delete":
        i = rng.randrange(len(buf))
        del buf[i:i + rng.randint(1, 256)]
    elif kind == "truncate":
        del buf[rng.randrange(1, len(buf)):]
    else:
        i, j = sorted(rng.randrange(len(buf)) for _ in range(2))
        buf[j:j] = buf[i:j][:4096]
    return bytes(buf)


def mutate_inside(docx: bytes, rng: random.Random) -> bytes:
    """Mutate one XML part of a DOCX and zip it again, so the XML reader (not only the zip CRC) sees the damage."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(docx))
    parts = [n for n in src.namelist() if n.endswith(".xml")]
    victim = "word/document.xml" if rng.random() < 0.6 else rng.choice(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            data = src.read(name)
            z.writestr(name, mutate(data, rng) if name == victim else data)
    return out.getvalue()


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


# PDFs with both engines (each engine also falls back on the other for a file it cannot open).
CASES = [(name, engine) for name in FILES for engine in (("pdfium", "pdfplumber") if name.endswith(".pdf") else ("pdfium",))]


@pytest.mark.parametrize(("name", "engine"), CASES)
def test_mutations_give_a_result_or_a_clean_error(tmp_path: Path, name: str, engine: str):
    rng = random.Random(f"phuluc-fuzz-{name}-{os.environ.get('PHULUC_FUZZ_SEED', '')}")
    original = (SAMPLES / name).read_bytes()
    target = tmp_path / name
    crashes = []
    use_alarm = hasattr(signal, "SIGALRM")
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
    try:
        for i in range(PER_FILE):
            inside = name.endswith(".docx") and i % 2 == 0
            data = mutate_inside(original, rng) if inside else mutate(original, rng)
            target.write_bytes(data)
            if use_alarm:
                signal.alarm(TIME_LIMIT)
            try:
                doc = phuluc.convert(target, {"pdf_engine": engine})
                assert isinstance(doc, phuluc.PlanDocument)
                doc.to_dict()
            except PhulucError as e:
                assert e.code and e.message and "\n" not in e.message
            except _Hang:
                crashes.append((i, "hang"))
            except Exception as e:  # noqa: BLE001 - exactly what this test looks for
                crashes.append((i, f"{type(e).__name__}: {e}"))
                (tmp_path / f"crash-{i}-{name}").write_bytes(data)
            finally:
                if use_alarm:
                    signal.alarm(0)
    finally:
        if use_alarm:
            signal.signal(signal.SIGALRM, old)
    assert not crashes, f"{name}: {crashes} (inputs kept in {tmp_path})"
