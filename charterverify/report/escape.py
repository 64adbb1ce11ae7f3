"""Escaping of user-controlled strings, one function per output kind.

Everything that comes from the user's files (model strings, file names, charter text quoted in a
finding) is untrusted: in CI a pull request controls all of it. Each renderer wraps every such
value at the point of output with the function for its output kind:

- `terminal(s)`: plain text on a terminal or in a file. Control characters (C0, DEL, C1), line and
  paragraph separators and the bidirectional overrides are written as escapes (`\\x1b`, `\\n`,
  `\\u202e`), so a value stays on its line and cannot move the cursor, retitle or clear the
  terminal (ESC/OSC/CSI sequences), or reorder what is shown.
- `rich(s)`: `terminal`, inside the `rich` markup of the text tables (no `[style]` or `[link]`).
- `ci_log(s)`: text printed on a CI log (every format written to stdout may end up there).
  `terminal`, plus workflow-command syntax neutralised: `::` (GitHub Actions), `##[` (GitHub's
  legacy form) and `##vso[` (Azure Pipelines) get their second character escaped, so no value
  can start or embed a command, even when it is printed at the start of a line.
- `workflow_data(s)` / `workflow_property(s)`: a GitHub workflow command's message / property
  value (`ci_log`, then the toolkit's percent escapes; a property also escapes `:` and `,`).
- `markdown(s)`: inline Markdown (tables, step summaries, diffs, reports): inert in CommonMark,
  GitHub-flavoured Markdown and HTML: tags and entities escaped (`&lt;script&gt;`), Markdown
  punctuation backslash-escaped (no links, images, emphasis, code, table cells), line breaks
  folded, and autolink triggers (`://`, `www.`, `@`) broken with a zero-width joiner so no
  renderer makes a link of them.
- `html(s)`: text in HTML (element content and quoted attributes).
- `xml(s)`: text for XML 1.0 (JUnit) and SARIF: `ci_log` but tab/LF/CR kept, so every character
  XML 1.0 forbids (other C0 controls, U+FFFE, U+FFFF, lone surrogates) is written as an escape.
  The XML serializer still escapes `<`, `&`, quotes itself (and a line that would start a
  command is caught by `guard_stream_text` on stdout).

Each function returns `str` and accepts any value (None is "").
"""

from __future__ import annotations

import html as _html
import re
from typing import Any

__all__ = ["terminal", "rich", "ci_log", "workflow_data", "workflow_property", "markdown", "html", "xml",
           "guard_stream_text"]

# Characters never shown raw: C0 controls, DEL, C1 controls, line/paragraph separators,
# bidirectional embeddings/overrides/isolates, byte-order mark / zero-width no-break space.
_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff"
                        "\ufffe\uffff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _esc_char(m: re.Match) -> str:
    ch = m.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    o = ord(ch)
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def terminal(value: Any) -> str:
    """One line of plain text: every control or direction-changing character as an escape."""
    return _UNSAFE_RE.sub(_esc_char, _s(value))


# `::` anywhere (GitHub: a command is `::name ...::` at a line's start, after optional spaces),
# `##[` (GitHub's legacy commands) and `##vso[` (Azure Pipelines logging commands).
_COMMAND_RE = re.compile(r":(?=:)|#(?=#\[)|#(?=#vso\[)", re.IGNORECASE)


def _neutralise_commands(s: str) -> str:
    return _COMMAND_RE.sub(lambda m: "\\x3a" if m.group(0) == ":" else "\\x23", s)


def ci_log(value: Any) -> str:
    """Text for a CI log: `terminal`, and no workflow command can be formed from it."""
    return _neutralise_commands(terminal(value))


def workflow_data(value: Any) -> str:
    """A GitHub workflow command's message (after the second `::`)."""
    # line breaks are kept as the toolkit's %0D/%0A (GitHub shows a multi-line annotation);
    # everything else unsafe becomes a visible escape first
    parts = re.split(r"([\r\n])", _s(value))
    s = "".join(p if p in ("\r", "\n") else ci_log(p) for p in parts)
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(value: Any) -> str:
    """A GitHub workflow command's property value (file=, title=): also `:` and `,` escaped."""
    return workflow_data(value).replace(":", "%3A").replace(",", "%2C")


_MD_PUNCT_RE = re.compile(r"([\\`*_{}\[\]|~$!])")
# what starts a block at the start of a line: an ordered list item ("1. ", "1)"), a heading
# ("#", "##x" is harmless but escaped alike), a setext underline ("="), a bullet ("- ", "+ ")
# or a thematic break ("---", "- - -")
_MD_LINE_START_RE = re.compile(r"^(\d+)([.)])(?=\s|$)|^([#=])|^([+\-])(?=\s|$|[\s+\-]*$)")
_ZWJ = "\u2060"  # WORD JOINER: invisible; breaks scheme://, www. and user@host autolink recognition


def markdown(value: Any) -> str:
    """Inline Markdown that renders as exactly the text and nothing active."""
    s = " ".join(terminal(_s(value).replace("\t", " ")).split())
    s = s.replace("://", ":" + _ZWJ + "//").replace("@", "@" + _ZWJ)
    s = re.sub(r"(?i)(www)\.", lambda m: m.group(1) + _ZWJ + ".", s)
    # HTML first (a `&` that is not ours: no entity, no tag, no <autolink>), then the Markdown
    # punctuation that can start something (emphasis, code, links and images, table cells,
    # strikethrough, math), then what would start a block at the start of a line (heading,
    # list item, setext underline)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_PUNCT_RE.sub(r"\\\1", s)
    return _MD_LINE_START_RE.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1)
                                 else f"\\{m.group(3) or m.group(4)}", s, count=1)


def rich(value: Any) -> str:
    """Terminal text inside `rich` markup (the text tables): `terminal`, and `[` escaped so a
    value cannot open or close a style or a hyperlink (`[link=...]`, a stray `[/bold]`)."""
    from rich.markup import escape as _rich_escape

    return _rich_escape(terminal(value))


def html(value: Any) -> str:
    """Text in HTML element content or a quoted attribute."""
    return _html.escape(terminal(value), quote=True)


def xml(value: Any) -> str:
    """Text for XML 1.0 and SARIF: no character XML 1.0 forbids, no control sequence, no command.
    Tab, line feed and carriage return are valid XML and kept (a multi-line message stays so)."""
    parts = re.split(r"([\t\n\r])", _s(value))
    return "".join(p if p in ("\t", "\n", "\r") else ci_log(p) for p in parts)


_LINE_CMD_RE = re.compile(r"^(\s*):(?=:)|##(?=\[|vso\[)", re.IGNORECASE | re.MULTILINE)
_RAW_UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                            "\ud800-\udfff]")


def _json_char(m: re.Match) -> str:
    return f"\\u{ord(m.group(0)):04x}"


def guard_stream_text(text: str, *, allowed_commands: frozenset[str] | set[str] = frozenset(),
                      json: bool = False) -> str:
    """A backstop for a whole output: control characters (but tab and newline) as escapes, and no
    line that starts a workflow command, except the lines in `allowed_commands` (the github
    format's own annotations, exactly as rendered). With `json` (the output is JSON text) the
    escapes are JSON's own (\\u001b, \\u0023), so the document stays valid and means the same.
    Renderers escape their values already; this catches what one missed."""
    sub = _json_char if json else _esc_char
    colon, hash_ = ("\\u003a", "\\u0023") if json else ("\\x3a", "\\x23")
    text = _RAW_UNSAFE_RE.sub(sub, text)

    def line(ln: str) -> str:
        if ln in allowed_commands:
            return ln
        return _LINE_CMD_RE.sub(lambda m: (m.group(1) or "") + colon if m.group(0).endswith(":") else "#" + hash_, ln)

    if not allowed_commands:
        return line(text)  # the pattern is multi-line: one pass over the whole text
    return "".join(line(ln) for ln in text.splitlines(keepends=True))
