"""Figures derived from a buyer's financial statements: book equity and working capital.

They are the capacity bases of a credit limit (:func:`xlcredit.engine.limits.recommend_limits`
takes them). Blank (NaN) in, blank out: an unknown figure is never taken as 0.

What can a buyer with assets of 500,000, debts of 320,000, current assets of 210,000 and
current liabilities of 150,000 carry?

>>> float(equity(500_000, 320_000)), float(working_capital(210_000, 150_000))
(180000.0, 60000.0)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["equity", "working_capital"]


def equity(total_assets: npt.ArrayLike, total_liabilities: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Book equity (net worth) = total assets - total liabilities, for each buyer.

    Parameters
    ----------
    total_assets, total_liabilities : array_like
        Balance-sheet totals in one currency; NaN where unknown. Broadcast together.

    Returns
    -------
    ndarray of float
        NaN where either input is unknown; negative when the debts exceed the assets.

    Examples
    --------
    Which of three buyers has a negative net worth (and the third no balance sheet)?

    >>> equity([500_000, 80_000, np.nan], [320_000, 95_000, 10_000])
    array([180000., -15000.,     nan])
    """
    return np.subtract(np.asarray(total_assets, dtype=float), np.asarray(total_liabilities, dtype=float))


def working_capital(current_assets: npt.ArrayLike,
                    current_liabilities: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Working capital = current assets - current liabilities, for each buyer.

    Parameters
    ----------
    current_assets, current_liabilities : array_like
        In one currency; NaN where unknown. Broadcast together.

    Returns
    -------
    ndarray of float
        NaN where either input is unknown.

    Examples
    --------
    Can the buyer pay its short-term debts out of its short-term assets?

    >>> working_capital([210_000, 40_000], [150_000, 55_000])
    array([ 60000., -15000.])
    """
    return np.subtract(np.asarray(current_assets, dtype=float),
                       np.asarray(current_liabilities, dtype=float))
