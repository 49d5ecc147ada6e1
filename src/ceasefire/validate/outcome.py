"""Outcome-level fits over many battles: how casualty exchange depends on force ratio.

Claim tested (the exchange-ratio test of the square law on historical battles, the
question of Helmbold's and the CAA CHASE work on CDB90): under Bracken's
general law ``dA/dt = -k_a D**p A**q``, ``dD/dt = -k_d A**p D**q`` the ratio of the
two sides' loss rates is ``dD/dA = (k_d/k_a) (A/D)**(p-q)``. Taken over a battle,
the casualty-exchange ratio ``CER = defender casualties / attacker casualties``
follows approximately::

    ln CER = c + beta * ln(A0 / D0),     beta = p - q

so the slope ``beta`` tells the law apart: square law (p=1, q=0) beta = 1, linear
law (p=q) beta = 0, logarithmic law (p=0, q=1) beta = -1. In Helmbold's exponent
form (p=W, q=1-W) beta = 2W - 1, so ``W = (1 + beta) / 2``. The approximation is
exact at the start of a battle and good while loss fractions are small.

Attacker/defender split (needs durations, CDB90 only): the casualty *rate* of each
side, ``ln(cas / duration) = c + p ln(shooter strength) + q ln(own strength)``,
gives the exponents of the fire each side received separately.

Statistics: ordinary least squares (statsmodels); intervals use heteroskedasticity-robust (HC3)
standard errors and Student-t quantiles; error bands of CDB90 are propagated by
redrawing every strength and casualty figure uniformly inside its stated +/- percent
band and refitting (the spread of the slope over the draws is reported).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ceasefire.errors import InputError

from .io import check_design, check_not_above, parse_column, read_table, require_columns

#: Era boundaries (first year of each era). The first three match the periods of
#: Rubio-Campillo's (2016) 1620-1905 files; 1914 and 1946 split the world wars off.
ERA_BREAKS = (1702, 1793, 1861, 1914, 1946)


def era_of(year: float) -> str:
    """Era label for a year, e.g. ``1793-1860``."""
    edges = (-np.inf,) + ERA_BREAKS + (np.inf,)
    labels = ["before 1702", "1702-1792", "1793-1860", "1861-1913", "1914-1945", "1946 and later"]
    for lo, hi, lab in zip(edges[:-1], edges[1:], labels):
        if lo <= year < hi:
            return lab
    return "unknown"


@dataclass
class BattleData:
    """One row a battle: attacker/defender (or side 1/side 2) strengths and casualties."""

    name: str
    frame: pd.DataFrame  # columns: battle, year, era, a0, ac, d0, dc, duration_days, err_* (percent)
    sides_are_attacker_defender: bool
    exclusions: dict[str, int] = field(default_factory=dict)
    source: str = ""


# ---------------------------------------------------------------- loading
def _load_cdb90(directory: Path) -> BattleData:
    bel_path = directory / "belligerents.csv"
    bat_path = directory / "battles.csv"
    dur_path = directory / "battle_durations.csv"
    bel = read_table(bel_path)
    require_columns(bel, bel_path, ["isqno", "attacker", "intst", "cas", "str", "code"])
    bat = read_table(bat_path)
    require_columns(bat, bat_path, ["isqno", "name", "parent"])
    isq = parse_column(bel, bel_path, "isqno", "int_nonneg")
    att = parse_column(bel, bel_path, "attacker", "int_nonneg")
    intst = parse_column(bel, bel_path, "intst", "nonneg", allow_blank=True)
    total = parse_column(bel, bel_path, "str", "nonneg", allow_blank=True)
    code = parse_column(bel, bel_path, "code", "number", allow_blank=True)
    cas = parse_column(bel, bel_path, "cas", "nonneg", allow_blank=True)
    errs = {}
    for col in ("strpl", "strmi", "caspl", "casmi"):
        errs[col] = (
            parse_column(bel, bel_path, col, "number", allow_blank=True).abs()
            if col in bel.columns
            else pd.Series(np.nan, index=bel.index)
        )
    # initial strength: intst, or the total strength when CDB90 codes it as the initial one (code 1)
    initial = intst.where(intst.notna(), total.where(code == 1))
    b = pd.DataFrame({"isqno": isq.astype(int), "attacker": att.astype(int), "initial": initial, "cas": cas, **errs})
    a_side = b[b.attacker == 1].set_index("isqno")
    d_side = b[b.attacker == 0].set_index("isqno")
    bisq = parse_column(bat, bat_path, "isqno", "int_nonneg").astype(int)
    parent = bat["parent"].astype(str).str.strip()
    names = bat["name"].astype(str)
    years = pd.Series(np.nan, index=bisq.values)
    duration = pd.Series(np.nan, index=bisq.values)
    calendar_days = pd.Series(np.nan, index=bisq.values)
    kmda = (
        parse_column(bat, bat_path, "kmda", "nonneg", allow_blank=True).to_numpy()
        if "kmda" in bat.columns else np.full(len(bat), np.nan)
    )
    wina = (
        parse_column(bat, bat_path, "wina", "number", allow_blank=True).to_numpy()
        if "wina" in bat.columns else np.full(len(bat), np.nan)
    )
    if dur_path.exists():
        dur = read_table(dur_path)
        require_columns(dur, dur_path, ["isqno", "datetime_min", "duration2"])
        disq = parse_column(dur, dur_path, "isqno", "int_nonneg").astype(int)
        years = pd.Series(pd.to_datetime(dur["datetime_min"], errors="coerce").dt.year.values, index=disq.values)
        duration = pd.Series(parse_column(dur, dur_path, "duration2", "nonneg", allow_blank=True).values, index=disq.values)
        if "duration1" in dur.columns:
            calendar_days = pd.Series(parse_column(dur, dur_path, "duration1", "nonneg", allow_blank=True).values, index=disq.values)
    front = pd.Series(np.nan, index=bisq.values)
    fw_path = directory / "front_widths.csv"
    if fw_path.exists():
        fw = read_table(fw_path)
        require_columns(fw, fw_path, ["isqno", "front_number", "wofd"])
        fisq = parse_column(fw, fw_path, "isqno", "int_nonneg").astype(int)
        fnum = parse_column(fw, fw_path, "front_number", "int_nonneg")
        wofd = parse_column(fw, fw_path, "wofd", "nonneg", allow_blank=True)
        first = (fnum == 1).to_numpy()
        front = pd.Series(wofd[first].to_numpy(), index=fisq[first].to_numpy())
        front = front[~front.index.duplicated()]
    excl = {"duplicate battle (parent not null)": 0, "missing initial strength or casualties": 0, "zero casualties on a side": 0}
    rows = []
    for i, k in enumerate(bisq.values):
        if parent.iloc[i] not in ("", "nan", "NA"):
            excl["duplicate battle (parent not null)"] += 1
            continue
        if k not in a_side.index or k not in d_side.index:
            excl["missing initial strength or casualties"] += 1
            continue
        a, d = a_side.loc[k], d_side.loc[k]
        if isinstance(a, pd.DataFrame) or isinstance(d, pd.DataFrame):
            a, d = (a.iloc[0] if isinstance(a, pd.DataFrame) else a), (d.iloc[0] if isinstance(d, pd.DataFrame) else d)
        vals = [a["initial"], a["cas"], d["initial"], d["cas"]]
        if any(pd.isna(v) for v in vals) or a["initial"] <= 0 or d["initial"] <= 0:
            excl["missing initial strength or casualties"] += 1
            continue
        if a["cas"] <= 0 or d["cas"] <= 0:
            excl["zero casualties on a side"] += 1
            continue
        yr = years.get(k, np.nan)
        rows.append(
            {
                "battle": f"{k} {names.iloc[i]}",
                "year": yr,
                "era": era_of(yr) if np.isfinite(yr) else "unknown",
                "a0": a["initial"], "ac": a["cas"], "d0": d["initial"], "dc": d["cas"],
                "duration_days": duration.get(k, np.nan),
                "front_km": front.get(k, np.nan),
                "calendar_days": calendar_days.get(k, np.nan),
                "advance_km": kmda[i],
                "attacker_won": wina[i],
                "err_a0": a["strpl"], "err_a0_minus": a["strmi"], "err_ac": a["caspl"], "err_ac_minus": a["casmi"],
                "err_d0": d["strpl"], "err_d0_minus": d["strmi"], "err_dc": d["caspl"], "err_dc_minus": d["casmi"],
            }
        )
    frame = pd.DataFrame(rows)
    return BattleData(
        "CDB90", frame, True, excl,
        "CAA Database of Battles (CDB90), tidy version by Jeffrey Arnold (jrnold/CDB90), ODC-BY",
    )


def _load_xy_file(path: Path) -> pd.DataFrame:
    df = read_table(path, sep=";")
    if len(df.columns) == 1:
        df = read_table(path, sep=",")
    require_columns(df, path, ["year", "R0", "Rc", "B0", "Bc"])
    out = pd.DataFrame(
        {
            "year": parse_column(df, path, "year", "int_nonneg"),
            "a0": parse_column(df, path, "R0", "positive"),
            "ac": parse_column(df, path, "Rc", "nonneg"),
            "d0": parse_column(df, path, "B0", "positive"),
            "dc": parse_column(df, path, "Bc", "nonneg"),
        }
    )
    for i in range(len(out)):
        for c0, cc, n0, nc in (("a0", "ac", "R0", "Rc"), ("d0", "dc", "B0", "Bc")):
            if out[cc].iloc[i] > out[c0].iloc[i]:
                raise InputError(
                    f"{path}, row {i + 2}, column '{nc}': casualties {out[cc].iloc[i]:g} exceed the initial "
                    f"strength {out[c0].iloc[i]:g} in column '{n0}'; check the row."
                )
    out["battle"] = [f"{path.stem}:{i + 2}" for i in range(len(out))]
    return out


def _load_generic(path: Path) -> pd.DataFrame:
    df = read_table(path)
    need = ["attacker_strength", "attacker_casualties", "defender_strength", "defender_casualties"]
    require_columns(df, path, need)
    out = pd.DataFrame(
        {
            "a0": parse_column(df, path, "attacker_strength", "positive"),
            "ac": parse_column(df, path, "attacker_casualties", "nonneg"),
            "d0": parse_column(df, path, "defender_strength", "positive"),
            "dc": parse_column(df, path, "defender_casualties", "nonneg"),
        }
    )
    check_not_above(out, path, [("ac", "a0", "attacker_casualties", "attacker_strength"),
                                ("dc", "d0", "defender_casualties", "defender_strength")])
    out["year"] = parse_column(df, path, "year", "number", allow_blank=True) if "year" in df.columns else np.nan
    out["duration_days"] = (
        parse_column(df, path, "duration_days", "positive", allow_blank=True) if "duration_days" in df.columns else np.nan
    )
    out["battle"] = df["battle"].tolist() if "battle" in df.columns else [f"row {i + 2}" for i in range(len(df))]
    return out


def load_battles(path: str | Path) -> BattleData:
    """Load battles from a CDB90 directory, the 1620-1905 directory/file, or a generic CSV.

    Generic CSV columns: ``attacker_strength, attacker_casualties, defender_strength,
    defender_casualties`` and optional ``battle, year, duration_days``.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"not found: {path}. Give a CDB90 directory, the battles_1620_1905 directory or a CSV file.")
    if path.is_dir() and (path / "belligerents.csv").exists():
        return _load_cdb90(path)
    if path.is_dir():
        files = sorted(path.glob("*.csv"))
        if not files:
            raise InputError(f"{path}: no CSV files in this directory (expected CDB90's belligerents.csv or year;R0;Rc;B0;Bc files).")
        frames = [_load_xy_file(f) for f in files]
        frame = pd.concat(frames, ignore_index=True)
        name = path.name
        paired = False
        src = "Rubio-Campillo (2016), PLoS ONE 11(1): e0146491, data from xrubio/lanchester" if "1620" in name else str(path)
    else:
        head = path.read_text(errors="replace").splitlines()[:1]
        if head and "R0" in head[0]:
            frame = _load_xy_file(path)
            paired, name, src = False, path.stem, str(path)
        else:
            frame = _load_generic(path)
            paired, name, src = True, path.stem, str(path)
    excl = {"zero casualties on a side": int(((frame.ac <= 0) | (frame.dc <= 0)).sum())}
    frame = frame[(frame.ac > 0) & (frame.dc > 0)].reset_index(drop=True)
    frame["era"] = [era_of(y) if np.isfinite(y) else "unknown" for y in frame["year"].astype(float)]
    if "duration_days" not in frame.columns:
        frame["duration_days"] = np.nan
    return BattleData(name, frame, paired, excl, src)


# ---------------------------------------------------------------- regression
@dataclass
class Regression:
    """OLS with HC3 robust intervals."""

    names: list[str]
    coef: np.ndarray
    se: np.ndarray
    ci: np.ndarray  # (k, 2)
    n: int
    r2: float
    confidence: float
    cov: np.ndarray | None = None  # HC3 covariance of the coefficients

    def combination(self, weights: dict[str, float]) -> tuple[float, float, tuple[float, float], float]:
        """A linear combination of coefficients: estimate, standard error, interval, two-sided p-value of 0."""
        w = np.array([weights.get(nm, 0.0) for nm in self.names])
        est = float(w @ self.coef)
        se = float(np.sqrt(max(w @ self.cov @ w, 0.0)))
        dof = self.n - len(self.names)
        t = stats.t.ppf(0.5 + self.confidence / 2, dof)
        pval = float(2 * stats.t.sf(abs(est / se), dof)) if se > 0 else float("nan")
        return est, se, (est - t * se, est + t * se), pval

    def as_dict(self) -> dict:
        return {
            nm: {"estimate": float(c), "se": float(s), "ci": [float(lo), float(hi)]}
            for nm, c, s, (lo, hi) in zip(self.names, self.coef, self.se, self.ci)
        } | {"n": self.n, "r2": self.r2, "confidence": self.confidence}


def ols(y: np.ndarray, X: np.ndarray, names: list[str], confidence: float = 0.95) -> Regression:
    """Least squares ``y = X b`` with HC3 heteroskedasticity-robust standard errors (MacKinnon & White 1985).

    Fitted by ``statsmodels`` (``OLS(...).fit(cov_type="HC3", use_t=True)``): intervals use
    Student's t with ``n - k`` degrees of freedom. ``r2`` is ``1 - SSR / centred total sum
    of squares``.
    """
    try:
        from statsmodels.regression.linear_model import OLS
    except ImportError:  # an optional extra: 65 MB installed, 3 s to import
        raise InputError("fitting battles needs statsmodels: pip install 'ceasefire[validate]'") from None
    y = np.asarray(y, float)
    X = np.asarray(X, float)
    n, k = X.shape
    if n <= k:
        raise InputError(f"only {n} usable battles for {k} coefficients; need more battles for this fit")
    check_design(X, names)
    fit = OLS(y, X).fit(cov_type="HC3", use_t=True)
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    r2 = 1 - float(fit.ssr) / ss_tot if ss_tot > 0 else float("nan")
    ci = np.asarray(fit.conf_int(alpha=1 - confidence))
    return Regression(names, np.asarray(fit.params), np.asarray(fit.bse), ci, n, r2, confidence,
                      np.asarray(fit.cov_params()))


def exchange_ratio_fit(frame: pd.DataFrame, confidence: float = 0.95) -> Regression:
    """Regress ``ln(dc/ac)`` on ``ln(a0/d0)``: the slope is beta = p - q."""
    x = np.log(frame.a0.to_numpy(float) / frame.d0.to_numpy(float))
    y = np.log(frame.dc.to_numpy(float) / frame.ac.to_numpy(float))
    return ols(y, np.column_stack([np.ones_like(x), x]), ["intercept", "beta"], confidence)


def rate_exponent_fit(frame: pd.DataFrame, target: str, confidence: float = 0.95, front: bool = False) -> Regression | None:
    """Exponents of the fire received by ``target`` ('attacker' or 'defender') from casualty rates.

    ``ln(cas/duration) = c + p ln(shooter strength) + q ln(own strength) [+ f ln(front km)]``.
    Needs durations; with ``front=True`` also CDB90's front width (the defender's, at the
    battle's start). The engine's form ``k S**p (T/front)**q`` implies ``f = -q``: test it
    with ``reg.combination({"q": 1, "front_exponent": 1})``.
    """
    ok = np.isfinite(frame.duration_days.astype(float)) & (frame.duration_days.astype(float) > 0)
    if front:
        if "front_km" not in frame.columns:
            return None
        ok &= np.isfinite(frame.front_km.astype(float)) & (frame.front_km.astype(float) > 0)
    f = frame[ok]
    if len(f) < 10:
        return None
    dur = f.duration_days.to_numpy(float)
    if target == "attacker":
        own, shooter, cas = f.a0, f.d0, f.ac
    else:
        own, shooter, cas = f.d0, f.a0, f.dc
    y = np.log(cas.to_numpy(float) / dur)
    cols = [np.ones(len(f)), np.log(shooter.to_numpy(float)), np.log(own.to_numpy(float))]
    names = ["log_coefficient", "p", "q"]
    if front:
        cols.append(np.log(f.front_km.to_numpy(float)))
        names.append("front_exponent")
    return ols(y, np.column_stack(cols), names, confidence)


def law_test(reg: Regression) -> dict[str, dict[str, float]]:
    """Two-sided t-tests of the slope against the named laws' predictions (square 1, linear 0, log -1)."""
    j = reg.names.index("beta")
    out = {}
    for law, beta0 in (("square", 1.0), ("linear", 0.0), ("logarithmic", -1.0)):
        t = (reg.coef[j] - beta0) / reg.se[j] if reg.se[j] > 0 else np.inf
        pval = 2 * stats.t.sf(abs(t), reg.n - len(reg.names))
        out[law] = {"predicted_beta": beta0, "t": float(t), "p_value": float(pval)}
    return out


def error_band_draws(frame: pd.DataFrame, draws: int = 200, seed: int = 0) -> np.ndarray | None:
    """Slopes beta refitted with every figure redrawn uniformly inside its CDB90 error band.

    CDB90 gives a plus and a minus percent per side for strengths (``strpl``/``strmi``)
    and casualties (``caspl``/``casmi``); a missing band is taken as zero. Returns
    ``None`` when the data carry no bands.
    """
    cols = ["err_a0", "err_a0_minus", "err_ac", "err_ac_minus", "err_d0", "err_d0_minus", "err_dc", "err_dc_minus"]
    if not all(c in frame.columns for c in cols):
        return None
    rng = np.random.default_rng(seed)
    n = len(frame)
    base = {c: frame[c].to_numpy(float) for c in ("a0", "ac", "d0", "dc")}
    bands = {c: np.nan_to_num(np.abs(frame[c].to_numpy(float))) / 100.0 for c in cols}
    out = np.empty(draws)
    for i in range(draws):
        vals = {}
        for c in ("a0", "ac", "d0", "dc"):
            lo = 1 - np.minimum(bands[f"err_{c}_minus"], 0.95)
            hi = 1 + bands[f"err_{c}"]
            vals[c] = base[c] * rng.uniform(lo, hi, size=n)
        x = np.log(vals["a0"] / vals["d0"])
        y = np.log(vals["dc"] / vals["ac"])
        out[i] = np.polyfit(x, y, 1)[0]
    return out


@dataclass
class BattleFitReport:
    data: BattleData
    law: str
    overall: Regression
    helmbold_weight: tuple[float, float, float]  # estimate, lo, hi
    tests: dict
    by_era: pd.DataFrame
    rate_fits: dict[str, Regression]
    error_band_beta: tuple[float, float, float] | None  # median, 5th, 95th percentile

    def as_dict(self) -> dict:
        return {
            "dataset": self.data.name,
            "source": self.data.source,
            "battles_used": int(len(self.data.frame)),
            "excluded": self.data.exclusions,
            "law": self.law,
            "exchange_ratio_fit": self.overall.as_dict(),
            "helmbold_weight": dict(zip(("estimate", "lo", "hi"), self.helmbold_weight)),
            "law_tests": self.tests,
            "by_era": self.by_era.to_dict(orient="records"),
            "rate_fits": {k: v.as_dict() for k, v in self.rate_fits.items()},
            "error_band_beta": None
            if self.error_band_beta is None
            else dict(zip(("median", "p05", "p95"), self.error_band_beta)),
        }


def fit_battles(data: BattleData, law: str = "helmbold", confidence: float = 0.95, draws: int = 200, seed: int = 0) -> BattleFitReport:
    """Outcome-level fit: exchange-ratio regression overall and by era, law tests, rate exponents."""
    if law not in ("helmbold", "square", "linear", "logarithmic"):
        raise InputError(f"unknown law {law!r} for battle fits; use helmbold, square, linear or logarithmic")
    f = data.frame
    if len(f) < 5:
        raise InputError(f"{data.name}: only {len(f)} usable battles; need at least 5")
    reg = exchange_ratio_fit(f, confidence)
    b, (lo, hi) = reg.coef[1], reg.ci[1]
    weight = ((1 + b) / 2, (1 + lo) / 2, (1 + hi) / 2)
    rows = []
    for era, g in f.groupby("era", sort=False):
        if len(g) < 8:
            rows.append({"era": era, "n": len(g), "beta": np.nan, "lo": np.nan, "hi": np.nan, "helmbold_weight": np.nan})
            continue
        r = exchange_ratio_fit(g, confidence)
        rows.append(
            {"era": era, "n": len(g), "beta": float(r.coef[1]), "lo": float(r.ci[1, 0]), "hi": float(r.ci[1, 1]),
             "helmbold_weight": float((1 + r.coef[1]) / 2)}
        )
    order = {lab: i for i, lab in enumerate(["before 1702", "1702-1792", "1793-1860", "1861-1913", "1914-1945", "1946 and later", "unknown"])}
    era_df = pd.DataFrame(rows).sort_values("era", key=lambda s: s.map(order)).reset_index(drop=True)
    rate_fits = {}
    if data.sides_are_attacker_defender:
        for side in ("attacker", "defender"):
            r = rate_exponent_fit(f, side, confidence)
            if r is not None:
                rate_fits[f"fire_on_{side}"] = r
            r = rate_exponent_fit(f, side, confidence, front=True)
            if r is not None:
                rate_fits[f"fire_on_{side}_with_front_width"] = r
    band = error_band_draws(f, draws, seed) if draws > 0 else None
    band_summary = None if band is None else tuple(float(v) for v in np.percentile(band, [50, 5, 95]))
    return BattleFitReport(data, law, reg, tuple(float(v) for v in weight), law_test(reg), era_df, rate_fits, band_summary)
