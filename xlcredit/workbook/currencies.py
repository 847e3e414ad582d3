"""Currency names as ERP exports write them, mapped to ISO 4217 codes.

Kingdee and Yonyou write 人民币 or 美元, QuickBooks and Xero a code or a sign, some exports
RMB or US$. A code is accepted when it is an ISO 4217 code; a name or sign when it names one
currency. A sign that could be two currencies (¥ is yuan or yen, $ is any dollar) is listed,
never guessed, and so is anything unknown.

>>> p = to_currency_codes(["美元", "RMB", "us$", "EUR", "¥", "Pesos", None])
>>> p.values.tolist()
['USD', 'CNY', 'USD', 'EUR', None, None, None]
>>> p.problems.tolist()[4]
"currency: '¥' could be CNY or JPY; write the ISO code (or set --currency)"
"""

from __future__ import annotations

import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from xlcredit.engine.errors import describe
from xlcredit.workbook.excel_values import Parsed, is_blank
from xlcredit.workbook.reading import CURRENCY_SIGNS

__all__ = ["ISO_4217", "NAMES", "currency_code", "to_currency_codes"]

#: Active ISO 4217 currency codes.
ISO_4217: frozenset[str] = frozenset(["AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG"])

#: Names and signs that name exactly one currency (matched without case or spaces).
NAMES: dict[str, str] = {
    "人民币": "CNY", "人民币元": "CNY", "yuan": "CNY", "renminbi": "CNY",
    "cn¥": "CNY", "cnh": "CNY", "美元": "USD", "美金": "USD", "usdollar": "USD",
    "usdollars": "USD", "欧元": "EUR", "euro": "EUR", "euros": "EUR",
    "英镑": "GBP", "pound": "GBP", "poundsterling": "GBP", "日元": "JPY",
    "日圆": "JPY", "jp¥": "JPY", "yen": "JPY", "港币": "HKD", "港元": "HKD",
    "澳元": "AUD", "澳大利亚元": "AUD", "au$": "AUD", "加元": "CAD",
    "加拿大元": "CAD", "ca$": "CAD", "瑞士法郎": "CHF", "新加坡元": "SGD",
    "韩元": "KRW", "新台币": "TWD", "nt$": "TWD", "卢布": "RUB", "₽": "RUB",
    "印度卢比": "INR", "泰铢": "THB", "林吉特": "MYR", "马来西亚林吉特": "MYR",
    "新西兰元": "NZD", "nz$": "NZD", "澳门元": "MOP", "越南盾": "VND", "瑞典克朗": "SEK",
    "丹麦克朗": "DKK", "挪威克朗": "NOK", "波兰兹罗提": "PLN", "土耳其里拉": "TRY", "迪拉姆": "AED",
    "阿联酋迪拉姆": "AED", "南非兰特": "ZAR", "墨西哥比索": "MXN", "巴西雷亚尔": "BRL",
}  # fmt: skip
#: Names shared by several currencies: never guessed.
_AMBIGUOUS: dict[str, tuple[str, ...]] = {"dollar": CURRENCY_SIGNS["$"]}


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split()).replace(".", "")


#: Currency signs and the codes they stand for: the reading rules' one table (a sign in an
#: amount, "€1.234,50", and a sign in a currency column mean the same currencies).
_SIGNS: dict[str, tuple[str, ...]] = {_key(sign): codes for sign, codes in CURRENCY_SIGNS.items()}
_AMBIGUOUS.update({sign: codes for sign, codes in _SIGNS.items() if len(codes) > 1})


def currency_code(text: object) -> str | None:
    """The ISO code a cell names, or None when it names none or several.

    >>> currency_code(" usd "), currency_code("人民币"), currency_code("$")
    ('USD', 'CNY', None)
    """
    if not isinstance(text, str):
        return None
    key = _key(text)
    if key.upper() in ISO_4217:
        return key.upper()
    signed = _SIGNS.get(key, ())
    return NAMES.get(key) or (signed[0] if len(signed) == 1 else None)


def to_currency_codes(values: list[Any], field: str = "currency") -> Parsed:
    """ISO codes of a column of currency names (None when blank), with a problem for each
    name that is unknown or could be several currencies."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    out = np.full(len(uniques) + 1, None, dtype=object)
    problems = np.full(len(uniques) + 1, None, dtype=object)
    for i, v in enumerate(uniques):
        if is_blank(v):
            continue
        code = currency_code(v)
        if code is not None:
            out[i] = code
            continue
        key = _key(str(v))
        if key in _AMBIGUOUS:
            problems[i] = (f"{field}: {describe(v)} could be {' or '.join(_AMBIGUOUS[key])}; write the ISO code "
                           "(or set --currency)")
        else:
            problems[i] = (f"{field}: {describe(v)} is not a currency xlcredit knows; use an ISO "
                           "4217 code such as EUR, USD or CNY")
    return Parsed(out[codes], problems[codes])
