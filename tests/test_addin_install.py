"""``xlcredit addin install`` and ``doctor`` (issue 5): on Linux they explain and exit
cleanly; the Windows logic that can be separated from Windows (registry OPEN values,
the configuration file) is tested here as plain functions."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlcredit.excel.addin import cli_main
from xlcredit.excel.addin.build import UDF_MODULE, XLWINGS_VERSION

install_mod = importlib.import_module("xlcredit.excel.addin.install")
doctor_mod = importlib.import_module("xlcredit.excel.addin.doctor")
ROOT = Path(__file__).resolve().parents[1]
ADDIN = r"C:\Users\li\AppData\Roaming\Microsoft\AddIns\xlcredit.xlam"


def test_install_elsewhere_prints_the_plan_and_changes_nothing(tmp_path: Path) -> None:
    out = io.StringIO()
    assert install_mod.install(out=out, platform="linux") == 0
    text = out.getvalue()
    assert "nothing was changed" in text
    assert r"Microsoft\AddIns\xlcredit.xlam" in text
    assert r".xlcredit\xlcredit.conf" in text and "INTERPRETER_WIN" in text
    assert r"Software\Microsoft\Office\16.0\Excel\Options" in text


def test_uninstall_elsewhere_prints_the_plan() -> None:
    out = io.StringIO()
    assert install_mod.install(uninstall=True, out=out, platform="darwin") == 0
    assert "remove the add-in" in out.getvalue() and "OPEN value" in out.getvalue()


def test_install_speaks_the_command_lines_language() -> None:
    # `xlcredit --lang zh-CN addin install`: the same plan, in Chinese, with the same paths
    out = io.StringIO()
    assert install_mod.install(uninstall=True, out=out, platform="linux", lang="zh-CN") == 0
    said = out.getvalue()
    assert "未做任何更改" in said and "卸载" in said and "删除加载项" in said
    assert r"Microsoft\AddIns\xlcredit.xlam" in said and r"Software\Microsoft\Office\16.0\Excel\Options" in said
    assert "nothing was changed" not in said and "remove the add-in" not in said


def test_paths_are_fixed_per_user() -> None:
    p = install_mod.paths({"APPDATA": r"C:\Users\li\AppData\Roaming", "USERPROFILE": r"C:\Users\li"})
    assert str(p.addin) == ADDIN
    assert str(p.config) == r"C:\Users\li\.xlcredit\xlcredit.conf"


OTHER = st.lists(
    st.sampled_from([r'"C:\a.xlam"', r"/R C:\b.xla", r'"D:\tools\c.xlam"', r"C:\d.xll"]),
    unique=True,
    max_size=4,
)


@given(OTHER, st.booleans())
def test_open_values_install_then_uninstall_restores_the_others(others: list[str], ours_first: bool) -> None:
    existing = {("OPEN" if i == 0 else f"OPEN{i}"): v for i, v in enumerate(others)}
    installed = install_mod.open_values_after(existing, ADDIN)
    # Excel stops at the first gap: names must be OPEN, OPEN1, ... without holes
    assert list(installed) == ["OPEN"] + [f"OPEN{i}" for i in range(1, len(installed))]
    assert [v for v in installed.values() if ADDIN in v] == [f'"{ADDIN}"']
    assert install_mod.open_values_after(installed, ADDIN) == installed  # idempotent
    removed = install_mod.open_values_after(installed, ADDIN, uninstall=True)
    assert list(removed.values()) == others


def test_open_values_recognise_our_path_in_any_form() -> None:
    existing = {"OPEN": f"/R {ADDIN.lower()}", "OPEN1": r'"C:\a.xlam"'}
    assert install_mod.open_values_after(existing, ADDIN, uninstall=True) == {"OPEN": r'"C:\a.xlam"'}


def test_config_file_keeps_user_settings() -> None:
    before = '"SHOW CONSOLE","True"\n"INTERPRETER_WIN","C:\\old\\python.exe"\n'
    text = install_mod.config_text(r"C:\new\python.exe", before)
    assert text.splitlines() == [
        '"SHOW CONSOLE","True"',
        '"INTERPRETER_WIN","C:\\new\\python.exe"',
        f'"UDF MODULES","{UDF_MODULE}"',
    ]
    assert install_mod.remove_our_config(text) == '"SHOW CONSOLE","True"\n'


def test_doctor_reports_and_skips_windows_checks() -> None:
    out = io.StringIO()
    code = doctor_mod.doctor(out=out, platform="linux")
    text = out.getvalue()
    assert code in (0, 1)
    for topic in ("configuration", "xlwings DLL", "registration"):
        assert f"[SKIP] {topic}: Windows only" in text
    assert f"[  OK] xlwings: xlwings {XLWINGS_VERSION}" in text
    for symptom in ("Could not activate Python COM server", "xlwings64-0.37.8.dll", "#NAME?",
                    "Object required", "ModuleNotFoundError"):
        assert symptom in text


def test_doctor_speaks_the_command_lines_language() -> None:
    # `xlcredit --lang zh-CN addin doctor`: the same checks and table, in Chinese; Excel's own
    # messages stay as Excel shows them (they are what the user searches for)
    out = io.StringIO()
    doctor_mod.doctor(out=out, platform="linux", lang="zh-CN")
    said = out.getvalue()
    assert "[SKIP] 注册：仅限 Windows" in said and f"[  OK] xlwings：xlwings {XLWINGS_VERSION}" in said
    assert "Could not activate Python COM server" in said and "原因：" in said and "解决：" in said
    assert "Windows only" not in said and "cause:" not in said


def test_doctor_fails_on_an_xlwings_version_mismatch(monkeypatch: pytest.MonkeyPatch) -> None:
    import xlwings

    monkeypatch.setattr(xlwings, "__version__", "0.99.0")
    checks = {c.topic: c for c in doctor_mod.run_checks(platform="linux")}
    assert checks["xlwings"].status == "FAIL" and "0.99.0" in checks["xlwings"].message
    assert checks["add-in version"].status == "FAIL"


def test_doctor_warns_when_no_addin_is_built(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(doctor_mod, "default_output", lambda: tmp_path / "none.xlam")
    checks = {c.topic: c for c in doctor_mod.run_checks(platform="linux")}
    assert checks["add-in file"].status == "WARN"
    assert "xlcredit addin build" in checks["add-in file"].message


def test_addin_carries_its_versions_and_functions() -> None:
    facts = doctor_mod.addin_facts(ROOT / "workbooks" / "xlcredit.xlam")
    assert facts["xlwings_version"] == XLWINGS_VERSION
    assert facts["udf_module"] == UDF_MODULE
    from xlcredit import __version__

    assert facts["xlcredit_version"] == __version__
    udfs = importlib.import_module("xlcredit_udfs")
    assert set(facts["functions"].split(",")) == set(udfs.__all__)


def test_cli_main_routes_the_three_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.xlam"
    assert cli_main(["build", "--output", str(target)]) == 0
    assert target.exists() and f"wrote {target}" in capsys.readouterr().out
    if not install_mod.sys.platform.startswith("win"):
        assert cli_main(["install"]) == 0
        assert cli_main(["install", "--uninstall"]) == 0
    assert cli_main(["doctor"]) in (0, 1)
    assert "xlcredit add-in doctor" in capsys.readouterr().out


def test_docs_cover_install_buttons_troubleshooting_and_release_checklist() -> None:
    from xlcredit.excel.addin import ribbon

    text = (ROOT / "docs" / "excel.md").read_text(encoding="utf-8")
    for heading in ("## Install (Windows)", "### macOS", "## First use with the template",
                    "## Troubleshooting", "## Release checklist"):
        assert heading in text, heading
    for command in ("xlcredit addin install", "--uninstall", "xlcredit addin doctor",
                    "tests/excel/function_checks.xlsx"):
        assert command in text, command
    for b in ribbon.BUTTONS:
        assert b.zh in text, b.zh
    for symptom, _, _ in doctor_mod.TROUBLESHOOTING[:5]:
        key = symptom.split(" (")[0].split(" / ")[0].split(":")[0]
        assert key in text, key


class FakeRegistry:
    """Just enough of ``winreg`` for the installer: one HKCU tree of string values."""

    HKEY_CURRENT_USER = "HKCU"
    REG_SZ = 1
    KEY_ALL_ACCESS = 0xF003F

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.keys: dict[str, dict[str, str]] = {}
        if values is not None:
            self.keys[install_mod.EXCEL_OPTIONS_KEY] = dict(values)

    class _Key:
        def __init__(self, values: dict[str, str]) -> None:
            self.values = values

        def __enter__(self) -> FakeRegistry._Key:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def OpenKey(self, root: str, path: str, *access: int) -> FakeRegistry._Key:
        if path not in self.keys:
            raise OSError("no such key")
        return self._Key(self.keys[path])

    def CreateKey(self, root: str, path: str) -> FakeRegistry._Key:
        return self._Key(self.keys.setdefault(path, {}))

    def EnumValue(self, key: FakeRegistry._Key, i: int) -> tuple[str, str, int]:
        items = list(key.values.items())
        if i >= len(items):
            raise OSError("no more values")
        return items[i][0], items[i][1], self.REG_SZ

    def SetValueEx(self, key: FakeRegistry._Key, name: str, _: int, kind: int, value: str) -> None:
        key.values[name] = value

    def DeleteValue(self, key: FakeRegistry._Key, name: str) -> None:
        del key.values[name]


def test_windows_install_doctor_uninstall_with_a_fake_registry(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The Windows code path, run here against a fake registry and a temporary profile.
    fake = FakeRegistry({"OPEN": '"C:\\other.xlam"', "OPEN1": "/R C:\\b.xla"})
    where = install_mod.Paths(
        addin=tmp_path / "AppData" / "Microsoft" / "AddIns" / "xlcredit.xlam",
        config=tmp_path / ".xlcredit" / "xlcredit.conf",
    )
    monkeypatch.setattr(install_mod, "_winreg", lambda: fake)
    monkeypatch.setattr(install_mod, "paths", lambda env=None: where)
    monkeypatch.setattr(doctor_mod, "paths", lambda env=None: where)
    monkeypatch.setattr(install_mod, "excel_running", lambda: False)
    where.config.parent.mkdir(parents=True)
    where.config.write_text('"SHOW CONSOLE","True"\n', encoding="utf-8")

    out = io.StringIO()
    assert install_mod.install(out=out, platform="win32") == 0
    addin = Path(str(where.addin))
    assert addin.read_bytes() == (ROOT / "workbooks" / "xlcredit.xlam").read_bytes()
    options = fake.keys[install_mod.EXCEL_OPTIONS_KEY]
    assert options == {"OPEN": '"C:\\other.xlam"', "OPEN1": "/R C:\\b.xla", "OPEN2": f'"{addin}"'}
    config = Path(str(where.config)).read_text(encoding="utf-8")
    assert '"SHOW CONSOLE","True"' in config and f'"INTERPRETER_WIN","{install_mod.sys.executable}"' in config
    assert "registered the add-in with Excel as OPEN2" in out.getvalue()

    checks = {c.topic: c for c in doctor_mod.run_checks(platform="win32")}
    for topic in ("registration", "configuration", "add-in version", "add-in functions"):
        assert checks[topic].status == "OK", checks[topic]
    assert checks["xlwings DLL"].status == "FAIL"  # no xlwings64-0.37.8.dll on this machine

    fake.keys[install_mod.ADDIN_MANAGER_KEY] = {str(addin): "", r"C:\keep.xlam": ""}
    assert install_mod.install(uninstall=True, out=io.StringIO(), platform="win32") == 0
    assert not addin.exists()
    assert fake.keys[install_mod.ADDIN_MANAGER_KEY] == {r"C:\keep.xlam": ""}
    assert Path(str(where.config)).read_text(encoding="utf-8") == '"SHOW CONSOLE","True"\n'
    assert options == {"OPEN": '"C:\\other.xlam"', "OPEN1": "/R C:\\b.xla"}
    checks = {c.topic: c for c in doctor_mod.run_checks(platform="win32")}
    assert checks["registration"].status == "FAIL" and checks["add-in file"].status == "FAIL"


# -- issue 13, 10 and 4: Excel running; conda and per-user installs ---------------------------------
def test_install_refuses_while_excel_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from xlcredit.engine.errors import WorkbookLockedError

    fake = FakeRegistry({"OPEN": '"C:\\other.xlam"'})
    where = install_mod.Paths(addin=tmp_path / "AddIns" / "xlcredit.xlam", config=tmp_path / "c.conf")
    monkeypatch.setattr(install_mod, "_winreg", lambda: fake)
    monkeypatch.setattr(install_mod, "paths", lambda env=None: where)
    monkeypatch.setattr(install_mod, "excel_running", lambda: True)
    for uninstall in (False, True):
        with pytest.raises(WorkbookLockedError, match=r"Excel is running.*Close every Excel window"):
            install_mod.install(uninstall=uninstall, out=io.StringIO(), platform="win32")
    assert not Path(str(where.addin)).exists() and not Path(str(where.config)).exists()
    assert fake.keys[install_mod.EXCEL_OPTIONS_KEY] == {"OPEN": '"C:\\other.xlam"'}
    monkeypatch.setattr(install_mod, "excel_running", lambda: None)  # cannot tell: go on, warn
    out = io.StringIO()
    assert install_mod.install(out=out, platform="win32") == 0
    assert "could not check whether Excel is running" in out.getvalue()


def test_excel_running_reads_tasklist() -> None:
    class Done:
        def __init__(self, code: int, text: str) -> None:
            self.returncode, self.stdout = code, text

    # tasklist /FO CSV /NH output (Windows 10): a match, no match, a failure
    found = '"EXCEL.EXE","11236","Console","1","187,604 K"\r\n'
    none = "INFO: No tasks are running which match the specified criteria.\r\n"
    assert install_mod.excel_running(lambda *a, **k: Done(0, found)) is True
    assert install_mod.excel_running(lambda *a, **k: Done(0, none)) is False
    assert install_mod.excel_running(lambda *a, **k: Done(1, "")) is None

    def missing(*a: object, **k: object) -> None:
        raise FileNotFoundError("tasklist")

    assert install_mod.excel_running(missing) is None


def test_python_kinds_and_their_configuration() -> None:
    kind = install_mod.python_kind
    conda_env = kind(r"C:\mc\envs\credit", r"C:\mc\envs\credit", r"C:\mc\envs\credit\Lib\site-packages\xlwings",
                     "", {"CONDA_PREFIX": r"C:\mc\envs\credit"})
    assert (conda_env.kind, conda_env.conda_path, conda_env.conda_env) == ("conda", r"C:\mc", "credit")
    base = kind(r"C:\mc", r"C:\mc", r"C:\mc\Lib\site-packages\xlwings", "", {"CONDA_PREFIX": r"C:\mc"})
    assert (base.conda_path, base.conda_env) == (r"C:\mc", "base")
    user_site = r"C:\Users\li\AppData\Roaming\Python\Python311\site-packages"
    user = kind(r"C:\Program Files\Python311", r"C:\Program Files\Python311",
                user_site + r"\xlwings", user_site, {})
    assert (user.kind, user.dll_folder) == ("user", r"C:\Users\li\AppData\Roaming\Python\Python311")
    venv = kind(r"C:\work\.venv", r"C:\Python311", r"C:\work\.venv\Lib\site-packages\xlwings", user_site, {})
    assert venv.kind == "venv"
    system = kind(r"C:\Python311", r"C:\Python311", r"C:\Python311\Lib\site-packages\xlwings", user_site, {})
    assert system.kind == "system"
    text = install_mod.config_text(r"C:\mc\envs\credit\python.exe", '"CONDA ENV","old"\n', conda_env)
    assert text.splitlines() == [
        '"INTERPRETER_WIN","C:\\mc\\envs\\credit\\python.exe"', f'"UDF MODULES","{UDF_MODULE}"',
        '"CONDA PATH","C:\\mc"', '"CONDA ENV","credit"']
    assert install_mod.remove_our_config(text) == ""  # uninstall leaves nothing of ours


def test_doctor_warns_about_a_per_user_xlwings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor_mod, "python_kind", lambda: install_mod.PythonKind("user", dll_folder=r"C:\u"))
    checks = {c.topic: c for c in doctor_mod.run_checks(platform="linux")}
    assert checks["Python kind"].status == "WARN" and "pip --user" in checks["Python kind"].message


class TrustRegistry(FakeRegistry):
    """FakeRegistry with subkeys and typed values: the Trust Center's part of HKCU."""

    def QueryValueEx(self, key: FakeRegistry._Key, name: str) -> tuple[object, int]:
        if name not in key.values:
            raise OSError("no such value")
        return key.values[name], self.REG_SZ

    def EnumKey(self, key: FakeRegistry._Key, i: int) -> str:
        path = next(p for p, v in self.keys.items() if v is key.values)
        children = sorted({p[len(path) + 1:].split("\\")[0] for p in self.keys
                           if p.startswith(path + "\\")})
        if i >= len(children):
            raise OSError("no more keys")
        return children[i]


def test_doctor_reads_the_macro_setting_and_the_trusted_locations() -> None:
    # issue 13, 13: %APPDATA%\Microsoft\AddIns is not a default trusted location (docs/excel.md)
    security = doctor_mod.SECURITY_KEYS[1]
    env = {"APPDATA": r"C:\Users\li\AppData\Roaming"}
    reg = TrustRegistry()
    assert doctor_mod.macro_trust(ADDIN, reg, env).status == "OK"  # nothing set: Excel's default (2)
    reg.keys[security] = {"VBAWarnings": 4}
    check = doctor_mod.macro_trust(ADDIN, reg, env)
    assert check.status == "FAIL" and "without notification" in check.message
    assert r"C:\Users\li\AppData\Roaming\Microsoft\AddIns is not a trusted location" in check.message
    reg.keys[security + r"\Trusted Locations"] = {}
    reg.keys[security + r"\Trusted Locations\Location9"] = {"Path": r"%APPDATA%\Microsoft\AddIns\\"}
    assert doctor_mod.macro_trust(ADDIN, reg, env).status == "OK"
    reg.keys[doctor_mod.SECURITY_KEYS[0]] = {"VBAWarnings": 3}  # a policy wins over the user
    del reg.keys[security + r"\Trusted Locations\Location9"]
    reg.keys[security + r"\Trusted Locations\Location1"] = {"Path": "C:\\Users\\li\\", "AllowSubfolders": 1}
    assert doctor_mod.macro_trust(ADDIN, reg, env).status == "OK"
    reg.keys[security + r"\Trusted Locations\Location1"]["AllowSubfolders"] = 0
    assert "except digitally signed" in doctor_mod.macro_trust(ADDIN, reg, env).message
