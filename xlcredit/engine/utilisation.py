"""How much of its credit limit each buyer uses, and by how much it is over it.

The limit a buyer is held to is its current limit where one is set, else the recommended
limit. Utilisation = exposure / that limit; over limit = max(exposure - that limit, 0).

A buyer owes 12,000 against a current limit of 10,000: how far over is it?

>>> u = limit_usage(12_000, 10_000, 15_000)
>>> float(u.utilisation), float(u.over_limit)
(1.2, 2000.0)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = ["LimitUsage", "limit_usage"]


class LimitUsage(NamedTuple):
    """The limit each buyer is held to, its utilisation and the amount over it."""

    limit_used: npt.NDArray[np.float64]
    utilisation: npt.NDArray[np.float64]
    over_limit: npt.NDArray[np.float64]


def limit_usage(exposure: npt.ArrayLike, current_limit: npt.ArrayLike,
                recommended_limit: npt.ArrayLike) -> LimitUsage:
    """The limit used, the utilisation and the amount over the limit of each buyer.

    Parameters
    ----------
    exposure : array_like
        What each buyer owes (open receivables in the base currency); 0 when nothing.
    current_limit : array_like
        The limit granted today; NaN where none is set.
    recommended_limit : array_like
        The recommended limit (:func:`xlcredit.engine.limits.recommend_limits`); NaN where
        it could not be worked out.

    Returns
    -------
    LimitUsage
        ``limit_used``: the current limit, else the recommended one (NaN when neither is
        known). ``utilisation``: exposure / limit used; 0 when nothing is owed and no limit
        is known or the limit is 0; NaN when something is owed against a limit of 0 or an
        unknown limit. ``over_limit``: max(exposure - limit used, 0); NaN when the limit used
        is unknown.

    Examples
    --------
    Four buyers: within a current limit, over a recommended one (no current limit set),
    owing against a limit of 0, and with no limit known at all.

    >>> u = limit_usage([5_000, 30_000, 1_000, 0], [10_000, np.nan, 0, np.nan],
    ...                 [20_000, 25_000, 5_000, np.nan])
    >>> u.limit_used
    array([10000., 25000.,     0.,    nan])
    >>> u.utilisation
    array([0.5, 1.2, nan, 0. ])
    >>> u.over_limit
    array([   0., 5000., 1000.,   nan])
    """
    owed = np.asarray(exposure, dtype=float)
    current = np.asarray(current_limit, dtype=float)
    recommended = np.asarray(recommended_limit, dtype=float)
    used = np.where(np.isnan(current), recommended, current)
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(used > 0, owed / used, np.where(owed > 0, np.nan, 0.0))
    over = np.where(np.isnan(used), np.nan, np.maximum(owed - np.nan_to_num(used), 0.0))
    return LimitUsage(used, utilisation, over)
