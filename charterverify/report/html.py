"""HTML rendering of the report document: one self-contained page.

jinja2 with autoescape on: every model string is escaped. The page carries its CSS
inline and the charts as inline SVG (generated here, not from model text: chart
labels are series ids, and matplotlib escapes text it writes). It loads nothing:
no scripts, no external CSS, fonts or images, and a Content-Security-Policy that
forbids them all, so it opens from disk with no network.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re

import jinja2
from markupsafe import Markup, escape

from .charts import Chart, inline_svg


_EXACT_RE = re.compile(r" ?\(exact ([0-9./ ×E+−-]+)\)")


def exacts(value) -> Markup:
    """Escape, then set each '(exact p/q)' apart as a small muted line that may wrap."""
    text = str(escape(value))
    return Markup(_EXACT_RE.sub(lambda m: f' <span class="exact">= {m.group(1)}</span>', text))


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("charterverify.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["x"] = exacts
    return env


def render_html(doc: dict[str, Any], chart_list: list[Chart]) -> str:
    svgs = {c.key: Markup(inline_svg(c.svg, f"{c.key}-")) for c in chart_list}
    return _env().get_template("report.html.j2").render(doc=doc, svgs=svgs)
