"""MS-OVBA run-length compression (section 2.4.1 of [MS-OVBA]) written from the spec.

VBA keeps module source and the ``dir`` stream in a "CompressedContainer": a signature byte
``0x01`` then chunks of at most 4096 decompressed bytes, each a two-byte header and either
compressed tokens (literal bytes and copy tokens) or, for incompressible data, raw bytes.

Our compressor writes compressed chunks only (DESIGN.md section 4: uncompressed chunks broke
other tools) and is checked against oletools' independent decompressor in the tests. We do
not use the PyPI package ``ms-ovba-compression`` 1.0.1: an operator-precedence bug in its
copy-token length corrupts modules over about 4 KB.

References
----------
[MS-OVBA] Office VBA File Format Structure, 2.4.1 Compression and Decompression.
"""

from __future__ import annotations

from xlcredit.engine.errors import XlCreditError

__all__ = ["compress", "decompress"]

_CHUNK = 4096


def _copy_token_help(difference: int) -> tuple[int, int, int]:
    """Bit count of the offset, length mask and maximum length for a copy token written when
    ``difference`` bytes of the chunk are already decompressed (MS-OVBA 2.4.1.3.19.1).

    >>> _copy_token_help(1), _copy_token_help(17), _copy_token_help(4095)
    ((4, 4095, 4098), (5, 2047, 2050), (12, 15, 18))
    """
    bit_count = max((difference - 1).bit_length(), 4)
    length_mask = 0xFFFF >> bit_count
    return bit_count, length_mask, length_mask + 3


def _compress_chunk(data: bytes) -> bytes:
    """Compress one chunk (at most 4096 bytes) into header + token sequences."""
    out = bytearray()
    index: dict[bytes, list[int]] = {}
    pos = 0
    end = len(data)
    while pos < end:
        flag_pos = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            best_len, best_off = 0, 0
            if pos + 3 <= end:
                _, _, max_len = _copy_token_help(pos)
                limit = min(max_len, end - pos)
                for cand in reversed(index.get(data[pos : pos + 3], ())):
                    n = 3
                    while n < limit and data[cand + n] == data[pos + n]:
                        n += 1
                    if n > best_len:
                        best_len, best_off = n, pos - cand
                        if n == limit:
                            break
            step = best_len if best_len >= 3 else 1
            if best_len >= 3:
                bit_count, _, _ = _copy_token_help(pos)
                token = ((best_off - 1) << (16 - bit_count)) | (best_len - 3)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
            else:
                out.append(data[pos])
            for p in range(pos, pos + step):
                if p + 3 <= end:
                    index.setdefault(data[p : p + 3], []).append(p)
            pos += step
        out[flag_pos] = flags
    if len(out) > _CHUNK:
        raise XlCreditError(
            f"VBA chunk does not compress ({len(out)} bytes for {len(data)}); "
            "module source must be text, which always compresses."
        )
    header = (len(out) + 2 - 3) | (0b011 << 12) | 0x8000
    return header.to_bytes(2, "little") + bytes(out)


def compress(data: bytes) -> bytes:
    """Compress bytes into an MS-OVBA CompressedContainer (compressed chunks only).

    Examples
    --------
    Does a short module source survive the trip through the VBA compressor?

    >>> src = b"Attribute VB_Name = \\"Demo\\"\\r\\n" * 40
    >>> decompress(compress(src)) == src
    True
    >>> compress(b"abcabcabc").hex()
    '0105b0086162630320'
    """
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK):
        out += _compress_chunk(data[start : start + _CHUNK])
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer (both chunk kinds).

    >>> decompress(bytes.fromhex("0105b0086162630320"))
    b'abcabcabc'
    """
    if not container or container[0] != 0x01:
        raise XlCreditError("VBA compressed container must start with byte 0x01.")
    out = bytearray()
    pos = 1
    while pos < len(container):
        header = int.from_bytes(container[pos : pos + 2], "little")
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise XlCreditError(f"bad VBA chunk signature at byte {pos}.")
        chunk_end = min(pos + size, len(container))
        pos += 2
        start = len(out)
        if not header & 0x8000:
            out += container[pos : pos + _CHUNK]
            pos += _CHUNK
            continue
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if flags & (1 << bit):
                    token = int.from_bytes(container[pos : pos + 2], "little")
                    pos += 2
                    bit_count, length_mask, _ = _copy_token_help(len(out) - start)
                    length = (token & length_mask) + 3
                    offset = (token >> (16 - bit_count)) + 1
                    src = len(out) - offset
                    if src < start:
                        raise XlCreditError("VBA copy token points before its chunk.")
                    for k in range(length):
                        out.append(out[src + k])
                else:
                    out.append(container[pos])
                    pos += 1
    return bytes(out)
