"""The plots of a student's feedback page, drawn in the grader from the plain data the plot probes
returned (PLOTS in grader/probes/exNN_*.py, or the probe derived from a spec's declared PLOT: the
student's functions on fixed public inputs).

Judge side: the slides' curves are drawn from their formulas here; nothing of the reference and no
hidden case appears (the only case shown is the failing input the feedback already states). Each
plot is one image; a series that is not plottable (an exception, nan or inf, a wrong shape, too
many numbers or too large values) drops its image, and the page says why in one line.
"""
import hashlib
import threading
from dataclasses import dataclass
from typing import Callable

import numpy as np

from grader.outputs import figures
from grader.limits import PLOT_ITEMS, PLOT_MAX_ABS
from grader.protocol import Opaque, Tensor, encode, pack

# Okabe-Ito colours (told apart with any colour vision); every plot also says in words what it shows.
YOURS, SLIDES, MARK = "#0072B2", "#999999", "#D55E00"
LOSS_COLOURS = ("#0072B2", "#E69F00", "#009E73")
LOSS_MAX_ABS = 1e250  # an exploding loss is drawn on a log scale up to here (beyond, matplotlib's transforms overflow)
CACHE_SIZE = 512  # drawn images remembered by their data: most students' plots repeat a classmate's


class Unplottable(Exception):
    """Why one plot cannot be drawn (shown to the student in one line)."""


@dataclass(frozen=True)
class Plot:
    name: str  # unique on the page: "ex03_activations.sigmoid"
    title: str  # the image's caption and alt text
    data: Callable[[], tuple]  # -> the validated arrays the drawing needs (raises Unplottable)
    draw: Callable[..., object]  # draw(fig, *data)
    describe: Callable[..., str] = None  # describe(*data): what the plot shows, in words and numbers (its text alternative)
    shows: tuple = ()  # the graded functions whose results the image shows, if more than `name`


def series(entry, what, size=None, allow_nan=False, max_abs=PLOT_MAX_ABS):
    """A float array from one plot series ({"ok": value} or {"error": type name}); Unplottable if not plottable."""
    if not isinstance(entry, dict) or not ("ok" in entry or "error" in entry):
        raise Unplottable(f"{what}: nothing to plot")
    if "error" in entry:
        raise Unplottable(f"{what} raised {entry['error']}")
    return as_numbers(entry["ok"], what, size, allow_nan, max_abs)


def as_numbers(value, what, size=None, allow_nan=False, max_abs=PLOT_MAX_ABS):
    if isinstance(value, Tensor):
        value = value.values
    if isinstance(value, (Opaque, str, dict)) or value is None:
        raise Unplottable(f"{what} did not return numbers")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise Unplottable(f"{what} did not return an array of numbers") from None
    if arr.size > PLOT_ITEMS:
        raise Unplottable(f"{what} returned {arr.size} numbers, more than a plot takes ({PLOT_ITEMS})")
    if size is not None and arr.size != size:
        raise Unplottable(f"{what} returned shape {arr.shape}: {size} numbers expected")
    finite = np.isfinite(arr)
    if not allow_nan and not finite.all():
        raise Unplottable(f"{what} returned nan or inf")
    if finite.any() and np.abs(arr[finite]).max() > max_abs:
        raise Unplottable(f"{what} returned values too large to plot (above {max_abs:g})")
    return arr.reshape(-1) if size is not None else arr


# ---- declared curve plots (a spec's PLOT: exercise 3's activations beside the slides' curves) -----

def curve_plots(module, declared, value, failing):
    """One image per (forward, derivative) pair of the module's CurvePlot: the student's two curves
    (the derived plot probe's outputs on the grid) beside the slides' curves the spec declares."""
    z = np.asarray(declared.grid, dtype=float)
    for forward, derivative in declared.pairs:
        def data(forward=forward, derivative=derivative):
            curves = [series(value.get(n), f"{n}(z) on the grid z = {z[0]:g} ... {z[-1]:g}", z.size) for n in (forward, derivative)]
            marks = [_marks(failing, f"{module}.{n}", "z", z) for n in (forward, derivative)]
            return z, *curves, *marks

        def draw(fig, z, yf, yd, mf, md, forward=forward, derivative=derivative):
            for i, (name, y, marks) in enumerate(((forward, yf, mf), (derivative, yd, md))):
                ax = fig.add_subplot(1, 2, i + 1)
                if name in declared.curves:  # a missing curve is `nngrade check`'s to report, not the page's
                    ax.plot(z, declared.curves[name](z), color=SLIDES, lw=4, alpha=0.6)
                ax.plot(z, y, color=YOURS, lw=1.5)
                for x in marks:
                    ax.axvline(x, color=MARK, ls=":", lw=1.5)
                ax.set_title(f"{name}(z)", fontsize=10)
                ax.set_xlabel("z", fontsize=8, labelpad=1)
            fig.subplots_adjust(left=0.07, right=0.98, bottom=0.2)

        def describe(z, yf, yd, mf, md, forward=forward, derivative=derivative):
            return " ".join(_curve_words(name, declared.curves.get(name), z, y, m)
                            for name, y, m in ((forward, yf, mf), (derivative, yd, md)))
        yield Plot(f"{module}.{forward}", f"your {forward} and {derivative} (thin blue) against the slides' curves (thick grey); "
                   "dotted orange: your failing input, if any", data, draw, describe,
                   (f"{module}.{forward}", f"{module}.{derivative}"))


def _curve_words(name, curve, z, y, marks):
    """"your sigmoid differs from the slides' curve by at most 0.03, near z = 4" (or matches it)."""
    if curve is None:
        words = f"Your {name} on z = {z[0]:g} ... {z[-1]:g}."
    else:
        gap = np.abs(y - curve(z))
        worst = int(np.argmax(gap))
        words = (f"Your {name} matches the slides' curve on z = {z[0]:g} ... {z[-1]:g} (largest difference {gap[worst]:.1g})."
                 if gap[worst] < 1e-6 else
                 f"Your {name} differs from the slides' curve by at most {gap[worst]:.3g}, near z = {z[worst]:.2g}.")
    if len(marks):
        words += f" Your failing input is marked at z = {', '.join(f'{m:.3g}' for m in marks)}."
    return words


def _marks(failing, function, key, grid):
    """The failing input of `function` (its entries that fall on the plotted grid), at most five."""
    case = failing.get(function) or {}
    try:
        values = np.asarray(case.get(key, []), dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return np.zeros(0)
    values = values[np.isfinite(values) & (values >= grid[0]) & (values <= grid[-1])]
    return np.unique(values)[:5]


# ---- exercise 1: decision lines ------------------------------------------------------------------

def _perceptron_plots(value, failing):
    from grader.probes import ex01_perceptron as P

    def data():
        return tuple(series(value.get(name), f"train_perceptron on {name}", 3) for name in P.PLOT_Y)

    def draw(fig, *weights):
        grid = np.linspace(-0.5, 1.5, 101)
        g1, g2 = np.meshgrid(grid, grid)
        for i, (name, w) in enumerate(zip(P.PLOT_Y, weights)):
            ax = fig.add_subplot(1, 2, i + 1)
            score = w[0] + w[1] * g1 + w[2] * g2
            ax.contourf(g1, g2, score >= 0, levels=[-0.5, 0.5, 1.5], colors=["#f6dcdc", "#dce6f6"])
            if np.ptp(score) > 0 and score.min() < 0 < score.max():
                ax.contour(g1, g2, score, levels=[0.0], colors=[YOURS])
            y = P.PLOT_Y[name]
            for label, marker in ((1.0, "o"), (-1.0, "x")):
                rows = y == label
                ax.scatter(P.PLOT_X[rows, 0], P.PLOT_X[rows, 1], marker=marker, s=60, color="black")
            ax.set_title(f"{name}: w = {np.array2string(w, precision=2)}", fontsize=9)
            ax.set_xlabel("x1")
            ax.set_ylabel("x2")

    def describe(*weights):
        words = []
        for name, w in zip(P.PLOT_Y, weights):
            predicted = np.where(w[0] + P.PLOT_X @ w[1:] >= 0, 1.0, -1.0)
            words.append(f"{name}: w = [{', '.join(f'{v:.3g}' for v in w)}], "
                         f"{int((predicted == P.PLOT_Y[name]).sum())} of {len(predicted)} points classified correctly.")
        return "Your trained perceptron on " + " On ".join(words)
    yield Plot(f"{P.M}.train_perceptron", "the decision line of your trained perceptron on AND and OR "
               "(blue region: predicted +1; dots: y = +1, crosses: y = -1)", data, draw, describe)


# ---- exercises 2 and 6: loss curves --------------------------------------------------------------

def loss_series(entry, what, size):
    """A loss history; one that explodes (even to inf or nan) is still drawn, on a log scale."""
    return series(entry, what, size, allow_nan=True, max_abs=LOSS_MAX_ABS)


def _loss_axes(fig, histories, labels, xlabel, title):
    ax = fig.add_subplot()
    for history, label, colour, style in zip(histories, labels, LOSS_COLOURS, ("-", "--", ":")):
        ax.plot(np.arange(len(history)), np.where(np.isfinite(history), history, np.nan), lw=1.8, ls=style,
                color=colour, label=label)
    finite = [h[np.isfinite(h)] for h in histories]
    if all((f > 0).all() for f in finite) and any(f.size for f in finite):
        figures.plain_log_scale(ax.yaxis)
    elif max((np.abs(f).max() for f in finite if f.size), default=0.0) > 1e6:
        ax.set_yscale("symlog")  # negative values and a wide range: linear near 0, logarithmic beyond
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    fig.subplots_adjust(left=0.17)  # room for tick labels as wide as 1e+30
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="best")


def _loss_words(histories, labels, unit):
    """Per history: where the loss starts and ends, and whether it falls, grows or overflows."""
    words = []
    for history, label in zip(histories, labels):
        bad = np.flatnonzero(~np.isfinite(history))
        if bad.size:
            words.append(f"{label[:1].upper() + label[1:]}: the loss starts at {history[0]:.3g} and is inf or nan from {unit} {bad[0]} on (it diverges).")
            continue
        trend = "falls" if history[-1] < history[0] else "grows (it diverges)" if history[-1] > 10 * abs(history[0]) else "does not fall"
        words.append(f"{label[:1].upper() + label[1:]}: the loss {trend}, from {history[0]:.3g} to {history[-1]:.3g} after {len(history)} {unit}s.")
    return " ".join(words)


def _descent_plots(value, failing):
    from grader.probes import ex02_gradient_descent as P

    labels = [str(lr) for lr in P.PLOT_RATES]

    def data():
        return tuple(loss_series(value.get(label), f"gradient_descent's losses with lr = {label}", P.PLOT_STEPS) for label in labels)

    def draw(fig, *histories):
        _loss_axes(fig, histories, [f"lr = {label}" for label in labels], "step",
                   "your gradient_descent: the loss before each step")
    yield Plot(f"{P.M}.gradient_descent", "your loss history of gradient descent, for three learning rates", data, draw,
               lambda *histories: "Your gradient_descent. " + _loss_words(histories, [f"with lr = {label}" for label in labels], "step"))


def _sgd_plots(value, failing):
    from grader.probes import ex06_sgd as P

    def data():
        return tuple(loss_series(value.get(name), f"train_mlp's losses ({name})", P.PLOT_EPOCHS) for name in P.PLOT_BATCHES)

    labels = [f"{name} (batch size {b})" for name, b in P.PLOT_BATCHES.items()]

    def draw(fig, *histories):
        _loss_axes(fig, histories, labels, "epoch", "your train_mlp on XOR: GD vs SGD")
    yield Plot(f"{P.M}.train_mlp", "your train_mlp's loss per epoch on XOR, full batch (GD) against one sample per step (SGD)",
               data, draw, lambda *histories: "Your train_mlp on XOR. " + _loss_words(histories, labels, "epoch"))


# ---- exercises 4 and 7: XOR surfaces -------------------------------------------------------------

XOR_POINTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TARGETS = (0, 1, 1, 0)


def _surface_plot(module, function, value, side, what):
    def data():
        return (series(value.get("surface"), what, side * side).reshape(side, side),)

    def draw(fig, surface):
        ax = fig.add_subplot()
        inside = surface.min() >= 0 and surface.max() <= 1
        image = ax.imshow(surface, origin="lower", extent=(0, 1, 0, 1), cmap="coolwarm",
                          vmin=0 if inside else None, vmax=1 if inside else None)
        fig.colorbar(image, ax=ax, shrink=0.8, label="output")
        if surface.min() < 0.5 < surface.max():
            grid = np.linspace(0, 1, side)
            ax.contour(grid, grid, surface, levels=[0.5], colors=["black"], linewidths=1)
        for (x1, x2), target in zip(XOR_POINTS, XOR_TARGETS):
            ax.scatter([x1], [x2], s=90, marker="o" if target else "s", color="white", edgecolors="black", zorder=3)
            ax.annotate(f"XOR = {target}", (x1, x2), textcoords="offset points", xytext=(0, 9), ha="center", fontsize=7)
        ax.set_xlim(-0.12, 1.12)
        ax.set_ylim(-0.12, 1.18)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.set_title(f"{what}\n(black line: output 0.5)", fontsize=9)
    def describe(surface):
        corners = {(x1, x2): surface[-1 if x2 else 0, -1 if x1 else 0] for (x1, x2) in XOR_POINTS.astype(int).tolist()}
        right = sum((corners[(x1, x2)] > 0.5) == bool(t) for (x1, x2), t in zip(XOR_POINTS.astype(int).tolist(), XOR_TARGETS))
        values = ", ".join(f"({x1}, {x2}): {v:.3g}" for (x1, x2), v in corners.items())
        return (f"The output of {what} at the XOR points: {values}; {right} of 4 on the right side of 0.5. "
                f"Over [0, 1]² the output ranges from {surface.min():.3g} to {surface.max():.3g}.")
    return Plot(f"{module}.{function}", f"the output of {what} on [0, 1]², the four XOR points marked", data, draw, describe)


def _mlp_forward_plots(value, failing):
    from grader.probes import ex04_mlp_forward as P

    yield _surface_plot(P.M, "xor_params", value, P.PLOT_SIDE, "mlp_forward(X, xor_params())")


def _torch_plots(value, failing):
    from grader.probes import ex07_torch as P

    yield _surface_plot(P.M, "train_xor", value, P.PLOT_SIDE, "train_xor(seed=0)")


# ---- exercise 5: gradient errors -----------------------------------------------------------------

ERROR_FLOOR = 1e-16  # a zero error drawn at the bottom of the log scale


def _backprop_plots(value, failing):
    from grader.probes import ex05_backprop as P
    from grader.specs.ex05_backprop import PARAMS, _dense_differences, _implied_by_forward
    from grader.specs.judges import GRAD_TOL

    def numeric(function, forward, entry, names, differences):
        if not isinstance(entry, dict) or "error" in entry or not isinstance(entry.get("ok"), dict):
            raise Unplottable(f"{function} raised {entry.get('error')}" if isinstance(entry, dict) and "error" in entry
                              else f"{function}: nothing to plot")
        got, pieces = entry["ok"].get("grads"), entry["ok"].get("pieces")
        if not isinstance(got, dict) or not isinstance(pieces, list):
            raise Unplottable(f"{function} did not return its gradients by name")
        outputs = []
        for piece in pieces:
            if not (isinstance(piece, list) and len(piece) == 2 and piece[0] == "ok"):
                raise Unplottable(f"the numerical gradient needs your {forward}, which failed on the plot's input")
            outputs.append(as_numbers(piece[1], forward))
        try:
            fd = differences(outputs)
        except (ValueError, TypeError) as exc:
            raise Unplottable(f"the numerical gradient needs your {forward}: {exc}") from None
        errors = []
        for name in names:
            try:
                errors.append(_relative_error(as_numbers(got.get(name), f"grad {name}", allow_nan=True), fd[name]))
            except Unplottable:
                errors.append(np.inf)
        return np.array(errors), np.array(GRAD_TOL)

    def draw(fig, errors, tol, names, function):
        ax = fig.add_subplot()
        bad = ~np.isfinite(errors)
        shown = np.where(bad, 1e3, np.maximum(errors, ERROR_FLOOR))
        colors = [MARK if not e <= tol else YOURS for e in errors]
        ax.bar(names, shown, color=colors)
        figures.plain_log_scale(ax.yaxis)
        ax.set_ylim(ERROR_FLOOR / 10, 1e4)
        ax.axhline(float(tol), color="black", ls="--", lw=1, label=f"allowed: {float(tol):g}")
        for i in np.flatnonzero(bad):
            ax.annotate("wrong shape\nor nan", (i, 1e3), ha="center", va="top", fontsize=7, color="white")
        ax.set_ylabel("relative error")
        ax.set_xlabel("tensor")
        ax.set_title(f"{function}: your gradient vs central differences of your forward", fontsize=9)
        ax.legend(fontsize=8, loc="upper left")

    def describe(errors, tol, names, function):
        shown = ", ".join(f"{n} {'wrong shape or nan' if not np.isfinite(e) else f'{e:.1g}'}" for n, e in zip(names, errors))
        off = [n for n, e in zip(names, errors) if not e <= tol]
        return (f"{function}: relative error of your gradient against central differences of your forward, per tensor: "
                f"{shown} (allowed: {float(tol):g}). " + (f"Too far: {', '.join(off)}." if off else "All within the tolerance."))

    dense_names = ("X", "W", "b")
    yield Plot(f"{P.M}.dense_backward", "dense_backward: per tensor, how far your gradient is from the numerical one",
               lambda: (*numeric("dense_backward", "dense_forward (exercise 4)", value.get("dense_backward"), dense_names,
                                 lambda out: _dense_differences(out, P.PLOT_DENSE)), dense_names, "dense_backward"),
               draw, describe)
    yield Plot(f"{P.M}.mlp_backward", "mlp_backward: per tensor, how far your gradient is from the numerical one",
               lambda: (*numeric("mlp_backward", "mlp_forward (exercise 4)", value.get("mlp_backward"), PARAMS,
                                 lambda out: _implied_by_forward(out, P.PLOT_MLP)[1]), PARAMS, "mlp_backward"),
               draw, describe)


def _relative_error(got, numeric):
    from grader.specs.judges import normwise

    return normwise(got, numeric)


PLOTTERS = {
    "ex01_perceptron": _perceptron_plots,
    "ex02_gradient_descent": _descent_plots,
    "ex04_mlp_forward": _mlp_forward_plots,
    "ex05_backprop": _backprop_plots,
    "ex06_sgd": _sgd_plots,
    "ex07_torch": _torch_plots,
}
SIZES = {"ex01_perceptron": (7.0, 3.0)}  # inches; the rest 5 x 3 (a declared plot states its own)
MARGINS = {"left": 0.12, "right": 0.97, "bottom": 0.15, "top": 0.88, "wspace": 0.3}  # a draw may set its own
_CACHE, _CACHE_LOCK = {}, threading.Lock()


def draw_plots(outcomes, failing=None):
    """[{"module", "name", "title", "url"} or {"module", "name", "title", "note"}] from the plot probes'
    outcomes ({module: the child's outcome of its plot probe}) and the failing cases of the graded
    functions ({function: case}, marked on the plots)."""
    from grader.specs import declared_plots

    failing = failing or {}
    declared = declared_plots()
    out = []
    for module in sorted(outcomes):
        outcome = outcomes[module]
        if module not in PLOTTERS and module not in declared:
            continue
        if not isinstance(outcome, dict) or not isinstance(outcome.get("value"), dict):
            why = outcome.get("error") or outcome.get("contract") if isinstance(outcome, dict) else None
            out.append({"module": module, "name": module, "title": module, "note": f"no plots: {why or 'nothing to plot'}"})
            continue
        out += _module_plots(module, declared, outcome["value"], failing)
    return out


def _module_plots(module, declared, value, failing):
    """The module's plots (a spec's declared curves, else its plotter); a plotter that fails on data
    of a shape it did not foresee loses its module's plots only (each plot's own data is checked in _drawn)."""
    try:
        if module in declared:
            plots, size = curve_plots(module, declared[module], value, failing), declared[module].size
        else:
            plots, size = PLOTTERS[module](value, failing), SIZES.get(module, (5.0, 3.0))
        return [_drawn(module, plot, size) for plot in plots]
    except Exception as exc:  # noqa: BLE001 - malformed plot data drops plots, never the grade or the page
        return [{"module": module, "name": module, "title": module, "note": f"no plots: {_malformed(exc)}"}]


def _malformed(exc):
    return f"the plot data has an unexpected shape ({type(exc).__name__})"


def _drawn(module, plot, size=(5.0, 3.0)):
    entry = {"module": module, "name": plot.name, "title": plot.title, "functions": list(plot.shows or (plot.name,))}
    try:
        data = plot.data()
        key = hashlib.blake2b(pack(*encode([plot.name, list(data)])), digest_size=16).digest()
    except Unplottable as exc:
        return {**entry, "note": f"not plotted: {exc}"}
    except Exception as exc:  # noqa: BLE001 - any shape of bad data (empty, nested wrong, wrong types, missing keys)
        return {**entry, "note": f"not plotted: {_malformed(exc)}"}
    try:
        entry["description"] = plot.describe(*data) if plot.describe is not None else plot.title
    except Exception:  # noqa: BLE001 - a value the words cannot state must not cost the plot
        entry["description"] = plot.title
    with _CACHE_LOCK:
        url = _CACHE.get(key)
    if url is None:
        try:
            fig = figures.new_figure(*size)
            fig.subplots_adjust(**MARGINS)  # fixed margins: a tight bounding box would lay the figure out twice
            plot.draw(fig, *data)
            url = figures.data_url(figures.png(fig, tight=False))
        except ImportError as exc:
            return {**entry, "note": f"not plotted: {exc}"}
        except Exception as exc:  # noqa: BLE001 - a plot that matplotlib refuses must not cost the page
            return {**entry, "note": f"not plotted: the values could not be drawn ({type(exc).__name__})"}
        with _CACHE_LOCK:
            if len(_CACHE) >= CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = url
    return {**entry, "url": url}
