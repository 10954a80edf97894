"""Rebuild the Chinese poetry corpora from the npm package chinese-poetry 2.0.1 and check their sha256.

    python scripts/build_poetry_data.py                 # npm pack the package, rebuild, check
    python scripts/build_poetry_data.py --tarball chinese-poetry-2.0.1.tgz
    python scripts/build_poetry_data.py --check         # rebuild in memory, compare with the committed files

The package (MIT; the poems themselves are public domain) carries the Song ci as ``dist/songci/ci.song.N.json``
(N = 0, 1000, ..., 21000: 21,050 ci in simplified characters) and the Three Hundred Tang Poems as
``dist/quantangshi/唐诗三百首.json`` (traditional characters, converted here with snownlp's table). Kept: every poem
whose lines use only CJK ideographs and Chinese punctuation and whose title has no missing character (a poem with
a missing character, written as a box, or a garbled one is left out). Written, bzip2-compressed into
``rnnviz/charlm/data/``: one poem a block, its title (the ci's tune name) on the first line, then one line per line of
the poem, a blank line between poems. ``SHA256SUMS`` there records what the uncompressed texts must hash to.
"""

from __future__ import annotations

import argparse
import bz2
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import sha256sums  # scripts/sha256sums.py, beside this script

DATA = Path(__file__).resolve().parents[1] / "rnnviz" / "charlm" / "data"
PACKAGE = "chinese-poetry@2.0.1"
TARBALL_SHA256 = "25b549e46919c3a0569db6b68ddc96956b04a484ea4518ad2bbd4f137e307e86"
SONG_CI = re.compile(r"package/dist/songci/ci\.song\.(\d+)\.json")
TANG_300 = "package/dist/quantangshi/唐诗三百首.json"
PUNCTUATION = set("，。、？！；：“”‘’《》")
OUTPUTS = {"song_ci.txt": "Song ci", "tang_300.txt": "Three Hundred Tang Poems"}


def pack(folder: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", str(folder)], check=True)
    return next(folder.glob("chinese-poetry-2.0.1.tgz"))


def clean(lines: list[str]) -> bool:
    text = "".join(lines)
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" or ch in PUNCTUATION for ch in text)


def block(title: str, lines: list[str]) -> str:
    return title.strip() + "\n" + "\n".join(line.strip() for line in lines) + "\n"


def build(tarball: Path) -> dict[str, str]:
    from snownlp import SnowNLP  # traditional to simplified, with the table snownlp ships

    with tarfile.open(tarball) as archive:
        members = {m.name: m for m in archive.getmembers()}
        ci_files = sorted((int(m.group(1)), name) for name in members if (m := SONG_CI.fullmatch(name)))
        ci = [poem for _, name in ci_files for poem in json.load(archive.extractfile(members[name]))]
        tang = json.load(archive.extractfile(members[TANG_300]))
    song_ci = [block(p["rhythmic"], p["paragraphs"]) for p in ci if clean(p["paragraphs"]) and "□" not in p["rhythmic"]]
    tang_300 = []
    for poem in tang:
        lines = [SnowNLP(line).han for line in poem["paragraphs"]]
        if clean(lines) and "□" not in poem["title"]:
            tang_300.append(block(SnowNLP(poem["title"]).han, lines))
    print(f"Song ci: {len(song_ci):,} of {len(ci):,} kept; Tang: {len(tang_300):,} of {len(tang):,} kept")
    return {"song_ci.txt": "\n".join(song_ci), "tang_300.txt": "\n".join(tang_300)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tarball", type=Path, default=None)
    sha256sums.add_options(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tarball = args.tarball or pack(Path(folder))
        found = sha256sums.digest(tarball.read_bytes())
        if found != TARBALL_SHA256:
            print(f"{tarball} has sha256 {found}, not {PACKAGE}'s {TARBALL_SHA256}", file=sys.stderr)
            return 1
        built = build(tarball)
    sums = {name: sha256sums.digest(text.encode("utf-8")) for name, text in built.items()}
    bad = sha256sums.check(DATA, sums, args.record)
    for name, text in built.items():
        packed = bz2.compress(text.encode("utf-8"), 9)
        size = f"{len(text):,} characters, {len(packed):,} bytes compressed"
        print(f"{OUTPUTS[name]}: {size}, sha256 {sums[name][:16]}...")
        if not args.check and name not in bad:
            (DATA / f"{name}.bz2").write_bytes(packed)
    return sha256sums.report(DATA, bad, wrote=not args.check)


if __name__ == "__main__":
    raise SystemExit(main())
