"""Fan charts of the main stocks: fight-on and the chosen truce side by side (Bokeh models).

A chart pair per stock shares its axes, so the two policies read on the same
scale; bands are the 5-95 % and 25-75 % ranges over the ensemble's futures and
the line is the median, per side (or supporter). The truce period is shaded on
the truce chart. Data are swapped in place (``ColumnDataSource.data``) on each
redraw, so a redraw sends numbers, not new plots.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from bokeh.models import ColumnDataSource, HoverTool, NumeralTickFormatter, Range1d
from bokeh.plotting import figure

from ..palette import actor_colours
from .summary import STOCKS

POLICIES = ("fight_on", "truce")


def owner_colours(sides: list[str], supporters: list[str]) -> dict[str, str]:
    """The project's one palette (:mod:`ceasefire.palette`): the same side, the same colour everywhere."""
    return actor_colours(sides, supporters)


def _ms(t: np.datetime64) -> float:
    """Milliseconds since the epoch (Bokeh's datetime axis unit)."""
    return float(t.astype("datetime64[ms]").astype(np.int64))


def _empty() -> dict[str, list]:
    return {"x": [], "q05": [], "q25": [], "q50": [], "q75": [], "q95": []}


class FanCharts:
    """The figures for a set of stocks and owners; :meth:`update` swaps in a new view's bands."""

    def __init__(self, stocks: list[str], owners: dict[str, list[str]], labels: dict[str, str],
                 colours: dict[str, str], start_date: dt.date, horizon_days: int):
        self.start = np.datetime64(start_date, "D")
        # explicit ranges, set with the data: auto-ranging shared ranges makes every plot sharing
        # them re-render once per data source that changes (a cascade of repaints per redraw)
        end = self.start + np.timedelta64(int(horizon_days), "D")
        self.x_range = Range1d(start=_ms(self.start), end=_ms(end))
        self.y_ranges: dict[str, Range1d] = {}
        self._serials: dict[tuple, int | None] = {}  # band serial last sent to each source
        self.sources: dict[tuple[str, str, str], ColumnDataSource] = {}
        # the truce period, as a glyph fed by a data source (changing data, unlike moving an
        # annotation, does not make Bokeh re-walk the document's model graph)
        self.truce_source = ColumnDataSource({"x0": [], "x1": []})
        self.rows: list[tuple] = []
        for var in stocks:
            label, unit = STOCKS[var]
            y_range = self.y_ranges[var] = Range1d(start=0, end=1)
            pair = []
            for pol in POLICIES:
                title = f"{label} — {'fight on' if pol == 'fight_on' else 'truce'}"
                fig = figure(
                    title=title, height=210, sizing_mode="stretch_width", x_axis_type="datetime",
                    x_range=self.x_range, y_range=y_range, tools="pan,box_zoom,reset,save",
                    toolbar_location="right", min_width=260,
                )
                fig.yaxis.axis_label = unit
                if unit == "share":
                    fig.yaxis.formatter = NumeralTickFormatter(format="0%")
                elif unit in ("personnel", "shells", "persons"):
                    fig.yaxis.formatter = NumeralTickFormatter(format="0.[0]a")
                renderers = []
                for owner in owners.get(var, []):
                    src = ColumnDataSource(_empty())
                    self.sources[(var, pol, owner)] = src
                    c = colours.get(owner, "#555555")
                    name = labels.get(owner, owner)
                    fig.varea("x", "q05", "q95", source=src, fill_color=c, fill_alpha=0.12)
                    fig.varea("x", "q25", "q75", source=src, fill_color=c, fill_alpha=0.28)
                    renderers.append(fig.line("x", "q50", source=src, line_color=c, line_width=2, legend_label=name))
                if renderers:
                    fig.add_tools(HoverTool(renderers=renderers, mode="vline", tooltips=[
                        ("date", "@x{%F}"), ("median", "@q50{0.[000]a}"), ("5-95%", "@q05{0.[000]a} – @q95{0.[000]a}"),
                    ], formatters={"@x": "datetime"}))
                    # the legend above the plot, in one or two short rows, never over the bands: placed
                    # inside, top left, it covered about a third of each chart (issue 15)
                    legend = fig.legend[0]
                    fig.center = [r for r in fig.center if r is not legend]
                    legend.orientation = "horizontal"
                    legend.ncols = 2 if len(renderers) > 2 else len(renderers)
                    legend.label_text_font_size = "8pt"
                    legend.glyph_width = legend.glyph_height = 12
                    legend.padding = legend.margin = 2
                    legend.spacing = 8
                    legend.border_line_alpha = 0
                    fig.add_layout(legend, "above")
                if pol == "truce":
                    fig.vstrip(x0="x0", x1="x1", source=self.truce_source, fill_color="#7f7f7f", fill_alpha=0.14,
                               line_alpha=0)
                pair.append(fig)
            self.rows.append(tuple(pair))

    def _x(self, days: np.ndarray) -> np.ndarray:
        return self.start + days.astype("timedelta64[D]")

    def data_for(self, band, prepare=None) -> dict:
        """New ``ColumnDataSource`` data for every source and the y range of every chart pair
        (computed off the UI thread). ``band(policy, var)`` gives the quantile bands (:meth:`View.band`);
        ``prepare([(policy, var), ...])``, when given, computes them all first (:meth:`View.prepare_bands`)."""
        out: dict = {}
        if prepare is not None:  # compute every band needed at once, before reading them one by one
            prepare([(pol, var) for (var, pol, _owner) in self.sources])
        for (var, pol, owner) in self.sources:
            da = band(pol, var)
            if da is None:
                out[(var, pol, owner)] = _empty()
                continue
            odim = next(d for d in da.dims if d not in ("quantile", "day"))
            sel = da.sel({odim: owner}).transpose("quantile", "day").values
            out[(var, pol, owner)] = {
                "x": self._x(da["day"].values),
                "q05": sel[0], "q25": sel[1], "q50": sel[2], "q75": sel[3], "q95": sel[4],
            }
            out[("serial", var, pol, owner)] = da.attrs.get("band_serial")
        for var in self.y_ranges:
            cols = [d for k, d in out.items() if k[0] == var]
            lows = [np.nanmin(d["q05"]) for d in cols if len(d["q05"])]
            highs = [np.nanmax(d["q95"]) for d in cols if len(d["q95"])]
            if lows and highs:
                lo, hi = float(min(lows)), float(max(highs))
                pad = 0.05 * (hi - lo) if hi > lo else max(abs(hi), 1.0) * 0.05
                out[("range", var)] = (lo - pad, hi + pad)
        return out

    def apply(self, data: dict, truce_start_day: int, truce_end_day: int) -> None:
        """Swap data into the figures (call with the document lock held).

        Only what changed is sent: a truce change leaves fight-on's data (the same
        ensemble) alone, and then a pair's y range only grows to fit the truce's
        bands, so the fight-on chart is not repainted for nothing."""
        same_fight = {}
        for key, d in data.items():
            if key[0] in ("range", "serial"):
                continue
            serial = data.get(("serial", *key))
            unchanged = serial is not None and self._serials.get(key) == serial
            if key[1] == "fight_on":
                same_fight[key[0]] = same_fight.get(key[0], True) and unchanged
            if not unchanged:
                self.sources[key].data = d
                self._serials[key] = serial
        for key, (lo, hi) in ((k, v) for k, v in data.items() if k[0] == "range"):
            r = self.y_ranges[key[1]]
            if same_fight.get(key[1], False):
                lo, hi = min(lo, r.start), max(hi, r.end)
            if (r.start, r.end) != (lo, hi):
                r.update(start=lo, end=hi)
        left = self.start + np.timedelta64(int(truce_start_day), "D")
        right = self.start + np.timedelta64(int(truce_end_day), "D")
        self.truce_source.data = {"x0": np.array([left]), "x1": np.array([right])}
