"""``ds.ceasefire``: the compared ensemble's tables as methods, and a useful display in Jupyter.

Importing :mod:`ceasefire.compare` registers the accessor on every ``xarray.Dataset``;
on a compared ensemble, ``ds.ceasefire`` shows the "favours" table with its Monte
Carlo intervals and the definition, then every favours measure; ``ds.ceasefire.favours()``,
``.measures()``, ``.summary()`` and ``.claims()`` return the tables as pandas DataFrames.
"""

from __future__ import annotations

import html

import pandas as pd
import xarray as xr

from .ensemble import FORMAT
from .measures import claims_table, favours_table, summary_table


@xr.register_dataset_accessor("ceasefire")
class CompareAccessor:
    def __init__(self, ds: xr.Dataset):
        self._ds = ds

    def _check(self) -> None:
        if self._ds.attrs.get("ceasefire_format") != FORMAT:
            raise ValueError("this Dataset is not a ceasefire compared ensemble (see ceasefire.compare.run_policies)")

    def favours(self, intervals: bool = True) -> pd.DataFrame:
        """Share of runs each truce favours each side (and neither), with 95 % Wilson intervals."""
        self._check()
        return favours_table(self._ds, intervals=intervals)

    def measures(self, **options) -> pd.DataFrame:
        """Every favours measure (:mod:`.favours`): share of futures each truce leaves each side better off, with
        95 % Wilson intervals; keyword arguments are :class:`.favours.FavoursOptions` (e.g. ``gain_share=0.05``)."""
        self._check()
        from .favours import FavoursOptions, measures_table

        return measures_table(self._ds, FavoursOptions(**options))

    def summary(self) -> pd.DataFrame:
        """Median and 90 % interval of the main outcomes per policy and actor."""
        self._check()
        return summary_table(self._ds)

    def claims(self) -> pd.DataFrame:
        """Share of runs in which each of the scenario's claims holds, per policy."""
        self._check()
        from .io import scenario_of

        return claims_table(self._ds, scenario_of(self._ds).claims)

    def _repr_html_(self) -> str:
        ds = self._ds
        if ds.attrs.get("ceasefire_format") != FORMAT:
            return "<p>not a ceasefire compared ensemble</p>"
        fav = favours_table(ds, intervals=True)
        who = [str(s) for s in ds.side.values] + ["neither"]
        cells = pd.DataFrame({"policy": fav["policy"]})
        for w in who:
            cells[w] = [f"{r[w]:.1%} [{r[w + '_lo']:.1%}, {r[w + '_hi']:.1%}]" for _, r in fav.iterrows()]
        head = (f"<p><b>{html.escape(str(ds.attrs.get('scenario', '')))}</b>: compared ensemble of "
                f"{ds.sizes['policy']} policies x {ds.sizes['run']} runs, seed {ds.attrs.get('seed')}</p>")
        note = f"<p><small>{html.escape(ds.attrs.get('favours_definition', ''))}</small></p>"
        from .favours import measures_table

        table = measures_table(ds)
        wide = pd.DataFrame([{"measure": r.label, "policy": r.policy, "who": r.who,
                              "share": "n/a" if pd.isna(r.share) else f"{r.share:.1%} [{r.lo:.1%}, {r.hi:.1%}]"}
                             for r in table.itertuples()])
        if not wide.empty:
            wide = wide.pivot_table(index=["measure", "policy"], columns="who", values="share", aggfunc="first",
                                    sort=False)
        more = ("<p>Every favours measure (<code>ds.ceasefire.measures()</code>):</p>"
                + wide.to_html(escape=True)) if not table.empty else ""
        return head + cells.to_html(index=False, escape=True) + note + more

    def __repr__(self) -> str:
        if self._ds.attrs.get("ceasefire_format") != FORMAT:
            return "<ceasefire accessor: not a compared ensemble>"
        return favours_table(self._ds).to_string(index=False)
