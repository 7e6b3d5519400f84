"""Plots as inline images: matplotlib figures drawn in memory (Agg, no display) and embedded as data:
URLs, so a page with plots is one self-contained file. Shared by the class report and the students'
feedback pages.

Figures are made without pyplot (whose global state is not safe across the grader's lane threads),
and drawn one at a time under a lock.
"""
import base64
import html
import io
import threading

DPI = 80
_DRAWING = threading.Lock()


def new_figure(width, height):
    """An empty matplotlib Figure of width x height inches, with its Agg canvas (ImportError without matplotlib)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def png(fig, dpi=DPI, tight=True):
    """The figure as PNG bytes (no timestamp or version in the file: the same plot, the same bytes).
    tight=False skips the second layout pass of a tight bounding box (for figures whose margins are set)."""
    buffer = io.BytesIO()
    with _DRAWING:
        fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight" if tight else None, metadata={"Software": None})
    return buffer.getvalue()


def plain_log_scale(axis):
    """A log scale labelled 1e-06 rather than in mathtext, which costs most of a small plot's drawing."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    axis.axes.set_yscale("log") if axis is axis.axes.yaxis else axis.axes.set_xscale("log")
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0e}"))
    axis.set_minor_formatter(NullFormatter())


def data_url(png_bytes):
    return "data:image/png;base64," + base64.b64encode(png_bytes).decode("ascii")


def img_tag(url, alt):
    """A <figure> holding an inline image (url: a data: URL)."""
    return f'<figure><img alt="{html.escape(alt)}" src="{url}"></figure>'
