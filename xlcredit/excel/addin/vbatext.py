"""Write any text as VBA string expressions in a cp1252 module.

A VBA project stores source in its code page (cp1252 for the template), so Chinese labels
and help texts are spelled with ``ChrW(&H....)``; lines stay far below VBA's limit of 1023
characters by building long texts over several assignments.
"""

from __future__ import annotations

__all__ = ["assign", "expr"]


def _pieces(text: str) -> list[str]:
    pieces: list[str] = []
    literal = ""
    for ch in text:
        try:
            ok = ch.encode("cp1252") and ch.isprintable()
        except UnicodeEncodeError:
            ok = False
        if ok:
            literal += ch.replace('"', '""')
            if len(literal) >= 200:
                pieces.append(f'"{literal}"')
                literal = ""
            continue
        if literal:
            pieces.append(f'"{literal}"')
            literal = ""
        units = ch.encode("utf-16-le")
        for i in range(0, len(units), 2):
            pieces.append(f"ChrW(&H{int.from_bytes(units[i:i + 2], 'little'):X})")
    if literal or not pieces:
        pieces.append(f'"{literal}"')
    return pieces


def expr(text: str) -> str:
    """One VBA expression for ``text`` (for short texts such as ribbon labels).

    >>> print(expr('a"b'))
    "a""b"
    >>> expr("账龄")
    'ChrW(&H8D26) & ChrW(&H9F84)'
    """
    return " & ".join(_pieces(text))


def assign(var: str, text: str, width: int = 240) -> list[str]:
    """VBA lines that leave ``text`` in ``var``, each line at most about ``width`` long.

    >>> assign("s", "ab")
    ['s = "ab"']
    >>> [len(line) for line in assign("s", "x" * 450)]
    [206, 210, 60]
    """
    lines: list[str] = []
    current: list[str] = []
    for piece in _pieces(text):
        if current and len(" & ".join([*current, piece])) > width:
            lines.append(" & ".join(current))
            current = []
        current.append(piece)
    lines.append(" & ".join(current))
    return [f"{var} = {lines[0]}"] + [f"{var} = {var} & {rest}" for rest in lines[1:]]
