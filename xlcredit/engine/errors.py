"""One exception hierarchy for xlcredit.

Every error a user can cause is an :class:`XlCreditError`; its message names the field or
setting, the rule and the value found, and a fix where one exists. The command line maps
these to a one-line message and an exit code; the Excel functions to an error string.
"""

from __future__ import annotations

from xlcredit.messages import Message


class XlCreditError(Exception):
    """Base class of every error xlcredit raises on purpose.

    The message is a catalogue :class:`~xlcredit.messages.Message` (rendered in the language
    of wherever it is shown) or, for texts not yet in the catalogue, plain English text.

    >>> err = InputError(Message("sheet.no_fx", {"ccy": "USD"}))
    >>> str(err)
    'no FX rate for USD in the FX table; add it on the Policy sheet'
    >>> err.render("zh-CN")
    '汇率表中没有 USD 的汇率；请在信用政策表中添加'
    """

    exit_code = 1

    def __init__(self, message: str | Message = "", *args: object) -> None:
        self.message = message
        super().__init__(str(message), *args)

    def render(self, language: str) -> str:
        """The message in ``language`` (``"en"`` or ``"zh-CN"``)."""
        if isinstance(self.message, Message):
            return self.message.render(language)
        return str(self)


class InputError(XlCreditError, ValueError):
    """An input value or argument breaks a rule (wrong type, out of range, wrong length)."""

    exit_code = 2


class PolicyError(XlCreditError, ValueError):
    """A credit-policy setting is invalid."""

    exit_code = 3


class SchemaError(XlCreditError):
    """A required table or column is missing or cannot be recognised."""

    exit_code = 4


class WorkbookError(XlCreditError):
    """A workbook cannot be opened, read or written (missing, locked, corrupt, wrong kind)."""

    exit_code = 5


class WorkbookLockedError(WorkbookError):
    """Another refresh of the same file is running, or the file is open elsewhere."""

    exit_code = 6


class WorkbookChangedError(WorkbookLockedError):
    """The file was changed by someone else between reading it and replacing it."""

    exit_code = 6


def describe(value: object, limit: int = 40) -> str:
    """Show a user's value in a message, shortened and quoted when it is text.

    >>> describe("abc")
    "'abc'"
    >>> describe(-3.0)
    '-3'
    >>> describe("x" * 60)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"
    """
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value)
    if len(text) > limit:
        text = text[: limit - 4] + "...'" if isinstance(value, str) else text[: limit - 3] + "..."
    return text
