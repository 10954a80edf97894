"""Rebuild the Classify lab's sentiment sets from vaderSentiment 3.3.2's source archive and check their sha256.

    python scripts/build_sentiment_data.py            # download the archive with pip, rebuild, check
    python scripts/build_sentiment_data.py --archive vaderSentiment-3.3.2.tar.gz
    python scripts/build_sentiment_data.py --check    # rebuild in memory, compare with the committed files

The archive carries ``additional_resources/hutto_ICWSM_2014.tar.gz`` (Hutto & Gilbert, ICWSM 2014, MIT licence):
sentences scored -4..+4 as the mean of at least 20 human raters. Kept: score >= +0.5 (positive) or <= -0.5
(negative); the rest (mild or mixed) is left out. Written: one TSV per set, ``score<TAB>label<TAB>text``, in the
archive's order, into ``rnnviz/classify/data/``; ``SHA256SUMS`` there records what they must hash to.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import sha256sums  # scripts/sha256sums.py, beside this script

DATA = Path(__file__).resolve().parents[1] / "rnnviz" / "classify" / "data"
SETS = {  # output file -> the ground-truth file inside hutto_ICWSM_2014.tar.gz
    "movie_sentences.tsv": "hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt",
    "amazon_sentences.tsv": "hutto_ICWSM_2014/amazonReviewSnippets_GroundTruth.txt",
    "tweets.tsv": "hutto_ICWSM_2014/tweets_GroundTruth.txt",
}
THRESHOLD = 0.5


def download_archive(folder: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            "vaderSentiment==3.3.2",
            "-d",
            str(folder),
        ],
        check=True,
    )
    return next(folder.glob("vaderSentiment-3.3.2.tar.gz"))


def inner_archive(outer: Path) -> tarfile.TarFile:
    with tarfile.open(outer) as sdist:
        member = next(m for m in sdist.getmembers() if m.name.endswith("additional_resources/hutto_ICWSM_2014.tar.gz"))
        payload = sdist.extractfile(member).read()
    return tarfile.open(fileobj=io.BytesIO(payload))


def derive(raw: str) -> str:
    """The kept rows of one ground-truth file (``id<TAB>score<TAB>text``) as ``score<TAB>label<TAB>text``."""
    rows = []
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        score = float(parts[1])
        text = " ".join(parts[2].split())
        if score >= THRESHOLD:
            rows.append(f"{score:.4f}\tpositive\t{text}")
        elif score <= -THRESHOLD:
            rows.append(f"{score:.4f}\tnegative\t{text}")
    return "score\tlabel\ttext\n" + "\n".join(rows) + "\n"


def build(archive: Path) -> dict[str, bytes]:
    inner = inner_archive(archive)
    built = {}
    for name, member in SETS.items():
        raw = inner.extractfile(member).read().decode("utf-8")
        built[name] = derive(raw).encode("utf-8")
    return built


def recorded_sums() -> dict[str, str]:
    sums = {}
    for line in (DATA / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        sums[name] = digest
    return sums


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--archive", type=Path, default=None)
    sha256sums.add_options(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        archive = args.archive or download_archive(Path(folder))
        built = build(archive)
    sums = {name: sha256sums.digest(data) for name, data in built.items()}
    bad = sha256sums.check(DATA, sums, args.record)
    for name, data in built.items():
        rows = data.count(b"\n") - 1
        print(f"{name}: {rows:,} sentences, {len(data):,} bytes, sha256 {sums[name][:16]}...")
        if not args.check and name not in bad:
            (DATA / name).write_bytes(data)
    return sha256sums.report(DATA, bad, wrote=not args.check)


if __name__ == "__main__":
    raise SystemExit(main())
