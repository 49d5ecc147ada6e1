"""One palette for every figure the project draws: a colour per side, per supporter, per policy.

From the Okabe & Ito (2008) colour-blind-safe set. A scenario's first side is
always blue and its second vermillion, in the compare plots, the HTML report and
the dashboard alike; supporters take the colours left after the sides; "neither"
is grey. Policies are coloured apart from sides: fighting on is black, truces take
the remaining Okabe-Ito colours in order.
"""

from __future__ import annotations

#: Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
#: Sides in scenario order, then supporters after them.
ACTOR_ORDER = ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "sky_blue", "yellow")
#: Truces in order (fighting on is black).
TRUCE_ORDER = ("orange", "sky_blue", "bluish_green", "reddish_purple", "yellow", "blue", "vermillion")
NEITHER = "#999999"
FIGHT_ON = OKABE_ITO["black"]


def side_colours(sides: list[str]) -> dict[str, str]:
    """``{side: colour}``: the first side blue, the second vermillion, ..."""
    return {s: OKABE_ITO[ACTOR_ORDER[i % len(ACTOR_ORDER)]] for i, s in enumerate(sides)}


def actor_colours(sides: list[str], supporters: list[str]) -> dict[str, str]:
    """Sides as :func:`side_colours`, then each supporter with the next colour (plus ``neither``: grey)."""
    names = list(sides) + [s for s in supporters if s not in sides]
    out = {n: OKABE_ITO[ACTOR_ORDER[i % len(ACTOR_ORDER)]] for i, n in enumerate(names)}
    out.setdefault("neither", NEITHER)
    return out


def policy_colours(policies: list[str], kinds: list[str] | None = None) -> dict[str, str]:
    """``{policy: colour}``: fight-on policies black (the first) or grey (others), truces in :data:`TRUCE_ORDER`."""
    kinds = list(kinds) if kinds is not None else ["fight_on" if str(p).startswith("fight_on") else "truce"
                                                   for p in policies]
    out, t, f = {}, 0, 0
    for p, k in zip(policies, kinds):
        if k == "fight_on":
            out[str(p)] = FIGHT_ON if f == 0 else "#555555"
            f += 1
        else:
            out[str(p)] = OKABE_ITO[TRUCE_ORDER[t % len(TRUCE_ORDER)]]
            t += 1
    return out
