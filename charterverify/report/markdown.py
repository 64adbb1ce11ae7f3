"""Markdown rendering of the report document (jinja2, every inserted value escaped).

The environment's `finalize` escapes the result of every `{{ ... }}`: HTML
special characters become entities (a `<script>` in a series name stays text on
GitHub and in any renderer), Markdown punctuation is backslash-escaped, line
breaks are folded (a value never breaks a table row or starts a list), and `$`
is escaped (no math rendering). Values the template itself builds as Markdown
(links) are passed as `markupsafe.Markup`, which is left as is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

_PUNCT_RE = re.compile(r"([\\`*_{}\[\]|~$!])")
_LINE_START_RE = re.compile(r"^(\d+)([.)])(?=\s|$)|^([#+\-=])(?=\s|$)")


def md_escape(value: Any) -> str:
    """Text as inert inline Markdown."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    from .escape import markdown

    return markdown(value)


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("charterverify.report", "templates"),
        autoescape=False,  # Markdown is not HTML: escaping is md_escape, applied to every expression
        finalize=md_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_markdown(doc: dict[str, Any]) -> str:
    text = _env().get_template("report.md.j2").render(doc=doc, raw=Markup)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.rstrip("\n") + "\n"
