"""The staged action on each buyer: what the credit controller should do first.

One code per buyer, the first that applies of: ``suspend`` (stop selling on credit),
``prepay`` (ask for prepayment or a guarantee), ``not_rated`` (get financial statements),
``reduce`` (lower the credit limit), ``review`` (the score fell) and ``ok``; and, apart from
it, whether the buyer's invoices are in collections (``collect``). The Buyers sheet shows
them as words (:mod:`xlcredit.macros.labels`).

Which buyers need attention first?

>>> a = stage_actions(band=["A", "D"], decision=["approve", "approve"], over_limit=[0, 500],
...                   current_limit=[9_000, 1_000], recommended_limit=[10_000, 2_000],
...                   score_change=[-2, 0], dunning_step=[0, 2])
>>> a["action"].tolist(), a["collect"].tolist()
(['ok', 'suspend'], [False, True])
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlcredit.engine.policy import DEFAULT_POLICY, Policy

__all__ = ["ACTIONS", "stage_actions"]

#: Action codes, in the order they are staged (the first that applies wins; ``ok`` if none).
ACTIONS: tuple[str, ...] = ("suspend", "prepay", "not_rated", "reduce", "review", "ok")


def stage_actions(
    band: npt.ArrayLike,
    decision: npt.ArrayLike,
    over_limit: npt.ArrayLike,
    current_limit: npt.ArrayLike,
    recommended_limit: npt.ArrayLike,
    score_change: npt.ArrayLike,
    dunning_step: npt.ArrayLike,
    *,
    policy: Policy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """The staged action code of each buyer, and whether it is in collections.

    Parameters
    ----------
    band : array_like of str
        Risk band of each buyer (``policy.score.band_names``).
    decision : array_like of str
        Limit decision code of :func:`xlcredit.engine.limits.recommend_limits` (``approve``,
        ``approve_reduced``, ``prepayment_or_guarantee``, ``suspend``; None when rejected).
    over_limit : array_like
        Exposure above the limit the buyer is held to
        (:func:`xlcredit.engine.utilisation.limit_usage`); NaN when no limit is known.
    current_limit, recommended_limit : array_like
        The limit granted today (NaN when none is set) and the recommended one.
    score_change : array_like
        This score minus the buyer's previous score; NaN when there is none.
    dunning_step : array_like
        The highest dunning step number of the buyer's overdue invoices (0: none).
    policy : Policy
        The worst rated band, the not-rated band and ``monitoring.score_drop_alert``.

    Returns
    -------
    DataFrame
        ``action``: one of :data:`ACTIONS`; ``collect``: True when ``dunning_step`` > 0.

    Notes
    -----
    In this order, the first that applies:

    - ``suspend``: the limit decision is ``suspend``, or the buyer is in the worst rated band
      (``policy.score.bands[-1]``) and over the limit it is held to (its current limit,
      else the recommended one). This is wider than the limit decision, which suspends
      only a buyer whose exposure exceeds the *recommended* limit and who is not rated or
      has a limit of 0 on known financials: a worst-band buyer over its *current* limit
      shows "suspend" here while its decision may read "approve" or "approve reduced".
    - ``prepay``: the decision is ``prepayment_or_guarantee``.
    - ``not_rated``: the band is ``policy.score.not_rated_band``.
    - ``reduce``: the decision is ``approve_reduced`` and the current limit is above the
      recommended one, or the buyer is over its limit.
    - ``review``: the score fell by ``monitoring.score_drop_alert`` points or more.
    - ``ok`` otherwise.

    Examples
    --------
    A buyer rated D (the worst rated band) is 500 over its current limit of 1,000, although
    the recommended limit of 2,000 would cover it: the decision says approve, the action
    suspends. A buyer whose score fell 12 points is up for review.

    >>> a = stage_actions(band=["D", "B", "B", "E"],
    ...                   decision=["approve", "approve", "approve_reduced", "prepayment_or_guarantee"],
    ...                   over_limit=[500, 0, 0, np.nan], current_limit=[1_000, 5_000, 8_000, np.nan],
    ...                   recommended_limit=[2_000, 5_000, 6_000, 0], score_change=[0, -12, np.nan, np.nan],
    ...                   dunning_step=[0, 0, 3, 0])
    >>> a
        action  collect
    0  suspend    False
    1   review    False
    2   reduce     True
    3   prepay    False
    """
    bands, decisions, over, current, recommended, change, step = np.broadcast_arrays(
        np.atleast_1d(np.asarray(band, dtype=object)), np.atleast_1d(np.asarray(decision, dtype=object)),
        *(np.atleast_1d(np.asarray(x, dtype=float))
          for x in (over_limit, current_limit, recommended_limit, score_change, dunning_step)))
    worst = policy.score.bands[-1].band
    over_it = over > 0  # False where no limit is known (NaN)
    suspend = (decisions == "suspend") | ((bands == worst) & over_it)
    prepay = decisions == "prepayment_or_guarantee"
    not_rated = bands == policy.score.not_rated_band
    reduce = ((decisions == "approve_reduced") & (current > recommended)) | over_it
    review = change <= -policy.monitoring.score_drop_alert
    action = np.select([suspend, prepay, not_rated, reduce, review], list(ACTIONS[:-1]),
                       default=ACTIONS[-1]).astype(object)
    return pd.DataFrame({"action": action, "collect": step > 0})
