"""Native Excel charts (DrawingML) for generated sheets: the chart part and its drawing.

A chart refers to cells of its sheet and carries a cache of their values, so viewers that do
not recalculate still draw it:

>>> from xlcredit.workbook.port import ChartSeries, ChartSpec
>>> spec = ChartSpec("pie", "Bands", "A2:A3", [ChartSeries("Buyers", "B2:B3")])
>>> xml = chart_xml(spec, "Dash", lambda ref: ["A", "B"] if ref == "A2:A3" else [3.0, 1.0])
>>> b"<c:pieChart>" in xml and b"'Dash'!$A$2:$A$3" in xml
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from xlcredit.engine.errors import InputError
from xlcredit.messages import Message
from xlcredit.workbook.port import ChartSeries, ChartSpec
from xlcredit.workbook.sheet_xml import col_letters, parse_ref, plain_value

__all__ = ["anchor_cell", "chart_xml", "drawing_xml", "name_cell", "quote_sheet"]

_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_EMU_PER_PX = 9525
_QUOTE = {'"': "&quot;"}
#: Office's default series colours (a colour-blind-safe sequence would also do).
_PALETTE = ["4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "264478", "9E480E"]


def quote_sheet(name: str) -> str:
    """A sheet name as written in a reference.

    >>> quote_sheet("Aging"), quote_sheet("Bob's")
    ("'Aging'", "'Bob''s'")
    """
    return "'" + name.replace("'", "''") + "'"


def _absolute(sheet: str, ref: str) -> str:
    parts = ref.split("!")[-1].split(":")
    cells = []
    for part in parts:
        row, col = parse_ref(part)
        cells.append(f"${col_letters(col)}${row}")
    return f"{quote_sheet(sheet)}!{':'.join(cells)}"


def anchor_cell(ref: str) -> tuple[int, int]:
    """0-based (row, col) of an anchor such as ``"H2"``.

    >>> anchor_cell("H2")
    (1, 7)
    """
    row, col = parse_ref(ref)
    return row - 1, col - 1


def _rich(text: str) -> str:
    return (
        '<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr b="1"/></a:pPr>'
        f'<a:r><a:rPr lang="en-US" b="1"/><a:t>{escape(text)}</a:t></a:r></a:p></c:rich></c:tx>'
    )


def _title(text: str | None) -> str:
    return f'<c:title>{_rich(text)}<c:overlay val="0"/></c:title>' if text else ""


def _cache(values: list[Any], numeric: bool) -> str:
    points = []
    for i, value in enumerate(values):
        value = plain_value(value)
        if numeric:
            if isinstance(value, bool) or not isinstance(value, float) or math.isinf(value):
                continue
            points.append(f'<c:pt idx="{i}"><c:v>{value!r}</c:v></c:pt>')
        elif value is not None:
            points.append(f'<c:pt idx="{i}"><c:v>{escape(str(value))}</c:v></c:pt>')
    if numeric:
        return (
            f'<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{len(values)}"/>'
            f"{''.join(points)}</c:numCache>"
        )
    return f'<c:strCache><c:ptCount val="{len(values)}"/>{"".join(points)}</c:strCache>'


def _series(
    i: int, s: ChartSeries, spec: ChartSpec, sheet: str, lookup: Callable[[str], list[Any]]
) -> str:
    color = (s.color or "#" + _PALETTE[i % len(_PALETTE)]).lstrip("#").upper()
    if spec.kind == "line":
        sp = f'<c:spPr><a:ln w="28575"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill></a:ln></c:spPr>'
        extra = '<c:marker><c:symbol val="circle"/><c:size val="5"/></c:marker>'
    elif spec.kind == "pie":
        sp, extra = "", ""
    else:
        sp = f'<c:spPr><a:solidFill><a:srgbClr val="{color}"/></a:solidFill></c:spPr>'
        extra = '<c:invertIfNegative val="0"/>'
    cat = (
        f"<c:cat><c:strRef><c:f>{escape(_absolute(sheet, spec.categories))}</c:f>"
        f"{_cache(lookup(spec.categories), numeric=False)}</c:strRef></c:cat>"
    )
    val = (
        f"<c:val><c:numRef><c:f>{escape(_absolute(sheet, s.values))}</c:f>"
        f"{_cache(lookup(s.values), numeric=True)}</c:numRef></c:val>"
    )
    smooth = '<c:smooth val="0"/>' if spec.kind == "line" else ""
    return (
        f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>{_series_name(s, sheet, lookup)}'
        f"{sp}{extra}{cat}{val}{smooth}</c:ser>"
    )


def name_cell(series: ChartSeries, lookup: Callable[[str], list[Any]]) -> str | None:
    """The A1 cell holding the series name: the cell just above a one-column ``values``
    range when it holds exactly ``series.name`` (a table header), else None.

    >>> s = ChartSeries("1-30", "E5:E16")
    >>> name_cell(s, lambda ref: ["1-30"] if ref == "E4" else [None])
    'E4'
    >>> name_cell(s, lambda ref: ["Total"]) is None
    True
    """
    corners = [parse_ref(part) for part in series.values.split("!")[-1].split(":")]
    (r1, c1), (_, c2) = corners[0], corners[-1]
    if c1 != c2 or r1 < 2:
        return None
    ref = f"{col_letters(c1)}{r1 - 1}"
    found = lookup(ref)
    value = plain_value(found[0]) if found else None
    return ref if isinstance(value, str) and value == series.name else None


def _series_name(s: ChartSeries, sheet: str, lookup: Callable[[str], list[Any]]) -> str:
    """``<c:tx>`` of a series: a reference to its header cell with a cached copy of the text
    where there is one, else the literal text. (LibreOffice reads a literal ``<c:v>`` name as
    a reference to the sheet's first cell, so every legend entry showed the sheet title.)"""
    ref = name_cell(s, lookup)
    if ref is None:
        return f"<c:tx><c:v>{escape(s.name)}</c:v></c:tx>"
    return (
        f"<c:tx><c:strRef><c:f>{escape(_absolute(sheet, ref))}</c:f><c:strCache>"
        f'<c:ptCount val="1"/><c:pt idx="0"><c:v>{escape(s.name)}</c:v></c:pt></c:strCache>'
        "</c:strRef></c:tx>"
    )


def _axes(spec: ChartSpec) -> str:
    horizontal = spec.kind in ("bar", "bar_stacked")
    cat_pos, val_pos = ("l", "b") if horizontal else ("b", "l")
    cat_title = _title(spec.x_axis_title)
    val_title = _title(spec.y_axis_title)
    orientation = "maxMin" if horizontal else "minMax"  # bars read top to bottom
    return (
        f'<c:catAx><c:axId val="500001"/><c:scaling><c:orientation val="{orientation}"/>'
        f'</c:scaling><c:delete val="0"/><c:axPos val="{cat_pos}"/>{cat_title}'
        '<c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="low"/><c:crossAx val="500002"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="500002"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{val_pos}"/><c:majorGridlines/>{val_title}'
        '<c:numFmt formatCode="#,##0" sourceLinked="0"/><c:majorTickMark val="out"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="500001"/>'
        f'<c:crosses val="{"max" if horizontal else "autoZero"}"/><c:crossBetween val="between"/>'
        "</c:valAx>"
    )


def chart_xml(spec: ChartSpec, sheet: str, lookup: Callable[[str], list[Any]]) -> bytes:
    """The chart part of ``spec`` drawn from cells of ``sheet``; ``lookup(ref)`` gives the
    values of a range for the caches."""
    if not spec.series:
        raise InputError(Message("file.chart_no_series", {"name": repr(spec.title)}))
    series = "".join(_series(i, s, spec, sheet, lookup) for i, s in enumerate(spec.series))
    axis_ids = '<c:axId val="500001"/><c:axId val="500002"/>'
    if spec.kind == "pie":
        plot = f'<c:pieChart><c:varyColors val="1"/>{series}<c:firstSliceAng val="0"/></c:pieChart>'
        axes = ""
    elif spec.kind == "line":
        plot = (
            f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{series}'
            f'<c:marker val="1"/>{axis_ids}</c:lineChart>'
        )
        axes = _axes(spec)
    else:
        direction = "bar" if spec.kind.startswith("bar") else "col"
        stacked = spec.kind.endswith("_stacked")
        grouping = "stacked" if stacked else "clustered"
        overlap = '<c:overlap val="100"/>' if stacked else ""
        plot = (
            f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="{grouping}"/>'
            f'<c:varyColors val="0"/>{series}<c:gapWidth val="60"/>{overlap}{axis_ids}'
            "</c:barChart>"
        )
        axes = _axes(spec)
    legend = (
        '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        if len(spec.series) > 1 or spec.kind == "pie"
        else ""
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}" xmlns:r="{_R}">'
        '<c:roundedCorners val="0"/><c:chart>'
        f'{_title(spec.title)}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>{plot}{axes}'
        f'</c:plotArea>{legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        "</c:chartSpace>"
    )
    return xml.encode("utf-8")


def drawing_xml(anchors: list[tuple[ChartSpec, str]]) -> bytes:
    """The drawing part placing each chart (spec, relationship id) at its anchor cell."""
    frames = []
    for n, (spec, rid) in enumerate(anchors, start=1):
        row, col = anchor_cell(spec.anchor)
        cx, cy = spec.width_px * _EMU_PER_PX, spec.height_px * _EMU_PER_PX
        frames.append(
            f"<xdr:oneCellAnchor><xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f'<xdr:ext cx="{cx}" cy="{cy}"/><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
            f'<xdr:cNvPr id="{n + 1}" name="Chart {n}" descr="{escape(spec.title, _QUOTE)}"/>'
            '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/>'
            '<a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData '
            f'uri="{_C}"><c:chart xmlns:c="{_C}" r:id="{rid}"/></a:graphicData></a:graphic>'
            "</xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor>"
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<xdr:wsDr xmlns:xdr="{_XDR}" xmlns:a="{_A}" xmlns:r="{_R}">{"".join(frames)}</xdr:wsDr>'
    )
    return xml.encode("utf-8")
