"""Atomic writes: a file or a folder of outputs appears complete or not at all.

A file is written to a temporary sibling and moved into place with :func:`os.replace`. A
folder is built in a temporary sibling directory and renamed into place when every file in it
is written; an existing folder is swapped out only at that moment. A crash or an exception
leaves the old output (or nothing) behind, never a half-written plan.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temp_sibling(path: Path, *, directory: bool) -> Path:
    """A private temporary sibling, given the permissions a plain open() would have given.

    mkstemp/mkdtemp create 0600/0700 entries; outputs are meant to be shared like any file
    the user writes, so the usual umask applies once the entry exists.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{path.name}."
    if directory:
        made = Path(tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=path.parent))
        made.chmod(0o777 & ~_umask())
        return made
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    os.close(fd)
    Path(name).chmod(0o666 & ~_umask())
    return Path(name)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary file path beside ``path``; move it onto ``path`` on success.

    Use this for writers that insist on opening the file themselves (e.g. openpyxl).
    """
    target = Path(path)
    temp = _temp_sibling(target, directory=False)
    try:
        yield temp
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (flushed to disk before the rename)."""
    with atomic_path(path) as temp, temp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically."""
    write_bytes(path, text.encode(encoding))


def check_replaceable(path: str | os.PathLike[str], names: Collection[str]) -> None:
    """Raise unless ``path`` is absent or a folder holding only files named in ``names``.

    Guards against replacing a folder of someone else's files with a folder of outputs.
    """
    target = Path(path)
    if not target.exists():
        return
    if not target.is_dir():
        raise NotADirectoryError(f"{target} exists and is not a folder")
    foreign = sorted(p.name for p in target.iterdir() if p.name not in names)
    if foreign:
        raise FileExistsError(
            f"{target} holds other files ({', '.join(foreign[:5])}); choose an empty folder"
        )


@contextlib.contextmanager
def staged_dir(
    path: str | os.PathLike[str], *, replaceable: Collection[str] | None = None
) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``path``; rename it to ``path`` on success.

    If ``path`` already exists it is replaced only after the new folder is complete, and only
    if it holds nothing but files named in ``replaceable`` (any files when None). On an
    exception the temporary folder is removed and ``path`` is left untouched.
    """
    target = Path(path)
    if replaceable is not None:
        check_replaceable(target, replaceable)
    elif target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} exists and is not a folder")
    temp = _temp_sibling(target, directory=True)
    try:
        yield temp
        if target.exists():
            old = _temp_sibling(target, directory=True)
            os.rmdir(old)
            os.rename(target, old)
            os.rename(temp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(temp, target)
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
