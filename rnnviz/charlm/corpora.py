"""Where training text comes from: embedded, downloaded on demand, or given by the user.

Offline first: ``python-docs`` and ``python-code`` are read from the running Python installation
itself, so the app trains with no network at all. ``shakespeare`` is an optional download,
verified by sha256 and cached per user.
"""

from __future__ import annotations

import hashlib
import os
import sysconfig
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rnnviz.charlm.vocab import VALIDATION_FRACTION
from rnnviz.i18n import Message
from rnnviz.limits import LIMITS

SHAKESPEARE_URL = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"
SHAKESPEARE_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
SHAKESPEARE_FILENAME = "tinyshakespeare.txt"
PYTHON_CODE_MAX_CHARS = 2_000_000

CORPUS_NAMES = ("python-docs", "python-code", "shakespeare", "song-ci", "tang-poems")
POETRY_FILES = {"song-ci": "song_ci.txt", "tang-poems": "tang_300.txt"}  # in rnnviz/charlm/data, bzip2-compressed

ProgressFn = Callable[[int, int], None]


class CorpusError(ValueError):
    """A corpus could not be read or used; the message is meant for the user."""


@dataclass(frozen=True)
class Corpus:
    name: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def __len__(self) -> int:
        return len(self.text)


def cache_dir() -> Path:
    """The per-user cache directory (``RNNVIZ_CACHE_DIR`` overrides it)."""
    override = os.environ.get("RNNVIZ_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("rnnviz"))


def load_corpus(name_or_path: str, progress: ProgressFn | None = None) -> Corpus:
    """Load a corpus by name, or a UTF-8 text file by path."""
    if name_or_path == "python-docs":
        return Corpus("python-docs", python_docs_text())
    if name_or_path == "python-code":
        return Corpus("python-code", python_code_text())
    if name_or_path == "shakespeare":
        return Corpus("shakespeare", shakespeare_text(progress))
    if name_or_path in POETRY_FILES:
        return Corpus(name_or_path, poetry_text(name_or_path))
    path = Path(name_or_path)
    if not path.is_file():
        raise CorpusError(Message("errors.corpus.unknown", name=repr(name_or_path), names=", ".join(CORPUS_NAMES)))
    return Corpus(path.name, decode_user_text(path.read_bytes(), max_bytes=None))


def python_docs_text() -> str:
    """The Python reference's topic texts, in sorted order (about 465 KB on CPython 3.11)."""
    try:
        from pydoc_data.topics import topics
    except ImportError:  # some distributions strip pydoc_data
        topics = None
    if topics:
        return "".join(topics[key] for key in sorted(topics))
    return _builtin_docstrings()


def _builtin_docstrings() -> str:
    """Fallback prose: the docstrings of builtins and a few core modules, always present."""
    import builtins
    import collections
    import functools
    import itertools

    parts = []
    for module in (builtins, collections, functools, itertools):
        for attr in sorted(dir(module)):
            doc = getattr(getattr(module, attr), "__doc__", None)
            if isinstance(doc, str) and len(doc) > 40:
                parts.append(doc.strip() + "\n\n")
    return "".join(parts)


def python_code_text(max_chars: int = PYTHON_CODE_MAX_CHARS) -> str:
    """A deterministic sample of the standard library's ``.py`` sources.

    Top-level modules in name order, tests excluded, whole files only, until ``max_chars``.
    The same interpreter always gives the same text.
    """
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    pieces: list[str] = []
    total = 0
    for path in sorted(stdlib.glob("*.py")):
        if path.name.startswith(("test", "_")):
            continue
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if total + len(source) > max_chars:
            continue
        pieces.append(source)
        total += len(source)
    if not pieces:
        raise CorpusError(f"No standard-library sources were found under {stdlib}.")
    return "".join(pieces)


def poetry_text(name: str) -> str:
    """A Chinese poetry corpus shipped with the package (``scripts/build_poetry_data.py`` rebuilds it), checked
    against its recorded sha256."""
    from importlib.resources import files

    folder = files("rnnviz.charlm") / "data"
    filename = POETRY_FILES[name]
    try:
        compressed = (folder / f"{filename}.bz2").read_bytes()
        sums = dict(line.split()[::-1] for line in (folder / "SHA256SUMS").read_text().splitlines() if line)
        text = _checked_text(compressed, sums.get(filename))
    except (OSError, ValueError) as exc:
        raise CorpusError(Message("errors.corpus.unreadable", name=name, error=exc)) from None
    if text is None:
        raise CorpusError(Message("errors.corpus.sha256", name=name))
    return text


@lru_cache(maxsize=4)
def _checked_text(compressed: bytes, sha256: str | None) -> str | None:
    """The text of a shipped corpus, or None where its sha256 is not the recorded one: decompressed once a process
    for the same bytes (Inspect reads the Song ci model's corpus on every rerun of the page; ``poetry_text("song-ci")``
    takes 0.7 s on 2 cores unkept, 3 ms kept)."""
    import bz2

    data = bz2.decompress(compressed)
    return data.decode("utf-8") if hashlib.sha256(data).hexdigest() == sha256 else None


def shakespeare_path() -> Path:
    return cache_dir() / SHAKESPEARE_FILENAME


def shakespeare_text(progress: ProgressFn | None = None) -> str:
    """Tiny Shakespeare from the cache, downloading and verifying it on first use."""
    path = shakespeare_path()
    if path.is_file():
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() == SHAKESPEARE_SHA256:
            return data.decode("utf-8")
    data = _download(os.environ.get("RNNVIZ_SHAKESPEARE_URL", SHAKESPEARE_URL), progress)
    if hashlib.sha256(data).hexdigest() != SHAKESPEARE_SHA256:
        raise CorpusError(Message("errors.corpus.bad_download", path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return data.decode("utf-8")


def _download(url: str, progress: ProgressFn | None) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            total = int(response.headers.get("Content-Length") or 0)
            chunks, done = [], 0
            while True:
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                chunks.append(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
            return b"".join(chunks)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise CorpusError(
            Message("errors.corpus.offline", error=exc, url=SHAKESPEARE_URL, path=shakespeare_path())
        ) from exc


def decode_user_text(data: bytes, max_bytes: int | None = LIMITS.max_upload_bytes) -> str:
    """Turn an uploaded or pasted text into a corpus string, or explain why not."""
    if not data or not data.strip():
        raise CorpusError(Message("errors.corpus.empty"))
    if max_bytes is not None and len(data) > max_bytes:
        raise CorpusError(Message("errors.corpus.too_big", mb=len(data) / 1e6, cap=max_bytes / 1e6))
    if b"\x00" in data[:8192]:
        raise CorpusError(Message("errors.corpus.binary"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(Message("errors.corpus.not_utf8", byte=exc.start)) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t")
    if controls > 0.01 * min(len(text), 8192) + 1:
        raise CorpusError(Message("errors.corpus.binary"))
    text = text.replace("\r\n", "\n")
    if len(set(text)) < 2:
        raise CorpusError(Message("errors.corpus.one_character"))
    return text


def validation_snippet(text: str, start_fraction: float, length: int) -> str:
    """``length`` characters of the validation part (the last 10%), starting ``start_fraction`` of the way in."""
    val = text[int(len(text) * (1 - VALIDATION_FRACTION)) :]
    start = int(start_fraction * max(0, len(val) - length))
    return val[start : start + length]


def structured_snippet(text: str, length: int = 600, tries: int = 20) -> str:
    """Of ``tries`` evenly spread validation windows, the one richest in quotes, brackets and line breaks: the text
    on which a model's quote, bracket and indentation units show best."""
    windows = [validation_snippet(text, i / tries, length) for i in range(tries)]
    return max(windows, key=lambda window: sum(window.count(ch) for ch in "\"'()[]{}\n"))
