"""Where a model may send the tool to read: the roots a charter text must lie in.

A model's `source.text` (and `--text`) is a path the model's author chose. In CI that author is
whoever opened the pull request, so the path is confined: after resolving symlinks and `..`, it
must lie inside one of the allowed roots, or the run stops (exit 2) naming the path and the flag
that would allow it.

The roots are
- the default root of each model: the git checkout that holds it (the nearest ancestor directory
  with a `.git`), or, outside git, the working directory when the model lies under it, else the
  model's own directory;
- every `--text-root DIR` given on the command line, and every directory in the environment
  variable CHARTERVERIFY_TEXT_ROOT (os.pathsep-separated): both set by whoever writes the CI job,
  never by the files checked.

Nothing under a `.git` directory is ever allowed (a CI checkout keeps its access token in
.git/config).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

ENV_ROOTS = "CHARTERVERIFY_TEXT_ROOT"


class OutsideRoots(ValueError):
    """A path outside every allowed root: the message is one line for the user."""


def _resolve(p: Path) -> Path:
    return Path(os.path.realpath(p))


def default_root(model_path: str | Path, cwd: str | Path | None = None) -> Path:
    """The git top-level holding the model, else the working directory if it holds the model,
    else the model's directory (all resolved after symlinks). The model's directory is where the
    model was found (a symlinked model file does not move the root to wherever it points)."""
    model_dir = _resolve(Path(os.path.abspath(model_path)).parent)
    for d in (model_dir, *model_dir.parents):
        if (d / ".git").exists():
            return d
    here = _resolve(Path(cwd) if cwd is not None else Path.cwd())
    if model_dir == here or here in model_dir.parents:
        return here
    return model_dir


def extra_roots(flag_roots: Iterable[str] = (), environ: dict | None = None) -> list[Path]:
    """The roots given by --text-root and CHARTERVERIFY_TEXT_ROOT, resolved."""
    env = os.environ if environ is None else environ
    given = list(flag_roots) + [r for r in env.get(ENV_ROOTS, "").split(os.pathsep) if r.strip()]
    return [_resolve(Path(r)) for r in given]


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def confine(path: str | Path, roots: Sequence[Path], what: str) -> Path:
    """`path` resolved, if it lies inside one of `roots` (and not under a .git directory);
    otherwise OutsideRoots naming the path, `what` it is (e.g. "source.text of charters/a.toml")
    and the flag that allows it."""
    real = _resolve(Path(path))
    ok = [r for r in roots if _inside(real, r)]
    if ok and not any(part == ".git" for part in real.relative_to(max(ok, key=lambda r: len(r.parts))).parts):
        return real
    if ok:
        raise OutsideRoots(f"{path} ({what}) lies inside a .git directory, which a charter text may never name")
    shown_roots = ", ".join(str(r) for r in roots) or "none"
    raise OutsideRoots(f"{path} ({what}) resolves to {real}, outside the directories a charter text may be read "
                       f"from ({shown_roots}); if it is trusted, allow its directory with --text-root DIR")
