"""``pip install .`` ships every module and the pretrained checkpoints (the wheel is what an install unpacks).

The full check, a fresh venv and ``python -m rnnviz --help`` from outside the checkout, is in the README's
"As a package"; building the wheel is the part that can go wrong silently (a folder left out of the packages).
"""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from helpers import ROOT

from rnnviz.i18n import LANGUAGES


def source_outside_the_checkout(folder: Path) -> Path:
    """What the wheel is built from, in a folder of its own: setuptools writes build/ and rnnviz.egg-info beside
    pyproject.toml, and a build/ left in the checkout would go into the next wheel with whatever it still holds (a
    module deleted since). The project's files are linked, not copied: the same files, without 50 MB of copies."""
    folder.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, folder / name)
    for name in ("rnnviz", "pretrained"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    return folder


def test_the_wheel_holds_every_module_and_the_pretrained_files(tmp_path):
    # built with the venv's setuptools (pinned in requirements-dev.txt; pip checks it meets pyproject's
    # build-system): an isolated build installs setuptools into a fresh environment first, 12.5 s against 6.3 s
    # on 2 cores (``pip wheel --no-deps -w DIR .``, then with ``--no-build-isolation``), for the same files
    source = source_outside_the_checkout(tmp_path / "source")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(tmp_path)]
        + [str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = tmp_path.glob("rnnviz-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "rnnviz").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    assert {n for n in names if n.endswith(".py")} <= modules  # nothing stale: no module the checkout lacks
    data = {name.rsplit("/", 1)[-1] for name in names if "/data/share/rnnviz/pretrained/" in name}
    shipped = {p.name for p in (ROOT / "pretrained").iterdir() if p.suffix in (".safetensors", ".md", ".sh")}
    assert shipped and shipped <= data, sorted(shipped - data)
    sentiment = {
        f"rnnviz/classify/data/{name}" for name in ("movie_sentences.tsv", "SHA256SUMS", "LICENSE-vaderSentiment.txt")
    }
    assert sentiment <= names, sorted(sentiment - names)
    shipped_data = {
        "rnnviz/charlm/data/song_ci.txt.bz2",
        "rnnviz/charlm/data/SHA256SUMS",
        *(f"rnnviz/locales/{language}.toml" for language in LANGUAGES),
        "rnnviz/locales/glossary.toml",
        *(f"rnnviz/lessons/content/{p.name}" for p in (ROOT / "rnnviz" / "lessons" / "content").glob("*.toml")),
    }
    assert shipped_data <= names, sorted(shipped_data - names)
    metadata = next(n for n in names if n.endswith("METADATA"))
    requires = [line for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines() if "Requires-Dist" in line]
    assert any("torch" in line for line in requires) and any("streamlit" in line for line in requires)
