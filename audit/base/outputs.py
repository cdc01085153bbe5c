"""Writing an output set (``report``, ``demo``, ``compare``, ``whatif``) safely into ``--out``.

A production folder may come from a stranger, and ``out/`` with it. So (docs/security.md):

- ``--out`` is refused when it is a link leading out of the production folder, or when it lies
  under the folder's ``logs/``, ``timeline/`` or ``rights/`` (the next run would read its own
  outputs as inputs);
- a lock beside ``out`` (``.<out>.empreinte-lock``, :func:`fcntl.flock`, released by the
  system if the process dies) makes a second run into the same ``--out`` refuse with one line;
- every file is first written into a fresh private folder beside ``out``
  (``.<out>.staging-*``), then moved into place with :func:`os.replace`, which replaces a planted
  link by our file and never writes through it; the moves are done with SIGINT and SIGTERM held
  back, so an interrupted run leaves the previous output set whole, and a finished one leaves the
  new set whole;
- the lock file also lists the names the last run wrote: files of the previous set that this run
  did not write again (say ``report.en.pdf``) are removed, so no set is ever mixed.

``out`` itself holds only the outputs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from audit.base.errors import ConfigError, InputError, RenderError

LOCK_SUFFIX = ".empreinte-lock"
STAGING_SUFFIX = ".staging-"
#: Folders of a production that are inputs: no output goes under them.
INPUT_FOLDERS = ("logs", "timeline", "rights")


def check_out(out: Path, folder: Path | None) -> None:
    """Refuse an ``--out`` that is a link leading out of ``folder``, lies under one of its input
    folders, or exists and is not a folder."""
    if out.is_symlink():
        target = out.resolve()
        if folder is None or not target.is_relative_to(folder.resolve()):
            raise ConfigError(
                "output folder is a link leading elsewhere; pass the real folder",
                field="--out",
                value=str(out),
            )
    if out.exists() and not out.is_dir():
        raise ConfigError("output path exists and is not a folder", field="--out", value=str(out))
    if folder is None:
        return
    resolved = out.resolve()
    for name in INPUT_FOLDERS:
        inputs = (folder / name).resolve()
        if resolved == inputs or resolved.is_relative_to(inputs):
            raise ConfigError(
                f"output folder inside the production's {name}/ (it would be read as input)",
                field="--out",
                value=str(out),
            )


class OutputSet:
    """``with OutputSet(out, folder) as outputs:`` write with :meth:`path` / :meth:`write`,
    then :meth:`commit`; leaving the block without committing leaves ``out`` as it was."""

    def __init__(self, out: Path, folder: Path | None = None) -> None:
        check_out(out, folder)
        self.out = out
        self._names: list[str] = []
        self._lock: int | None = None
        self._previous: list[str] = []
        self.staging: Path | None = None  # made by __enter__
        self._created = False
        self._committed = False

    def __enter__(self) -> OutputSet:
        """Lock ``out`` and make the staging folder. Ctrl-C or an error on the way leaves
        nothing behind: the folder is made with signals held, and undone here on any exception
        (a ``with`` statement does not call :meth:`__exit__` when this raises)."""
        try:
            return self._entered()
        except BaseException:
            self.__exit__()
            raise

    def _entered(self) -> OutputSet:
        self._created = not self.out.exists()
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RenderError(f"cannot create {self.out}: {exc.strerror}") from exc
        real = self.out.resolve()
        self._lock = _lock(lock_path(self.out))
        self._previous = _manifest(self._lock)
        for old in real.parent.glob(f".{real.name}{STAGING_SUFFIX}*"):  # left by a killed run
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
        prefix = f".{real.name}{STAGING_SUFFIX}"
        with _signals_held():  # made and known together
            self.staging = Path(tempfile.mkdtemp(prefix=prefix, dir=real.parent))
        return self

    def __exit__(self, *exc: object) -> None:
        """Remove the staging folder (and ``out`` if made for nothing), release the lock; once
        only, however often called."""
        if self.staging is not None:  # None: never made, or already removed
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._created and not self._committed:  # left as it was: no empty folder made
            with contextlib.suppress(OSError):
                self.out.rmdir()
        if self._lock is not None:
            os.close(self._lock)  # releases the flock
            self._lock = None

    def path(self, name: str) -> Path:
        """Where to write the output ``name`` (a plain file name) before it is committed."""
        if not name or "/" in name or name.startswith("."):
            raise RenderError(f"not an output file name: {name!r}")
        if name not in self._names:
            self._names.append(name)
        if self.staging is None:
            raise RenderError("the output set is not open")
        return self.staging / name

    def write(self, name: str, data: bytes) -> None:
        """Stage ``data`` as the output ``name`` (moved into place by :meth:`commit`)."""
        self.path(name).write_bytes(data)

    def commit(self) -> list[Path]:
        """Move every staged file into ``out`` (signals held back meanwhile); the paths."""
        for name in self._names:
            target = self.out / name
            if target.is_dir() and not target.is_symlink():
                raise InputError("a folder stands where an output goes; remove it", file=target)
        assert self._lock is not None
        assert self.staging is not None
        with _signals_held():
            for name in self._names:
                os.replace(self.staging / name, self.out / name)
            for stale in sorted(set(self._previous) - set(self._names)):
                with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                    (self.out / stale).unlink()  # a link is removed, never followed
            listing = "".join(f"{n}\n" for n in sorted(self._names)).encode("utf-8")
            os.ftruncate(self._lock, 0)
            os.pwrite(self._lock, listing, 0)
        self._committed = True
        return sorted(self.out / name for name in self._names)


def lock_path(out: Path) -> Path:
    """The lock of ``out``: a hidden file beside it, which also lists the last set written."""
    real = out.resolve()
    return real.parent / f".{real.name}{LOCK_SUFFIX}"


def write_file(path: Path, data: bytes, folder: Path | None = None) -> None:
    """Write one output file (``export --out``) the same way: never under ``folder``'s input
    folders, written beside its place then moved there (a planted link is replaced, not
    followed)."""
    check_out(path.parent, folder)
    if path.is_dir() and not path.is_symlink():
        raise ConfigError("output path is a folder", field="--out", value=str(path))
    staged = None
    try:
        fd, staged = tempfile.mkstemp(prefix=f".{path.name}{STAGING_SUFFIX}", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(staged, path)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror}") from exc
    finally:
        if staged is not None and os.path.lexists(staged):
            os.unlink(staged)


def _lock(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        reason = "is a link" if exc.errno == errno.ELOOP else exc.strerror
        raise InputError(f"cannot take the output lock: {reason}", file=path) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError("cannot take the output lock: not a regular file", file=path)
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise InputError(
            "another empreinte run is writing into this folder; wait for it, or choose another "
            "--out",
            file=path.parent,
        ) from None
    return fd


def _manifest(lock: int) -> list[str]:
    """File names the previous run wrote (plain names only; anything else is ignored)."""
    text = os.pread(lock, 65536, 0).decode("utf-8", errors="replace")
    return [n for n in text.splitlines() if n and "/" not in n and not n.startswith(".")]


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (then act as they would have)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    saved = {sig: signal.signal(sig, hold) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        for signum in caught:
            signal.raise_signal(signum)
