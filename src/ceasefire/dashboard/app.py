"""The page of one browser session (Panel layout; the logic lives in state, compute, render, export).

A :class:`Session` holds this tab's settings. A change of a control is parsed
and validated first (an invalid value gets a message under its field and
nothing else changes); a valid change asks for a new view, computed on the
server's worker threads while a busy indicator shows and the previous results
stay on screen. Changes that arrive while a view is computed are coalesced:
only the latest settings are computed next.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

import panel as pn

from ..errors import InputError
from ..scenario import load_scenario
from . import render
from .catalogue import document_title, parameter_rows
from .charts import FanCharts, owner_colours
from .extras import bargaining_available, bargaining_html, truce_map_available, truce_map_html
from .state import (
    DAYS_PER_MONTH,
    AID_MAX,
    AID_MIN,
    FLOWS,
    RUNS_MAX,
    RUNS_MIN,
    SEED_MAX,
    Settings,
    default_settings,
    duration_text,
    parse_duration_days,
    parse_float,
    parse_int,
    parse_what_if,
    apply_what_ifs,
    settings_from_query,
)
from .summary import DEFAULT_STOCKS, STOCKS

if TYPE_CHECKING:  # the server builds the context and mounts sessions; a session only uses it
    from .server import DashboardContext

log = logging.getLogger("ceasefire.dashboard")

CSS = """
:host { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.cf-msg { color: #b00020; font-size: 0.85em; }
.cf-outcomes, .cf-params { border-collapse: collapse; width: 100%; font-size: 0.9em; }
.cf-outcomes th, .cf-outcomes td, .cf-params th, .cf-params td { border-bottom: 1px solid #ddd; padding: 3px 6px;
  text-align: left; vertical-align: top; }
.cf-outcomes td[data-value] { font-variant-numeric: tabular-nums; }
.cf-bar { display: flex; height: 14px; margin: 4px 0; border-radius: 3px; overflow: hidden; }
.cf-bar span { display: block; height: 100%; }
.cf-changed { background: #fff6d6; }
.cf-whatif { color: #8a5a00; font-weight: 600; }
.cf-paragraph { background: #f5f5f5; border-left: 3px solid #888; margin: 4px 0; padding: 4px 8px; }
details.cf-source summary { cursor: pointer; color: #174ea6; }
mark { background: #ffe58a; }
"""

FLOW_LABELS = {
    "production": "production",
    "training": "training",
    "mobilisation": "mobilisation",
    "aid": "outside aid",
    "fatigue": "supporters' fatigue",
    "imports": "imports",
}


STYLE = f"<style>{CSS}</style>"
#: The status line's own style: a spinner drawn by CSS (a ring), shown while computing. It starts
#: turning only after a second: an animation makes the browser paint every frame, and with software
#: rendering on a 2-core machine that took a third of a core from the server computing the futures
#: (460 ms of Chromium's CPU in 1.4 s), while a wait of under a second needs no motion to read as busy.
STATUS_STYLE = """<style>
.cf-status { white-space: nowrap; }
.cf-spinner { display: inline-block; width: 12px; height: 12px; margin-right: 8px; vertical-align: -1px;
  border: 2px solid #c8c8c8; border-top-color: #0072B2; border-radius: 50%;
  animation: cf-spin 0.8s linear 1s infinite; }
@keyframes cf-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .cf-spinner { animation: none; } }
</style>"""


def _msg(text: str) -> str:
    """An inline error message (role=alert, so screen readers announce it)."""
    return f'<div class="cf-error" role="alert" style="color:#b00020;font-size:0.85em">{render.esc(text)}</div>'



class TextHTML(pn.pane.HTML):
    """An HTML pane whose updates send only the new text.

    Panel's HTML pane re-sends all its properties on each update, style sheets
    included; new style-sheet models make Bokeh re-walk every model of the page
    (hundreds of milliseconds with a dozen plots). Styles therefore go inside the
    content (a ``<style>`` in the pane's shadow root) and an update sets ``text``.
    """

    def _update(self, ref, model) -> None:
        props = self._get_properties(model.document)
        model.text = props["text"]


def _html(text: str = "", **kw) -> pn.pane.HTML:
    return TextHTML(text, **kw)


class NumberField:
    """A slider and a text box for one number, kept in step, with an inline message for invalid input.

    ``parse(text)`` gives the value (or raises InputError), ``show(value)`` gives
    (slider position, text) for a value, ``fmt(slider position)`` the text a
    slider position stands for; ``on_commit(value)`` receives valid values."""

    def __init__(self, label: str, css: str, start: float, end: float, step: float, value: float, text: str,
                 parse, on_commit, fmt=str, show=None):
        self.parse, self.on_commit, self.fmt = parse, on_commit, fmt
        self.show = show or (lambda v: (v, fmt(v)))
        self.slider = pn.widgets.FloatSlider(name=label, start=start, end=end, step=step, value=value,
                                             sizing_mode="stretch_width", css_classes=[css + "-slider"],
                                             show_value=False)
        self.text = pn.widgets.TextInput(value=text, width=110, css_classes=[css], name="")
        self.msg = _html("", css_classes=["cf-msg", css + "-msg"], margin=(0, 10))
        self._syncing = False
        self.slider.param.watch(self._slid, "value_throttled")
        self.text.param.watch(self._typed, "value")
        # Enter re-submits even an unchanged text (e.g. to retry after fixing another field)
        self.text.param.watch(lambda e: self._typed(SimpleNamespace(new=self.text.value_input)), "enter_pressed")
        self.layout = pn.Column(pn.Row(self.slider, self.text, sizing_mode="stretch_width"), self.msg,
                                sizing_mode="stretch_width", margin=0)

    def set(self, slider_value: float, text: str, start: float | None = None, end: float | None = None) -> None:
        self._syncing = True
        try:
            if start is not None:
                self.slider.start, self.slider.end = start, end
            self.slider.value = min(max(slider_value, self.slider.start), self.slider.end)
            self.text.value = text
            self.msg.object = ""
        finally:
            self._syncing = False

    def _slid(self, event) -> None:
        if self._syncing or event.new is None:
            return
        self._commit(self.fmt(event.new))

    def _typed(self, event) -> None:
        if self._syncing:
            return
        self._commit(event.new)

    def _commit(self, text: str) -> None:
        try:
            value = self.parse(text)
        except InputError as err:
            self.msg.object = _msg(str(err))
            return
        self.set(*self.show(value))  # the slider follows the text and the text the slider
        self.on_commit(value)


class Session:
    """One browser tab's page and state."""

    def __init__(self, ctx: DashboardContext, query=None):
        self.ctx = ctx
        query = query if query is not None else (pn.state.session_args or {})
        self.settings, problems = settings_from_query(query, ctx.scenarios, ctx.default_key)
        self.shown: Settings | None = None
        self._wanted: Settings | None = None
        self._running = False
        self.view = None
        self.charts: FanCharts | None = None
        self.stocks = stocks_from_query(query)
        self.last_seconds = None
        self._build_header(problems)
        self._build_policy_controls()
        self._build_what_if_editor()
        self._build_files()
        self._build_results()
        self._build_extras()
        self.layout = self._build_layout()
        self._load_scenario_ui()
        if pn.state.curdoc is not None:
            pn.state.onload(self._start)

    # ------------------------------------------------------------------ building the page
    def _build_header(self, problems: list[str]) -> None:
        """Title, status line and the notice of link values that were ignored."""
        self.title = _html("", sizing_mode="stretch_width")
        # Fixed size, and busy is shown by the text alone (a CSS spinner inside it): a status that
        # changed size, or a Panel LoadingSpinner (its value toggles CSS classes), makes Bokeh lay out
        # the whole page again, every plot included: ~250 ms of the browser's time per change.
        self.status = _html(STATUS_STYLE + '<span class="cf-status" data-state="starting">starting…</span>',
                            css_classes=["cf-status-pane"], width=460, height=24, margin=(10, 10))
        self.notice = _html("".join(_msg(p) for p in problems),
                            css_classes=["cf-notice"])

    def _build_policy_controls(self) -> None:
        """Truce start and length, aid level, flows going on during the truce, runs and seed."""
        in_months = lambda d: (d / DAYS_PER_MONTH, duration_text(d))  # noqa: E731 - days -> (slider, text)
        self.start_field = NumberField("Truce starts (month; or e.g. 60d)", "cf-start", 0, 1, 0.5, 0, "0",
                                       self._parse_start, lambda d: self._change(start_day=d), fmt=lambda v: f"{v:g}",
                                       show=in_months)
        self.length_field = NumberField("Truce lasts (months; or e.g. 180d)", "cf-length", 0.5, 1, 0.5, 1, "1",
                                        self._parse_length, lambda d: self._change(days=d), fmt=lambda v: f"{v:g}",
                                        show=in_months)
        self.aid_field = NumberField("Aid level (× the scenario's)", "cf-aid", AID_MIN, 3.0, 0.1, 1.0, "1",
                                     lambda t: parse_float(t, "aid level", AID_MIN, AID_MAX),
                                     lambda a: self._change(aid_level=a), fmt=lambda v: f"{round(v, 2):g}")
        self.flows = pn.widgets.CheckBoxGroup(options={FLOW_LABELS[f]: f for f in FLOWS}, value=list(FLOWS),
                                              inline=False, css_classes=["cf-flows"])
        self.flows.param.watch(lambda e: self._change(halted=[f for f in FLOWS if f not in e.new]), "value")
        self.runs = pn.widgets.TextInput(name="Futures (runs)", value="", width=120, css_classes=["cf-runs"])
        self.seed = pn.widgets.TextInput(name="Seed", value="", width=120, css_classes=["cf-seed"])
        self.runs_msg = _html("", css_classes=["cf-msg", "cf-runs-msg"])
        self.runs.param.watch(self._runs_typed, "value")
        self.seed.param.watch(self._seed_typed, "value")

    def _build_what_if_editor(self) -> None:
        """Choose a parameter, see its value and source, type a what-if value."""
        self.param_select = pn.widgets.Select(name="Parameter", options={}, sizing_mode="stretch_width",
                                              css_classes=["cf-param-select"])
        self.param_info = _html("", sizing_mode="stretch_width", css_classes=["cf-param-info"])
        self.what_if = pn.widgets.TextInput(name="What-if value (e.g. 4e5, x2, uniform(a, b))",
                                            sizing_mode="stretch_width", css_classes=["cf-whatif-input"])
        self.what_if_msg = _html("", css_classes=["cf-msg", "cf-whatif-msg"])
        self.clear_what_ifs = pn.widgets.Button(name="Clear all what-ifs", button_type="light", width=150)
        self.param_select.param.watch(lambda e: self._show_param(), "value")
        self.what_if.param.watch(self._what_if_typed, "value")
        self.clear_what_ifs.on_click(lambda e: self._change(overrides=()))

    def _build_files(self) -> None:
        """Upload of another scenario and the download links."""
        self.upload = pn.widgets.FileInput(accept=".yaml,.yml", multiple=False, css_classes=["cf-upload"])
        self.upload_msg = _html("", css_classes=["cf-msg", "cf-upload-msg"])
        self.upload.param.watch(self._uploaded, "value")
        self.downloads = _html("", css_classes=["cf-downloads"])

    def _build_results(self) -> None:
        """Favours bar, outcome table, fan charts, parameters and claims."""
        self.favours = _html("", sizing_mode="stretch_width", css_classes=["cf-favours-pane"])
        self.table = _html("", sizing_mode="stretch_width", css_classes=["cf-table-pane"])
        self.stock_choice = pn.widgets.MultiChoice(name="Stocks", options={}, value=[], sizing_mode="stretch_width")
        self.stock_choice.param.watch(self._stocks_changed, "value")
        self.fans = pn.Column(sizing_mode="stretch_width")
        self.params_html = _html("", sizing_mode="stretch_width", css_classes=["cf-params-pane"])
        self.claims = _html("", sizing_mode="stretch_width", css_classes=["cf-claims-pane"])

    def _build_extras(self) -> None:
        """The truce map and the bargaining range (when those parts are installed)."""
        self.bargain_pane = _html("", sizing_mode="stretch_width", css_classes=["cf-bargain-pane"])
        self._bargain_for: str | None = None
        self.map_runs = pn.widgets.TextInput(name="Futures per cell", value="100", width=120,
                                             css_classes=["cf-map-runs"])
        self.map_button = pn.widgets.Button(name="Compute the truce map", button_type="primary", width=200,
                                            css_classes=["cf-map-button"])
        self.map_pane = _html("", sizing_mode="stretch_width", css_classes=["cf-map-pane"])
        self.map_button.on_click(lambda e: pn.state.execute(self._compute_map))
        extras_parts = []
        if truce_map_available():
            extras_parts += ["#### Truce map", pn.pane.Markdown(
                "Who a truce favours, by when it starts and how long it lasts (the scenario's default grid), "
                "at this page's aid level, what-ifs and seed.", margin=(0, 10)),
                pn.Row(self.map_runs, self.map_button), self.map_pane]
        if bargaining_available():
            extras_parts += ["#### Bargaining range over time (fight on)", self.bargain_pane]
        if not extras_parts:
            extras_parts = [pn.pane.Markdown("The explore and bargain parts of ceasefire are not installed.")]
        self.extras = pn.Column(*extras_parts, sizing_mode="stretch_width")

    def _build_layout(self) -> pn.Column:
        """Controls on the left, results in tabs on the right."""
        controls = pn.Column(
            "### Truce",
            self.start_field.layout,
            self.length_field.layout,
            self.aid_field.layout,
            pn.pane.Markdown("Flows that go on during the truce (combat and strikes always stop):", margin=(0, 10)),
            self.flows,
            pn.Row(self.runs, self.seed),
            self.runs_msg,
            "### What if",
            self.param_select,
            self.param_info,
            self.what_if,
            self.what_if_msg,
            self.clear_what_ifs,
            "### Save and share",
            self.downloads,
            "### Open another scenario",
            self.upload,
            self.upload_msg,
            width=380,
            margin=(0, 10),
        )
        self.tabs = pn.Tabs(
            ("Futures", pn.Column(self.stock_choice, self.fans, sizing_mode="stretch_width")),
            ("Parameters and sources", self.params_html),
            ("Claims", self.claims),
            ("Truce map and bargaining", self.extras),
            dynamic=True,
            sizing_mode="stretch_width",
        )
        self.tabs.param.watch(lambda e: self._maybe_bargain(), "active")
        results = pn.Column(
            self.favours,
            self.table,
            self.tabs,
            sizing_mode="stretch_width",
        )
        self.results = results
        return pn.Column(
            pn.Row(self.title, self.status, sizing_mode="stretch_width"),
            self.notice,
            pn.Row(controls, results, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )

    # ------------------------------------------------------------------ scenario-dependent parts
    @property
    def scenario(self):
        return self.ctx.scenarios[self.settings.scenario]

    def _labels(self) -> dict[str, str]:
        sc = self.scenario
        return {**{k: s.label for k, s in sc.sides.items()}, **{k: s.label for k, s in sc.supporters.items()}}

    def _parse_start(self, text: str) -> int:
        start = parse_duration_days(text, "truce start", 0, self.scenario.horizon_days - 1)
        self.settings.replace(start_day=start).truce_policy(self.scenario)  # the one check (ends by the horizon)
        return start

    def _parse_length(self, text: str) -> int:
        days = parse_duration_days(text, "truce length", 1, self.scenario.horizon_days)
        self.settings.replace(days=days).truce_policy(self.scenario)
        return days

    def _load_scenario_ui(self) -> None:
        """Set every control from the settings (after load, a link, or an upload)."""
        sc, s = self.scenario, self.settings
        horizon_months = sc.horizon_days / DAYS_PER_MONTH
        self.title.object = (
            f"<h2 style='margin:4px 0'>{render.esc(sc.title)}</h2><small>scenario <code>{render.esc(s.scenario)}</code>"
            f", starts {sc.start_date}, horizon {sc.horizon_days} days (about {sc.horizon_days / DAYS_PER_MONTH:.0f} months)"
            "</small>"
        )
        self.start_field.set(s.start_day / DAYS_PER_MONTH, duration_text(s.start_day), 0, max(0.5, horizon_months - 0.5))
        self.length_field.set(s.days / DAYS_PER_MONTH, duration_text(s.days), 0.5, max(1.0, horizon_months))
        self.aid_field.set(s.aid_level, f"{s.aid_level:g}")
        self.flows.value = [f for f in FLOWS if f not in s.halted]
        self.runs.value, self.seed.value = str(s.runs), str(s.seed)
        opts = {option_label(r): r.path for r in parameter_rows(sc)}
        self.param_select.options = opts
        self._quiet_set(self.param_select, next(iter(opts.values()), None))
        colours = owner_colours(sc.side_names, sc.supporter_names)
        self.colours = colours
        self.stock_choice.options = {STOCKS[v][0]: v for v in STOCKS}
        self._quiet_set(self.stock_choice, list(self.stocks))
        self._rebuild_charts()
        self._show_param()
        self._render_params()

    def _rebuild_charts(self) -> None:
        sc = self.scenario
        owners = {v: (sc.supporter_names if v.startswith(("supporter_", "aid_")) else sc.side_names) for v in STOCKS}
        stocks = [v for v in self.stocks if v in STOCKS]
        # a view of another scenario (an upload replaced it) has other sides: never draw it on these charts
        view = self.view if self.view is not None and self.view.settings.scenario == self.settings.scenario else None
        if view is not None:
            present = set(view.stocks)
            stocks = [v for v in stocks if v in present]
        self.charts = FanCharts(stocks, owners, self._labels(), self.colours, sc.start_date, sc.horizon_days)
        self.fans.objects = [pn.Row(pn.pane.Bokeh(a, sizing_mode="stretch_width"),
                                    pn.pane.Bokeh(b, sizing_mode="stretch_width"), sizing_mode="stretch_width")
                             for a, b in self.charts.rows]
        if view is not None:
            self._draw_charts(self.charts.data_for(view.band, view.prepare_bands))

    def _draw_charts(self, data) -> None:
        s = self.view.settings
        if pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:
            pn.io.with_lock(lambda: self.charts.apply(data, s.start_day, s.end_day))()
        else:
            self.charts.apply(data, s.start_day, s.end_day)

    def _render_params(self) -> None:
        sc = self.scenario
        key = self.settings.scenario
        try:
            shown_sc = apply_what_ifs(sc, self.settings.overrides)
        except InputError:
            shown_sc = sc
        rows = parameter_rows(shown_sc, self.settings.override_map)
        titles = {d: document_title(sc, d) for d in sc.documents}
        self.params_html.object = STYLE + render.parameters_html(
            rows, titles, lambda doc, quote: self.ctx.paragraph(key, doc, quote)
        )

    def _show_param(self) -> None:
        path = self.param_select.value
        if not path:
            self.param_info.object = ""
            return
        p = self.scenario.param(path)
        src = p.source
        self.param_info.object = (
            f"<small><code>{render.esc(path)}</code><br>scenario value: <b>{render.esc(p.describe())}</b>"
            f"{' ' + render.esc(p.unit) if p.unit else ''}<br>source: {render.esc(src.describe())}</small>"
        )
        current = self.settings.override_map.get(path, "")
        self._quiet_set(self.what_if, current)
        self.what_if_msg.object = ""

    def _quiet_set(self, widget, value) -> None:
        self._quiet = True
        try:
            widget.value = value
        finally:
            self._quiet = False

    # ------------------------------------------------------------------ input handlers
    _quiet = False

    def _runs_typed(self, event) -> None:
        if self._quiet:
            return
        try:
            runs = parse_int(event.new, "futures (runs)", RUNS_MIN, RUNS_MAX)
        except InputError as err:
            self.runs_msg.object = _msg(str(err))
            return
        self.runs_msg.object = ""
        self._change(runs=runs)

    def _seed_typed(self, event) -> None:
        if self._quiet:
            return
        try:
            seed = parse_int(event.new, "seed", 0, SEED_MAX)
        except InputError as err:
            self.runs_msg.object = _msg(str(err))
            return
        self.runs_msg.object = ""
        self._change(seed=seed)

    def _what_if_typed(self, event) -> None:
        if self._quiet:
            return
        path = self.param_select.value
        if not path:
            self.what_if_msg.object = _msg("choose a parameter first.")
            return
        text = event.new.strip()
        try:
            if text:
                parse_what_if(path, text, self.scenario.param(path))
            new = self.settings.with_override(path, text)
            apply_what_ifs(self.scenario, new.overrides)
        except InputError as err:
            self.what_if_msg.object = _msg(str(err))
            return
        self.what_if_msg.object = ""
        self._change(overrides=new.overrides)

    def _uploaded(self, event) -> None:
        from .limits import MAX_UPLOAD_BYTES

        if not event.new:
            return
        name = Path(self.upload.filename or "uploaded.yaml").name
        if len(event.new) > MAX_UPLOAD_BYTES:
            self.upload_msg.object = _msg(f"error: {name} is {len(event.new) / 1e6:.1f} MB; a scenario upload may be "
                                          f"at most {MAX_UPLOAD_BYTES / 1e6:.0f} MB.")
            return
        with tempfile.TemporaryDirectory(prefix="ceasefire-upload-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(event.new)
            try:
                sc = load_scenario(path)
            except InputError as err:
                # the same paragraph the CLI prints (`error: ...`), naming the file as uploaded
                self.upload_msg.object = _msg("error: " + str(err).replace(str(path), name))
                return
        self.upload_msg.object = ""
        key = self.ctx.register(sc)
        new = default_settings(sc, key).replace(runs=self.settings.runs, seed=self.settings.seed)
        if key != self.settings.scenario:
            self._forget_results(sc)
        self.settings = new
        self._load_scenario_ui()
        self._request(new)

    def _forget_results(self, scenario) -> None:
        """Take the previous scenario's results off the page (another war: none of its numbers, side
        names or charts may stay beside the new title while the new one is computed)."""
        self.view = self.shown = None
        self._bargain_for = None
        pending = (f'<p class="cf-pending">computing the results of <b>{render.esc(scenario.title)}</b>…</p>')
        with pn.io.hold():
            self.favours.object = ""
            self.table.object = pending
            self.claims.object = ""
            self.downloads.object = ""
            self.bargain_pane.object = ""
            self.map_pane.object = ""

    def _change(self, **changes) -> None:
        if self._quiet:
            return
        new = self.settings.replace(**changes)
        if new == self.settings:
            return
        self.settings = new
        if "overrides" in changes:
            self._render_params()
            self._show_param()
        self._request(new)

    # ------------------------------------------------------------------ computing and drawing
    def _start(self) -> None:
        self._request(self.settings)

    def _request(self, settings: Settings) -> None:
        self._wanted = settings
        self._set_busy(True)
        if not self._running:
            self._running = True
            pn.state.execute(self._compute_loop)

    async def _compute_loop(self) -> None:
        try:
            while self._wanted is not None:
                s, self._wanted = self._wanted, None
                t0 = time.perf_counter()
                try:
                    view, chart_data = await self.ctx.run(self._compute, s)
                except InputError as err:
                    self.notice.object = _msg(str(err))
                    continue
                except Exception as err:  # noqa: BLE001 - a bug must not freeze the page; keep what is shown
                    log.exception("computing view %s failed", s.digest())
                    self.notice.object = _msg(f"computing these settings failed ({type(err).__name__}: {err}); "
                                              "the results shown are for the previous settings.")
                    continue
                if self._wanted is not None:
                    continue  # superseded while computing: skip drawing, compute the latest
                t1 = time.perf_counter()
                self._show(view, chart_data, t1 - t0)
                log.info("view %s: computed and charted in %.3f s (engine and summaries %.3f s), shown in %.3f s",
                         s.digest(), t1 - t0, view.seconds, time.perf_counter() - t1)
        finally:
            self._running = False
            self._set_busy(self._wanted is not None)
            if self._wanted is not None:
                self._running = True
                pn.state.execute(self._compute_loop)

    def _compute(self, s: Settings):
        """The view of ``s`` and its chart data, with the charts that data was made for (the page may
        rebuild its charts, for another scenario or other stocks, while this runs on a worker thread)."""
        view = self.ctx.computer.view(s)
        charts = self.charts
        data = charts.data_for(view.band, view.prepare_bands) if charts else None
        return view, (charts, data)

    def _set_busy(self, busy: bool) -> None:
        if busy:
            s = self._wanted or self.settings
            self.status.object = STATUS_STYLE + (
                f'<span class="cf-status" data-state="busy" data-digest="{s.digest()}" role="status">'
                f'<span class="cf-spinner" aria-hidden="true"></span>computing {s.runs:,} futures '
                "under each policy…</span>"
            )
        elif self.shown is not None:
            self.status.object = STATUS_STYLE + (
                f'<span class="cf-status" data-state="idle" data-digest="{self.shown.digest()}" role="status">'
                f"{self.shown.runs:,} futures × 2 policies in {self.last_seconds:.2f} s"
                f"{' (cached)' if self.view is not None and self.view.seconds == 0 else ''}</span>"
            )

    def _show(self, view, chart_data, seconds: float) -> None:
        s = view.settings
        charts, chart_data = chart_data
        if charts is not self.charts and self.charts is not None:  # rebuilt meanwhile: data for these charts
            chart_data = self.charts.data_for(view.band, view.prepare_bands)
        self.view, self.shown, self.last_seconds = view, s, seconds
        labels = self._labels()
        truce_name = f"Truce of {s.days} days from day {s.start_day}"
        with pn.io.hold():
            self.favours.object = STYLE + render.favours_html(view.favours, labels, self.colours, view.truce_end_day,
                                                              view.definition, s.digest(), view.measures)
            texts = {c.id: c.text for c in view.scenario.claims}
            self.claims.object = STYLE + render.claims_html(view.claims, texts, s.truce_policy().name)
            self.table.object = STYLE + render.outcome_table_html(view.table, labels, s.digest(), truce_name)
            if chart_data is not None:
                self._draw_charts(chart_data)
            self.downloads.object = downloads_html(s)
            self.notice.object = ""
        self._set_busy(self._wanted is not None)
        self._set_address(s)
        self._maybe_bargain()

    #: The address bar is updated this long after a redraw: the browser's history.pushState took
    #: ~40 ms of its main thread, which then no longer delays painting the results.
    ADDRESS_DELAY_MS = 150

    def _set_address(self, s: Settings) -> None:
        """Make the address bar the link to the view shown (a moment after it is drawn)."""
        location = pn.state.location
        if location is None:
            return
        query = "?" + page_query(s, self.stocks)
        doc = pn.state.curdoc
        if doc is None or doc.session_context is None:
            location.search = query
            return

        def update():
            if self.shown == s:  # not superseded meanwhile
                location.search = query

        doc.add_timeout_callback(update, self.ADDRESS_DELAY_MS)

    # ------------------------------------------------------------------ truce map and bargaining
    EXTRAS_TAB = 3

    def _maybe_bargain(self) -> None:
        if self.tabs.active == self.EXTRAS_TAB and bargaining_available() and self.view is not None \
                and self._bargain_for != self.view.settings.digest():
            pn.state.execute(self._compute_bargain)

    async def _compute_bargain(self) -> None:
        view = self.view
        self._bargain_for = view.settings.digest()
        self.bargain_pane.object = "<p>computing the bargaining range…</p>"
        try:
            html = await self.ctx.run(bargaining_html, view, self._labels())
        except Exception as err:  # noqa: BLE001 - a failing optional panel must not break the page
            html = _msg(f"the bargaining range could not be computed: {err}")
        if self.view is view:
            self.bargain_pane.object = STYLE + html

    async def _compute_map(self) -> None:
        try:
            runs = parse_int(self.map_runs.value, "futures per cell", 20, 2000)
        except InputError as err:
            self.map_pane.object = _msg(str(err))
            return
        s = self.settings
        try:
            scenario = self.ctx.computer.scenario_for(s)
        except InputError as err:
            self.map_pane.object = _msg(str(err))
            return
        self.map_button.disabled = True
        self.map_pane.object = (f'<p class="cf-map-busy">computing the truce map ({runs} futures per cell)… '
                                "the rest of the page stays usable.</p>")
        try:
            html = await self.ctx.run(truce_map_html, scenario, s, runs, self._labels())
            self.map_pane.object = STYLE + html
        except InputError as err:
            self.map_pane.object = _msg(str(err))
        finally:
            self.map_button.disabled = False

    def _stocks_changed(self, event) -> None:
        if self._quiet:
            return
        self.stocks = list(event.new)
        self._rebuild_charts()
        if pn.state.location is not None and self.shown is not None:
            pn.state.location.search = "?" + page_query(self.shown, self.stocks)


def option_label(row) -> str:
    """How a parameter is listed in the what-if chooser."""
    return f"{row.mechanism} · {row.owner} · {row.name}"


def stocks_from_query(query) -> list[str]:
    """The fan charts a link asks for (``stocks=a,b``; ``stocks=`` for none), else the defaults."""
    raw = query.get("stocks") if query else None
    if raw is None:
        return list(DEFAULT_STOCKS)
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else b""
    raw = raw.decode() if isinstance(raw, bytes) else str(raw)
    return [v for v in raw.split(",") if v in STOCKS]


def page_query(s: Settings, stocks: list[str]) -> str:
    """The page's link: the settings, and which fan charts are open when not the default ones."""
    q = s.query()
    if list(stocks) != list(DEFAULT_STOCKS):
        q += "&stocks=" + ",".join(stocks)
    return q


def downloads_html(s: Settings) -> str:
    q = s.query()
    links = [
        ("scenario.yaml", "Scenario YAML (settings, what-ifs, policies)"),
        ("results.nc", "Results, NetCDF (trajectories, outcomes, parameters)"),
        ("results.csv", "Results, CSV (one row per policy and future)"),
        ("outcome-table.csv", "Outcome table, CSV"),
    ]
    items = "".join(
        f'<li><a class="cf-dl" data-kind="{n}" href="export/{n}?{render.esc(q)}" download>{render.esc(t)}</a></li>'
        for n, t in links
    )
    return f'<ul style="margin:0;padding-left:18px">{items}</ul><small>The page address is a link to this view.</small>'


def create_session(ctx: DashboardContext) -> Session:
    return Session(ctx)
