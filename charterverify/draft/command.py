"""`verify --draft TEXT [-o MODEL.toml] [--force] [--captable FILE] [--format json]`.

Writes the drafted model (stdout without -o), then the review items on stderr (and in
the JSON).  Exit 0 when the draft loads as a model, 1 when it cannot be a complete model
(the reason is printed), 2 on bad input (one line, as everywhere in the CLI)."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path


class DraftUsageError(Exception):
    pass


def _captable_common(path: str) -> int:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise DraftUsageError(f"--captable {path}: cannot read ({getattr(e, 'strerror', None) or e})") from None
    except tomllib.TOMLDecodeError as e:
        raise DraftUsageError(f"--captable {path}: not TOML ({e})") from None
    ct = data.get("captable", data)
    v = ct.get("common_outstanding") if isinstance(ct, dict) else None
    if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
        raise DraftUsageError(f"--captable {path}: needs common_outstanding = a positive whole number of shares")
    return v


def run_draft(text_path: str, output: str | None, force: bool, captable: str | None, fmt: str, out=None) -> int:
    from . import draft_document
    from .facts import fmt_value
    from .write import write_model

    out = out or sys.stdout
    common = _captable_common(captable) if captable else None
    if output is not None:
        op = Path(output)
        if op.exists() and not force:
            raise DraftUsageError(f"{output}: exists (use --force to overwrite)")
        if op.is_dir():
            raise DraftUsageError(f"{output}: is a directory")
        out_dir = op.parent if str(op.parent) else Path(".")
    else:
        out_dir = Path(".")
    draft = draft_document(text_path)
    text, reviews, incomplete = write_model(draft, text_path, out_dir, common)
    loads_error = None  # write_model has tried to load it
    if incomplete or loads_error:
        text = ("# INCOMPLETE: this draft is not a complete model: "
                + "; ".join(incomplete + ([loads_error] if loads_error else [])) + "\n") + text
    if output is not None:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as e:
            raise DraftUsageError(f"{output}: cannot write ({e.strerror})") from None
    if fmt == "json":
        body = {
            "text": text_path,
            "model": output,
            "complete": not incomplete and loads_error is None,
            "incomplete": incomplete + ([loads_error] if loads_error else []),
            "review": reviews,
            "facts": [{"key": f.key, "value": fmt_value(f.value), "source": f.source, "line": f.line,
                       "quote": f.quote, "review": f.review, "note": f.note,
                       "also": [{"source": s, "line": n} for s, n in f.also]} for f in draft.facts],
        }
        if output is None:
            body["toml"] = text
        out.write(json.dumps(body, indent=2) + "\n")
    elif output is None:
        out.write(text)
    if reviews:
        print(f"verify: {len(reviews)} review item(s) in the draft of {text_path}:", file=sys.stderr)
        for r in reviews:
            print(f"  REVIEW: {r}", file=sys.stderr)
    if incomplete or loads_error:
        print("verify: the draft is not a complete model: "
              + "; ".join(incomplete + ([loads_error] if loads_error else [])), file=sys.stderr)
        return 1
    return 0
