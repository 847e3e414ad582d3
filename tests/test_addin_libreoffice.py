"""LibreOffice imports the add-in's VBA and compiles our modules (issue 5).

Headless LibreOffice opens workbooks/xlcredit.xlam with its VBA import filter, and each of
our modules is compiled by LibreOffice Basic (in VBA-compatibility mode) and made to run a
probe; the ribbon module's label table is called for real and must answer in Chinese and
in English. A deliberately broken module must be caught, so the check can fail.

xlwings' own runtime modules (``xlwings``, ``Dictionary``) are imported but not compiled
here: they use Windows/Mac-only declarations LibreOffice Basic does not accept (the test
records that rather than hiding it).
"""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from xlcredit.excel.addin import ribbon

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "addin_lo_check.py"
SYSTEM_PYTHON = "/usr/bin/python3"
OUR_MODULES = ("xlcredit_ribbon", "xlcredit_functions", "xlcredit_register", "ThisWorkbook")

pytestmark = pytest.mark.libreoffice


def _can_run() -> str | None:
    if shutil.which("soffice") is None:
        return "soffice is not installed"
    try:
        subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return f"{SYSTEM_PYTHON} cannot import LibreOffice's uno module"
    return None


def _check(addin: Path, profile: Path, probes: dict[str, str]) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [SYSTEM_PYTHON, str(SCRIPT), str(addin), str(profile), json.dumps(probes)],
        capture_output=True, text=True, timeout=240, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module", autouse=True)
def _needs_libreoffice() -> None:
    reason = _can_run()
    if reason:
        pytest.skip(reason)


def _probes() -> dict[str, str]:
    label = 'RibbonText("btnAging", "label", True) & "|" & RibbonText("btnAging", "label", False)'
    probes = {name: "" for name in OUR_MODULES}
    probes["xlcredit_ribbon"] = label + ' & "|" & RibbonText("grpCredit", "label", True)'
    return probes


def test_libreoffice_imports_and_compiles_our_modules(tmp_path: Path) -> None:
    result = _check(ROOT / "workbooks" / "xlcredit.xlam", tmp_path / "profile", _probes())
    assert set(result["libraries"]["xlcredit"]) >= {*OUR_MODULES, "xlwings", "Dictionary", "Sheet2"}
    for name in OUR_MODULES:
        assert result["probes"][name]["ok"], f"LibreOffice could not compile {name}: {result['probes'][name]}"
    aging = next(b for b in ribbon.BUTTONS if b.id == "btnAging")
    credit = next(g for g in ribbon.GROUPS if g.id == "grpCredit")
    assert result["probes"]["xlcredit_ribbon"]["result"] == f"ok|{aging.zh}|{aging.en}|{credit.zh}"
    # the package itself: the add-in's configuration sheet as Calc reads it
    assert result["sheet"]["name"] == "xlcredit.conf"
    (k1, v1), (k2, v2) = result["sheet"]["cells"]
    assert (k1, v1, k2) == ("UDF Modules", "xlcredit_udfs", "Use UDF Server")
    assert v2 in ("TRUE", "1")  # a boolean cell; Calc shows it as 1 under the template's style


def test_a_broken_module_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_mod = importlib.import_module("xlcredit.excel.addin.build")
    table = ribbon.label_table_vba
    monkeypatch.setattr(build_mod.ribbon, "label_table_vba", lambda: table() + "Sub Broken(\r\n    x = = 1\r\nEnd Sub\r\n")
    broken = build_mod.build(tmp_path / "broken.xlam")
    result = _check(broken, tmp_path / "profile", {"xlcredit_ribbon": "", "xlcredit_functions": ""})
    assert not result["probes"]["xlcredit_ribbon"]["ok"]
    assert result["probes"]["xlcredit_functions"]["ok"]
