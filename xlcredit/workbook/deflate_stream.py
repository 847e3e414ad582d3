"""Large parts deflated as they are made, never held whole as text (issue 17, memory).

A refresh of a million-row ledger writes sheets of tens to hundreds of megabytes: the Buyers
sheet with its output columns spliced in, the Forecast and Collections sheets. Joining such a
sheet into one text, encoding it and deflating it at the save holds it two or three times at
once. Here the text is deflated a piece at a time as it is produced, and only the
compressed bytes are kept.

A raw deflate stream may be cut at a byte boundary and continued by another (zlib's sync
flush ends a piece that way, without the final-block mark), so a part can also be put
together from separately deflated pieces, such as the Buyers sheet's head, its spliced
cells and its tail. The zip member's CRC-32 of the whole is combined from the pieces' own
(:func:`crc32_combine`), so no piece is inflated again.

>>> pieces = [deflate_piece(b"<a>"), deflate_piece(b"text" * 100), deflate_piece(b"</a>")]
>>> member = member_of(pieces)
>>> zlib.decompress(member.data, -15) == b"<a>" + b"text" * 100 + b"</a>"
True
>>> member.crc == zlib.crc32(b"<a>" + b"text" * 100 + b"</a>"), member.size
(True, 407)
"""

from __future__ import annotations

import collections
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from xlcredit.workbook.xlsx_parts import COMPRESS_LEVEL, _Member, inflate

_R = TypeVar("_R")

#: The final, empty deflate block (fixed Huffman codes, end of block): closes a stream of
#: pieces ended by sync flushes.
_FINAL_BLOCK = b"\x03\x00"

#: How many pieces a :class:`DeflateWriter` lets wait for its thread before the writer
#: waits (bounds the text held when the producer is faster than zlib).
_PENDING = 4


@dataclass(frozen=True)
class Deflated:
    """Bytes as a raw deflate stream ended on a byte boundary and not final (more pieces
    may follow), with the CRC-32 and the size of the bytes."""

    data: bytes
    crc: int
    size: int


def deflate_piece(data: bytes, level: int = COMPRESS_LEVEL) -> Deflated:
    """``data`` deflated as one piece of a stream (sync flush, no final block)."""
    writer = DeflateWriter(level=level)
    writer.write(data)
    return writer.close().result()


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, row) for row in matrix]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of ``a + b`` from ``crc32(a)``, ``crc32(b)`` and ``len(b)``.

    CRC-32 is linear over GF(2): appending ``len2`` zero bytes to ``a`` is a 32x32 bit
    matrix applied to its CRC, raised to the power ``len2`` by repeated squaring (a few
    milliseconds whatever the length), after which ``b``'s own CRC is added in.

    >>> a, b = b"credit ", b"control"
    >>> crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)
    True
    """
    if len2 <= 0:
        return crc1
    zeros = [0xEDB88320] + [1 << n for n in range(31)]  # appending one zero bit
    for _ in range(3):
        zeros = _gf2_square(zeros)  # then 2, 4, 8 bits: one zero byte
    while len2:  # the operator for len2 zero bytes, by repeated squaring
        if len2 & 1:
            crc1 = _gf2_times(zeros, crc1)
        len2 >>= 1
        if len2:
            zeros = _gf2_square(zeros)
    return crc1 ^ crc2


def member_of(pieces: Sequence[Deflated]) -> _Member:
    """The zip member (deflated) of the pieces' bytes one after the other."""
    crc, size = 0, 0
    for piece in pieces:
        crc = crc32_combine(crc, piece.crc, piece.size)
        size += piece.size
    return _Member(8, crc, size, b"".join(p.data for p in pieces) + _FINAL_BLOCK)


def inflate_piece(piece: Deflated) -> bytes:
    """The bytes of a piece (closed with the final block, it is a whole member)."""
    return inflate(_Member(8, piece.crc, piece.size, piece.data + _FINAL_BLOCK))


class DeflateWriter:
    """Deflate bytes written in order into one piece, on ``pool``'s threads when given
    (zlib works without Python's lock, so the text is compressed while the next is made).

    >>> writer = DeflateWriter()
    >>> for text in ("<row>", "1", "</row>"):
    ...     writer.write(text.encode())
    >>> inflate_piece(writer.close().result())
    b'<row>1</row>'
    >>> writer = DeflateWriter()
    >>> writer.write_texts(["<row>", "2", "</row>"], size=4)
    >>> inflate_piece(writer.close().result())
    b'<row>2</row>'
    """

    def __init__(self, pool: Executor | None = None, level: int = COMPRESS_LEVEL) -> None:
        self._pool = pool
        self._packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._out: list[bytes] = []
        self._crc = 0
        self._size = 0
        self._pending: collections.deque[Future[None]] = collections.deque()

    def _feed(self, data: bytes, before: Future[None] | None) -> None:
        if before is not None:  # one stream: the pieces are deflated in order
            before.result()
        self._out.append(self._packer.compress(data))
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)

    def write(self, data: bytes) -> None:
        """Deflate ``data`` after what was written before."""
        if self._pool is None:
            self._feed(data, None)
            return
        before = self._pending[-1] if self._pending else None
        self._pending.append(self._pool.submit(self._feed, data, before))
        while len(self._pending) > _PENDING:
            self._pending.popleft().result()

    def write_texts(self, texts: Sequence[str], size: int = 4 * 1024**2) -> None:
        """Write ``texts`` encoded as UTF-8, joined into pieces of about ``size`` characters:
        a piece ends with the text whose running length passes a multiple of ``size`` (the
        cuts found with numpy, not text by text)."""
        if not len(texts):
            return
        ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
        cuts = np.flatnonzero(np.diff(ends // size, prepend=0)) + 1  # after the text that passes a multiple
        cuts = cuts[cuts < len(texts)]
        for start, stop in zip([0, *cuts.tolist()], [*cuts.tolist(), len(texts)], strict=True):
            self.write("".join(texts[start:stop]).encode("utf-8"))

    def _finish(self, final: bool) -> tuple[bytes, int, int]:
        while self._pending:
            self._pending.popleft().result()
        self._out.append(self._packer.flush(zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH))
        data = b"".join(self._out)
        self._out = []
        return data, self._crc, self._size

    def _close(self, make: Callable[[], _R]) -> Future[_R]:
        if self._pool is None:
            future: Future[_R] = Future()
            future.set_result(make())
            return future
        pending = list(self._pending)
        self._pending.clear()

        def finish() -> _R:
            for earlier in pending:  # submitted before: running or done, never waiting on this
                earlier.result()
            return make()

        return self._pool.submit(finish)

    def close(self) -> Future[Deflated]:
        """The piece of everything written, to be followed by more (its future, finished
        already when run without a pool)."""
        return self._close(lambda: Deflated(*self._finish(final=False)))

    def close_member(self) -> Future[_Member]:
        """Everything written as a whole zip member (its future).

        >>> writer = DeflateWriter()
        >>> writer.write(b"<a/>")
        >>> zlib.decompress(writer.close_member().result().data, -15)
        b'<a/>'
        """

        def member() -> _Member:
            data, crc, size = self._finish(final=True)
            return _Member(8, crc, size, data)

        return self._close(member)
