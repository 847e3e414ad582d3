"""The LibreOffice harness says why it cannot run instead of failing (issue 17, last bullet)."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from lo import harness


def _fake_soffice(folder: Path) -> Path:
    folder.mkdir(parents=True)
    program = folder / "soffice"
    program.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def test_a_libreoffice_without_its_python_script_provider_is_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = _fake_soffice(tmp_path / "program")
    monkeypatch.setattr(shutil, "which", lambda name: str(program) if name == "soffice" else None)
    assert harness.script_provider() is None
    if harness.SYSTEM_PYTHON and os.path.exists(harness.SYSTEM_PYTHON):
        reason = harness.available()
        # Either the system Python lacks uno (reported first) or the provider is missing.
        assert reason is not None
        assert "uno" in reason or "libreoffice-script-provider-python" in reason


def test_the_script_provider_is_found_beside_the_real_soffice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = _fake_soffice(tmp_path / "program")
    (program.parent / "pythonscript.py").write_text("# provider\n", encoding="utf-8")
    link = tmp_path / "bin" / "soffice"
    link.parent.mkdir()
    link.symlink_to(program)
    monkeypatch.setattr(shutil, "which", lambda name: str(link) if name == "soffice" else None)
    assert harness.script_provider() == program.parent / "pythonscript.py"
