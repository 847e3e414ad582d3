"""The message catalogue (English and Simplified Chinese); see :mod:`xlcredit.messages.core`.

The bottom layer: every package may import it; it imports nothing else of xlcredit.
"""

from xlcredit.messages.core import (
    AREAS,
    LANGUAGES,
    Field,
    Message,
    catalogue,
    labels,
    language_of,
    pair,
    render,
    text,
)

__all__ = ["AREAS", "LANGUAGES", "Field", "Message", "catalogue", "labels", "language_of", "pair", "render", "text"]
