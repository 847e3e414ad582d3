"""Build ``workbooks/xlcredit.xlam`` from xlwings' Excel-made add-in template.

The template is ``quickstart_addin_ribbon.xlam`` from the pinned xlwings wheel (its hash is
checked). We keep its VBA project and swap module source (DESIGN.md section 4):

==========================  ===================================================
module                      source
==========================  ===================================================
``xlwings``                 xlwings' VBA runtime for custom add-ins, project name
                            ``xlcredit`` (config sheet ``xlcredit.conf``, user
                            config ``%USERPROFILE%\\.xlcredit\\xlcredit.conf``)
``xlcredit_ribbon``         ribbon callbacks (the template's ``RibbonMyAddin``,
                            renamed) plus the generated label table
``xlcredit_functions``      UDF wrappers by xlwings' ``generate_vba_wrapper``
``xlcredit_register``       ``Application.MacroOptions`` for every function
``ThisWorkbook``            ``Workbook_Open`` calls the registration
``Dictionary``, ``Sheet2``  unchanged
==========================  ===================================================

The package is written deterministically: fixed zip timestamps and order, fixed document
properties, and a compound file with zero timestamps and CLSIDs.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from importlib import resources
from pathlib import Path

from xlcredit.engine.errors import XlCreditError
from xlcredit.excel.addin import ribbon
from xlcredit.excel.addin.project import ModuleSource, edit_project
from xlcredit.excel.addin.vbatext import assign
from xlcredit.excel.addin.wrappers import UdfInfo, generate_wrappers, udf_metadata
from xlcredit.messages import Message

__all__ = [
    "ADDED_MODULES",
    "PROJECT_NAME",
    "RENAMES",
    "TEMPLATE_SHA256",
    "UDF_MODULE",
    "XLWINGS_VERSION",
    "build",
    "build_parts",
    "default_output",
    "template_parts",
    "vba_sources",
]

XLWINGS_VERSION = "0.37.8"
TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
TEMPLATE_SHA256 = "43010e1abd6e7a48b4693367f062196654a21c256683dccbaec810df7a6f4dbb"
PROJECT_NAME = "xlcredit"
UDF_MODULE = "xlcredit_udfs"
RENAMES = {"RibbonMyAddin": ribbon.RIBBON_MODULE}
ADDED_MODULES = ("xlcredit_functions", "xlcredit_register")
CONFIG_SHEET = f"{PROJECT_NAME}.conf"
CONFIG: tuple[tuple[str, str | bool], ...] = (
    ("UDF Modules", UDF_MODULE),
    ("Use UDF Server", True),
)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_PARTS_ORDER = ("[Content_Types].xml", "_rels/.rels")
_UI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"


def _template_path() -> Path:
    import xlwings

    if xlwings.__version__ != XLWINGS_VERSION:
        raise XlCreditError(Message("addin.wrong_xlwings", {"want": XLWINGS_VERSION, "have": xlwings.__version__}))
    return Path(xlwings.__file__).parent / TEMPLATE_NAME


def template_parts() -> dict[str, bytes]:
    """The parts of xlwings' add-in template, after checking its SHA-256.

    >>> sorted(template_parts())[:3]
    ['[Content_Types].xml', '_rels/.rels', 'customUI/customUI.xml']
    """
    data = _template_path().read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != TEMPLATE_SHA256:
        raise XlCreditError(Message("addin.template_digest", {"name": TEMPLATE_NAME, "want": XLWINGS_VERSION,
                                                              "expected": TEMPLATE_SHA256, "digest": digest}))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _vba_file(name: str) -> str:
    return (resources.files("xlcredit.excel.addin") / "vba" / name).read_text(encoding="utf-8")


def _xlwings_module(template_source: str) -> str:
    pattern = r'Public Const PROJECT_NAME As String = "myaddin"'
    if len(re.findall(pattern, template_source)) != 1:
        raise XlCreditError("xlwings module of the template has no PROJECT_NAME constant.")
    source = template_source.replace(pattern, pattern.replace("myaddin", PROJECT_NAME))
    if f'XLWINGS_VERSION As String = "{XLWINGS_VERSION}"' not in source:
        raise XlCreditError(f"xlwings module of the template is not version {XLWINGS_VERSION}.")
    return source


def _register_constants() -> str:
    from xlcredit import __version__

    return (
        f'Public Const XLCREDIT_VERSION As String = "{__version__}"\n'
        f'Public Const XLCREDIT_XLWINGS_VERSION As String = "{XLWINGS_VERSION}"\n'
    )


def _register_vba(infos: list[UdfInfo]) -> str:
    out = ["Public Sub RegisterFunctions()"]
    out += [f"    Register_{info.name}" for info in infos]
    out += ["End Sub", ""]
    for info in infos:
        out.append(f"Private Sub Register_{info.name}()")
        out.append("    Dim d As String")
        if info.args:
            out.append("    Dim h() As String")
            out.append(f"    ReDim h(0 To {len(info.args) - 1})")
        out += ["    " + line for line in assign("d", info.description[:255])]
        for i, doc in enumerate(info.arg_docs):
            out += ["    " + line for line in assign(f"h({i})", doc[:255])]
        out.append(f'    Describe "{info.name}", d, {"h" if info.args else "Empty"}')
        out += ["End Sub", ""]
    return "\n".join(out)


def vba_sources(udf_module: str = UDF_MODULE) -> list[ModuleSource]:
    """Source of every module we write (CRLF line ends, cp1252 text).

    >>> [m.name for m in vba_sources("xlcredit.excel.addin._demo_udfs")]
    ['xlwings', 'xlcredit_ribbon', 'xlcredit_functions', 'xlcredit_register', 'ThisWorkbook']
    """
    from xlcredit.excel.addin.project import read_modules

    template = read_modules(template_parts()["xl/vbaProject.bin"])
    infos = udf_metadata(udf_module)
    ribbon_src = _vba_file("xlcredit_ribbon.bas").replace(
        "'@@RIBBON_TEXT@@\n", ribbon.label_table_vba() + "\n" + ribbon.guard_vba()
    )
    functions_src = _vba_file("xlcredit_functions.bas").replace(
        "'@@WRAPPERS@@\n", generate_wrappers(udf_module)
    )
    register_src = (
        _vba_file("xlcredit_register.bas")
        .replace("'@@CONSTANTS@@\n", _register_constants())
        .replace("'@@REGISTER@@\n", _register_vba(infos))
    )
    modules = [
        ModuleSource("xlwings", _xlwings_module(template["xlwings"])),
        ModuleSource(ribbon.RIBBON_MODULE, ribbon_src),
        ModuleSource("xlcredit_functions", functions_src),
        ModuleSource("xlcredit_register", register_src),
        ModuleSource("ThisWorkbook", _vba_file("ThisWorkbook.cls")),
    ]
    return [ModuleSource(m.name, _crlf(m.source)) for m in modules]


def _config_sheet_parts() -> tuple[bytes, bytes]:
    strings = [key for key, _ in CONFIG] + [v for _, v in CONFIG if isinstance(v, str)]
    sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
    rows = []
    for r, (key, value) in enumerate(CONFIG, start=1):
        a = f'<c r="A{r}" s="1" t="s"><v>{strings.index(key)}</v></c>'
        if isinstance(value, bool):
            b = f'<c r="B{r}" s="1" t="b"><v>{int(value)}</v></c>'
        else:
            b = f'<c r="B{r}" s="1" t="s"><v>{strings.index(value)}</v></c>'
        rows.append(f'<row r="{r}" spans="1:2">{a}{b}</row>')
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    sheet = (
        head
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetPr codeName="Sheet2"/>'
        f'<dimension ref="A1:B{len(CONFIG)}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15.75"/>'
        '<cols><col min="1" max="1" width="16.75" style="1" customWidth="1"/>'
        '<col min="2" max="2" width="16.75" style="1" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    shared = (
        head
        + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'
    )
    return sheet.encode(), shared.encode()


def _workbook_xml(template: bytes) -> bytes:
    text = template.decode("utf-8")
    text = re.sub(r"<mc:AlternateContent .*?</mc:AlternateContent>", "", text)
    if '<sheet name="_myaddin.conf"' not in text:
        raise XlCreditError("template workbook.xml has no _myaddin.conf sheet.")
    text = text.replace('<sheet name="_myaddin.conf"', f'<sheet name="{CONFIG_SHEET}"')
    return text.encode("utf-8")


def _core_xml() -> bytes:
    from xlcredit import __version__

    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>xlcredit add-in</dc:title>"
        "<dc:subject>Trade-credit functions and ribbon for Excel</dc:subject>"
        "<dc:creator>xlcredit developers</dc:creator>"
        f"<cp:keywords>xlcredit {__version__}; xlwings {XLWINGS_VERSION}</cp:keywords>"
        "<cp:lastModifiedBy>xlcredit addin build</cp:lastModifiedBy>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def _rels(template: bytes) -> bytes:
    text = template.decode("utf-8")
    new, count = re.subn(
        r'<Relationship Id="(\w+)" Type="[^"]*/ui/extensibility" Target="customUI/customUI.xml" />',
        rf'<Relationship Id="\1" Type="{_UI_REL}" Target="customUI/customUI14.xml" />',
        text,
    )
    if count != 1:
        raise XlCreditError("template _rels/.rels has no ribbon relationship to replace.")
    return new.encode("utf-8")


def build_parts(udf_module: str = UDF_MODULE) -> dict[str, bytes]:
    """Every part of the add-in package, by part name.

    >>> parts = build_parts("xlcredit.excel.addin._demo_udfs")
    >>> b"customUI14" in parts["_rels/.rels"], b"xlcredit.conf" in parts["xl/workbook.xml"]
    (True, True)
    """
    parts = dict(template_parts())
    sheet, shared = _config_sheet_parts()
    del parts["customUI/customUI.xml"]
    parts["customUI/customUI14.xml"] = ribbon.customui_xml().encode("utf-8")
    parts["_rels/.rels"] = _rels(parts["_rels/.rels"])
    parts["xl/workbook.xml"] = _workbook_xml(parts["xl/workbook.xml"])
    parts["xl/worksheets/sheet1.xml"] = sheet
    parts["xl/sharedStrings.xml"] = shared
    parts["docProps/core.xml"] = _core_xml()
    parts["xl/vbaProject.bin"] = edit_project(
        parts["xl/vbaProject.bin"],
        PROJECT_NAME,
        RENAMES,
        vba_sources(udf_module),
        list(ADDED_MODULES),
    )
    return parts


def _zip(parts: dict[str, bytes]) -> bytes:
    names = [n for n in _PARTS_ORDER if n in parts] + sorted(
        n for n in parts if n not in _PARTS_ORDER
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            zf.writestr(info, parts[name], compresslevel=6)
    return buffer.getvalue()


def default_output() -> Path:
    """``workbooks/xlcredit.xlam`` of the checkout, or ``./xlcredit.xlam`` elsewhere.

    >>> default_output().name
    'xlcredit.xlam'
    """
    root = Path(__file__).resolve().parents[3]
    if (root / "pyproject.toml").exists() and (root / "workbooks").is_dir():
        return root / "workbooks" / "xlcredit.xlam"
    return Path.cwd() / "xlcredit.xlam"


def build(out: str | Path | None = None, udf_module: str = UDF_MODULE) -> Path:
    """Build the add-in and write it to ``out`` (default :func:`default_output`); the file
    is replaced atomically. Returns the path written.

    Examples
    --------
    Can I build the add-in on a machine without Excel?

    >>> import tempfile, zipfile
    >>> path = build(Path(tempfile.mkdtemp()) / "xlcredit.xlam")
    >>> "xl/vbaProject.bin" in zipfile.ZipFile(path).namelist()
    True
    """
    target = Path(out) if out is not None else default_output()
    data = _zip(build_parts(udf_module))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target
