"""The console every text renderer draws on: the terminal's width (COLUMNS) and a markup-free rich
console writing to a buffer. A leaf module: the renderers share it without importing each other."""

from __future__ import annotations

import io
import shutil

from rich.console import Console


def terminal_width(default: int = 100) -> int:
    """COLUMNS when set, else the terminal's width, else `default`; at least 40."""
    return max(40, shutil.get_terminal_size((default, 24)).columns)


def console(width: int | None = None) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    con = Console(file=buf, width=width or terminal_width(), force_terminal=False, color_system=None,
                  highlight=False, emoji=False, markup=False, soft_wrap=False)
    return con, buf
