"""Group exposure: one buyer across several teams' workbooks (issue 16, item 4).

Each team's figures (exposure, overdue, band, decision, limit) come from that team's own
refresh engine; this module only decides which team rows are the same group buyer, adds
their figures up, and lists where the teams disagree. Pure and vectorised: it takes and
returns DataFrames.

- Rows with the same buyer ID are the same group buyer.
- Rows with different IDs but the same tax ID or the same name (both normalised) are
  *candidates*: :func:`match_candidates` lists them, and they are merged only when the user
  confirmed the pair (:func:`group_ids`). Nothing is merged on a guess.
- :func:`group_totals` adds up exposure, overdue and limits per group buyer;
  :func:`group_conflicts` lists different limits, different bands and a buyer blocked in
  some teams only (and the same ID under different names, which may be two buyers).

Which buyers would head office add up as one?

>>> rows = pd.DataFrame({"team": ["north", "south", "south"], "buyer_id": ["C1", "C1", "X9"],
...                      "name": ["Acme Ltd", "ACME LTD.", "Acme  ltd"], "tax_id": [None, "de 123", None]})
>>> match_candidates(rows)[["buyer_id", "other_id", "basis"]].values.tolist()
[['C1', 'X9', 'name']]
>>> group_ids(rows["buyer_id"], [("C1", "X9")]).tolist()
['C1', 'C1', 'C1']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "CONFLICT_KINDS",
    "group_conflicts",
    "group_ids",
    "group_totals",
    "match_candidates",
    "normalise_name",
    "normalise_tax_id",
]

#: The kinds of conflict between teams, in the order they are listed.
CONFLICT_KINDS = ("limit", "band", "blocked", "name")


def _key(values: Iterable[object], *, upper: bool) -> npt.NDArray[np.object_]:
    """NFKC, case folded, letters and digits only; None where nothing is left."""
    s = pd.Series(list(values), dtype=object)
    known = s.notna().to_numpy()
    text = s[known].astype(str).map(lambda v: unicodedata.normalize("NFKC", v))
    text = text.str.upper() if upper else text.str.casefold()
    text = text.str.replace(r"[\W_]+", "", regex=True)
    out = np.full(len(s), None, dtype=object)
    keys = text.to_numpy(dtype=object)
    keys[keys == ""] = None  # nothing but punctuation: no key
    out[known] = keys
    return out


def normalise_tax_id(values: Iterable[object]) -> npt.NDArray[np.object_]:
    """The key a tax ID is matched by: spaces and punctuation removed, upper case.

    A VAT number typed with its spaces or dots is the same number; 统一社会信用代码 in
    full-width characters too.

    >>> normalise_tax_id(["DE 123.456-789", "de123456789", "９１３１０１１５ＭＡ", " - ", None]).tolist()
    ['DE123456789', 'DE123456789', '91310115MA', None, None]
    """
    return _key(values, upper=True)


def normalise_name(values: Iterable[object]) -> npt.NDArray[np.object_]:
    """The key a buyer name is matched by: case, spaces and punctuation ignored.

    >>> normalise_name(["Northwind Trading Co., Ltd.", "NORTHWIND TRADING CO LTD", "上海 华远（贸易）"]).tolist()
    ['northwindtradingcoltd', 'northwindtradingcoltd', '上海华远贸易']
    """
    return _key(values, upper=False)


def match_candidates(rows: pd.DataFrame) -> pd.DataFrame:
    """Pairs of different buyer IDs that share a normalised tax ID or name.

    Parameters
    ----------
    rows : DataFrame
        One row per team buyer: ``team``, ``buyer_id``, ``name`` and ``tax_id``.

    Returns
    -------
    DataFrame
        One row per pair (``buyer_id`` < ``other_id``): ``buyer_id``, ``name``, ``team``,
        ``other_id``, ``other_name``, ``other_team`` (the first row of each ID) and
        ``basis``: ``"tax_id"``, ``"name"`` or ``"both"``.

    Two teams typed the same VAT number under different IDs:

    >>> rows = pd.DataFrame({"team": ["a", "b"], "buyer_id": ["C7", "K-7"], "name": ["Orion GmbH", "Orion"],
    ...                      "tax_id": ["DE 811 222", "de811222"]})
    >>> match_candidates(rows)[["buyer_id", "other_id", "basis"]].values.tolist()
    [['C7', 'K-7', 'tax_id']]
    """
    ids = rows["buyer_id"].astype(str).to_numpy(dtype=object)
    keys = pd.DataFrame({"buyer_id": ids, "tax": normalise_tax_id(rows["tax_id"]),
                         "name": normalise_name(rows["name"])})
    pairs = []
    for basis in ("tax", "name"):
        k = keys.loc[keys[basis].notna(), ["buyer_id", basis]].drop_duplicates()
        m = k.merge(k, on=basis, suffixes=("", "_other"))
        m = m[m["buyer_id"] < m["buyer_id_other"]]
        pairs.append(m[["buyer_id", "buyer_id_other"]].assign(basis="tax_id" if basis == "tax" else "name"))
    both = pd.concat(pairs, ignore_index=True)
    columns = ["buyer_id", "name", "team", "other_id", "other_name", "other_team", "basis"]
    if not len(both):
        return pd.DataFrame(columns=columns)
    found = both.groupby(["buyer_id", "buyer_id_other"], sort=True)["basis"].agg(
        lambda b: "both" if b.nunique() > 1 else b.iloc[0]).reset_index()
    first = pd.DataFrame({"name": rows["name"].to_numpy(dtype=object), "team": rows["team"].to_numpy(dtype=object)},
                         index=ids)
    first = first[~first.index.duplicated()]
    out = pd.DataFrame({
        "buyer_id": found["buyer_id"], "name": found["buyer_id"].map(first["name"]),
        "team": found["buyer_id"].map(first["team"]), "other_id": found["buyer_id_other"],
        "other_name": found["buyer_id_other"].map(first["name"]),
        "other_team": found["buyer_id_other"].map(first["team"]), "basis": found["basis"],
    })
    return out[columns].reset_index(drop=True)


def group_ids(buyer_ids: Iterable[object], confirmed: Iterable[tuple[object, object]]) -> npt.NDArray[np.object_]:
    """The group buyer ID of each row: its buyer ID, joined with the IDs of the confirmed
    pairs (transitively); a group is named by the ID of its first row.

    >>> group_ids(["B", "A", "C", "D"], [("A", "C"), ("C", "D")]).tolist()
    ['B', 'A', 'A', 'A']
    >>> group_ids(["B", "A"], []).tolist()
    ['B', 'A']
    """
    ids = pd.Series(list(buyer_ids), dtype=object).astype(str)
    uniques = pd.unique(ids.to_numpy(dtype=object))  # first-seen order
    where = {v: i for i, v in enumerate(uniques)}
    pairs = np.array([(where[str(a)], where[str(b)]) for a, b in confirmed
                      if str(a) in where and str(b) in where], dtype=np.int64).reshape(-1, 2)
    label = np.arange(len(uniques))
    while len(pairs):  # each pass joins along the pairs and jumps to the root: a few passes
        low = np.minimum(label[pairs[:, 0]], label[pairs[:, 1]])
        new = label.copy()
        np.minimum.at(new, pairs[:, 0], low)
        np.minimum.at(new, pairs[:, 1], low)
        new = new[new]
        if np.array_equal(new, label):
            break
        label = new
    return np.asarray(uniques[label[ids.map(where).to_numpy(dtype=np.int64)]], dtype=object)


def group_totals(rows: pd.DataFrame, group_limits: pd.Series | None = None) -> pd.DataFrame:
    """Per group buyer: teams, exposure, overdue, the group limit and headroom.

    Parameters
    ----------
    rows : DataFrame
        One row per team buyer: ``group_id``, ``team``, ``name``, ``tax_id``, ``exposure``,
        ``overdue`` and ``limit`` (the team's limit), all amounts in the group's base
        currency (``limit`` NaN when not known).
    group_limits : Series, optional
        Group limits typed by head office, by group buyer ID; they win over the sum of the
        teams' limits.

    Returns
    -------
    DataFrame
        Index ``group_id`` in first-seen order; columns ``name``, ``tax_id`` (first known),
        ``teams``, ``exposure``, ``overdue``, ``teams_limit`` (NaN when a team's limit is
        not known), ``group_limit``, ``limit_basis`` (``"set"``, ``"sum"`` or
        ``"unknown"``) and ``headroom`` (group limit less exposure).

    Two teams sell to the same buyer: what is it worth to the group?

    >>> rows = pd.DataFrame({"group_id": ["C1", "C1", "C2"], "team": ["n", "s", "s"], "name": ["A", "A", "B"],
    ...                      "tax_id": [None, "X1", None], "exposure": [100.0, 50.0, 10.0],
    ...                      "overdue": [0.0, 20.0, 0.0], "limit": [200.0, 100.0, np.nan]})
    >>> group_totals(rows, pd.Series({"C2": 30.0}))[["teams", "exposure", "group_limit", "limit_basis", "headroom"]]
              teams  exposure  group_limit limit_basis  headroom
    group_id
    C1            2     150.0        300.0         sum     150.0
    C2            1      10.0         30.0         set      20.0
    """
    g = rows.groupby("group_id", sort=False)
    out = pd.DataFrame({
        "name": g["name"].first(), "tax_id": g["tax_id"].first(), "teams": g["team"].nunique(),
        "exposure": g["exposure"].sum(), "overdue": g["overdue"].sum(),
        "teams_limit": g["limit"].sum(min_count=1).where(g["limit"].count() == g["limit"].size()),
    })
    typed = (group_limits if group_limits is not None else pd.Series(dtype=float)).reindex(out.index)
    typed = typed.astype(float)
    out["group_limit"] = typed.where(typed.notna(), out["teams_limit"])
    out["limit_basis"] = np.where(typed.notna(), "set", np.where(out["teams_limit"].notna(), "sum", "unknown"))
    out["headroom"] = out["group_limit"] - out["exposure"]
    return out


def group_conflicts(rows: pd.DataFrame) -> pd.DataFrame:
    """Where teams disagree about one group buyer.

    Parameters
    ----------
    rows : DataFrame
        One row per team buyer: ``group_id``, ``buyer_id``, ``team``, ``name``, ``band``,
        ``blocked`` (bool: on hold or suspended in that team), ``limit_ccy`` and
        ``limit_own`` (the team's limit in the buyer's currency).

    Returns
    -------
    DataFrame
        One row per group buyer and kind (:data:`CONFLICT_KINDS`): ``group_id`` and
        ``kind``. Limits differ when their currency or amount (to the cent) differs, bands
        when two known bands differ; *name* lists one buyer ID under names that normalise
        differently (possibly two buyers numbered alike by two teams).

    >>> rows = pd.DataFrame({"group_id": ["C1", "C1"], "buyer_id": ["C1", "C1"], "team": ["n", "s"],
    ...                      "name": ["Acme", "ACME"], "band": ["B", "C"], "blocked": [True, False],
    ...                      "limit_ccy": ["EUR", "EUR"], "limit_own": [5000.0, 5000.0]})
    >>> group_conflicts(rows).values.tolist()
    [['C1', 'band'], ['C1', 'blocked']]
    """
    limit = rows["limit_ccy"].astype(str) + " " + rows["limit_own"].round(2).map("{:.2f}".format)
    limit = limit.where(rows["limit_own"].notna(), None)
    frame = pd.DataFrame({"group_id": rows["group_id"].to_numpy(dtype=object), "limit": limit.to_numpy(dtype=object),
                          "band": rows["band"].where(rows["band"].notna(), None).to_numpy(dtype=object),
                          "blocked": rows["blocked"].to_numpy(dtype=bool),
                          "buyer_id": rows["buyer_id"].astype(str).to_numpy(dtype=object),
                          "name_key": normalise_name(rows["name"])})
    g = frame.groupby("group_id", sort=False)
    flags = pd.DataFrame({
        "limit": g["limit"].nunique() > 1,
        "band": g["band"].nunique() > 1,
        "blocked": g["blocked"].any() & ~g["blocked"].all(),
        "name": _same_id_other_name(frame),
    })
    flags["name"] = flags["name"].fillna(False).astype(bool)
    long = flags[list(CONFLICT_KINDS)].stack()
    long = long[long.astype(bool).to_numpy()]
    return pd.DataFrame({"group_id": long.index.get_level_values(0).to_numpy(dtype=object),
                         "kind": long.index.get_level_values(1).to_numpy(dtype=object)})


def _same_id_other_name(frame: pd.DataFrame) -> pd.Series:
    """Per group: one buyer ID carries names that normalise differently."""
    names = frame.groupby(["group_id", "buyer_id"], sort=False)["name_key"].nunique()
    return (names > 1).groupby(level=0, sort=False).any()
