"""Folders of the built site that hold more files than a static host deploys."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from generator.messages import Message

# Netlify fails a deploy whose publish folder has a folder of more than 54,000 files (its support's answer:
# https://answers.netlify.com/t/is-there-a-storage-or-file-count-limit-for-business-plan-hosting/118172);
# it sets no limit on the number of files in all.
FOLDER_LIMIT = 54_000


def crowded_folders(paths: Iterable[str], limit: int | None = None) -> list[tuple[str, int]]:
    """The folders (site-relative, "" for the root) that hold more than `limit` (FOLDER_LIMIT) files, with their
    counts."""
    limit = FOLDER_LIMIT if limit is None else limit
    counts = Counter(path.rpartition("/")[0] for path in paths)
    return sorted((folder, n) for folder, n in counts.items() if n > limit)


def crowding_messages(site: str, paths: Iterable[str], limit: int | None = None) -> list[Message]:
    """A warning for each folder of the site at `site` that a deploy to Netlify would fail on."""
    limit = FOLDER_LIMIT if limit is None else limit
    return [Message("crowded-folder", f"{n:,} files in one folder: Netlify fails a deploy with more than "
                    f"{limit:,} files in a folder", f"{site}/{folder}".rstrip("/"))
            for folder, n in crowded_folders(paths, limit)]
