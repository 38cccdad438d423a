"""A ceiling on the size of a decompressed PDF stream.

pdfminer inflates each stream (page contents, object streams, fonts) whole with
`zlib.decompress`, so a 1 MiB file whose content stream inflates to 1 GiB takes
gigabytes. While `stream_limit` is active, pdfminer's zlib and LZW decoders stop at
the limit and raise `TooLarge`: the file is refused, nothing big is ever built.
PDFium inflates in C, out of reach: `refuse_inflation_bombs` inflates every Flate
stream of the file once beforehand, counting bytes and keeping none.
"""

from __future__ import annotations

import contextlib
import io
import mmap
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder

from phuluc.schema.errors import TooLarge

_limit: list[int] = []
CHUNK = 8 * 2**20  # the active limit in bytes (a stack: nested reads keep theirs)


def _too_large(limit: int) -> TooLarge:
    return TooLarge(f"a PDF stream inflates to more than {limit // 2**20} MiB (the limit, Settings.max_stream): "
                    "a decompression bomb?")


class _Decompressor:
    """zlib.decompressobj that refuses to give more than the limit in total."""

    def __init__(self, limit: int) -> None:
        self._d = zlib.decompressobj()
        self._left = limit
        self._limit = limit

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        # In pieces: zlib grows one output buffer by doubling, which would take twice the limit.
        chunks: list[bytes] = []
        while True:
            out = self._d.decompress(data, min(self._left + 1, CHUNK))
            self._left -= len(out)
            if self._left < 0:
                raise _too_large(self._limit)
            chunks.append(out)
            data = self._d.unconsumed_tail
            if not data or not out:
                return b"".join(chunks)

    def flush(self) -> bytes:
        out = self._d.flush()
        self._left -= len(out)
        if self._left < 0:
            raise _too_large(self._limit)
        return out


class _BoundedZlib:
    """What pdfminer.pdftypes uses of the zlib module, with the limit applied."""

    error = zlib.error

    @staticmethod
    def decompressobj() -> _Decompressor | zlib._Decompress:
        return _Decompressor(_limit[-1]) if _limit else zlib.decompressobj()

    @staticmethod
    def decompress(data: bytes) -> bytes:
        if not _limit:
            return zlib.decompress(data)
        d = _Decompressor(_limit[-1])
        out = d.decompress(data)
        if not d._d.eof:
            raise zlib.error("incomplete or truncated stream")  # as zlib.decompress: pdfminer then recovers
        return out


def _bounded_lzw(data: bytes) -> bytes:
    limit = _limit[-1] if _limit else None
    chunks: list[bytes] = []
    total = 0
    for chunk in LZWDecoder(io.BytesIO(data)).run():
        chunks.append(chunk)
        total += len(chunk)
        if limit is not None and total > limit:
            raise _too_large(limit)
    return b"".join(chunks)


def _checked(decode: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    """A decoder whose growth is bounded by its input (run-length: 64x, ASCII hex/85: under 1x), checked after."""

    def run(data: bytes) -> bytes:
        out = decode(data)
        if _limit and len(out) > _limit[-1]:
            raise _too_large(_limit[-1])
        return out

    return run


pdftypes.zlib = _BoundedZlib  # type: ignore[assignment]
pdftypes.lzwdecode = _bounded_lzw
pdftypes.rldecode = _checked(pdftypes.rldecode)
pdftypes.ascii85decode = _checked(pdftypes.ascii85decode)
pdftypes.asciihexdecode = _checked(pdftypes.asciihexdecode)


@contextlib.contextmanager
def stream_limit(limit_bytes: int) -> Iterator[None]:
    """Within the block, no PDF stream inflates to more than `limit_bytes`."""
    _limit.append(limit_bytes)
    try:
        yield
    finally:
        _limit.pop()


# "stream" after a dictionary's ">>", then one end of line; images are not inflated to read text.
_STREAM = re.compile(rb">>\s*stream\r?\n")
_IMAGE = re.compile(rb"/Subtype\s*/Image")
# Deflate's largest inflation: 1032 bytes out per byte in (a 258-byte match in 2 bits; zlib's
# FAQ and "zlib technical details"). A stream can't inflate past this times the bytes after its start.
MAX_DEFLATE_RATIO = 1032


def refuse_inflation_bombs(path: Path, limit_bytes: int) -> None:
    """`TooLarge` when a Flate stream of the file (not an image) inflates to more than `limit_bytes`.

    Streams are found by their keyword in the raw bytes (object streams included; an
    encrypted stream is not zlib data and is skipped); each is inflated in pieces that are
    counted and dropped, so this costs time, not memory. A stream with too few bytes after
    it to reach the limit even at deflate's largest ratio is not inflated (any file under
    about 130 KB at the default limit): the same verdict, without the work.
    """
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for match in _STREAM.finditer(data):
            start = match.end()
            if data[start:start + 1] != b"\x78":  # zlib's first byte for the usual windows
                continue
            if (len(data) - start) * MAX_DEFLATE_RATIO <= limit_bytes:
                return  # this stream and every later one are too short to reach the limit
            dictionary = data[max(0, data.rfind(b"obj", max(0, match.start() - 4096), match.start())):match.start()]
            if _IMAGE.search(dictionary):
                continue
            if _inflated_size(data, start, limit_bytes) > limit_bytes:
                raise _too_large(limit_bytes)


def _inflated_size(data: mmap.mmap, start: int, limit: int) -> int:
    """Bytes that the zlib stream at `start` inflates to, counted up to just over `limit`."""
    d = zlib.decompressobj()
    total = 0
    pos = start
    try:
        while not d.eof and (pos < len(data) or d.unconsumed_tail) and total <= limit:
            chunk = d.unconsumed_tail or data[pos:pos + CHUNK]
            if not d.unconsumed_tail:
                pos += len(chunk)
            total += len(d.decompress(chunk, CHUNK))
    except zlib.error:
        pass  # not zlib data (an encrypted stream) or damaged: PDFium will judge it
    return total
