"""What a build killed outright (SIGKILL, a crash of the machine) leaves behind: its staging folder, the old
site it was swapping out, its text store. Each is named by the build's process id, and the next build removes
those whose process is gone (a build interrupted any gentler way cleans up after itself)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def process_gone(pid: int) -> bool:
    """True when no process has this id (one that exists but is not ours counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def sweep(folder: Path, prefix: str, suffix: str = "") -> list[Path]:
    """Remove the files and folders named `prefix` + process id + `suffix` in `folder` whose process is gone;
    returns what was removed."""
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        pid = name[len(prefix) : len(name) - len(suffix)]
        if not pid.isdigit() or int(pid) == os.getpid() or not process_gone(int(pid)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed
