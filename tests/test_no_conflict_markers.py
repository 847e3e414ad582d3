"""No file of the checkout carries merge-conflict markers (a README once shipped with them
from a merge resolved in a hurry; nothing else would have noticed)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT_SUFFIXES = {".py", ".md", ".bas", ".cls", ".xml", ".toml", ".txt", ".cfg", ".json", ".yml", ".yaml", ""}
SKIP = {".git", ".venv", "build", "dist", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
        ".hypothesis", "demo", "out"}
MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.M)


def _text_files() -> list[Path]:
    return [p for p in ROOT.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES
            and not SKIP.intersection(p.relative_to(ROOT).parts)]


def test_no_merge_conflict_markers() -> None:
    found = [f"{p.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
             for p in _text_files()
             for text in [p.read_text(encoding="utf-8", errors="replace")]
             for m in MARKER.finditer(text)]
    assert found == []


def test_the_marker_pattern_finds_a_conflict() -> None:
    sample = "a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> main\n"
    assert len(MARKER.findall(sample)) == 3
