import hashlib
import http.server
import threading

import pytest

from rnnviz.charlm import corpora
from rnnviz.charlm.corpora import CorpusError, decode_user_text, load_corpus


def test_python_docs_is_offline_prose():
    corpus = load_corpus("python-docs")
    assert len(corpus) > 100_000
    assert "the" in corpus.text and "def" in corpus.text
    assert load_corpus("python-docs").sha256 == corpus.sha256  # deterministic


def test_python_docs_falls_back_without_pydoc_data(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pydoc_data(name, *args, **kwargs):
        if name.startswith("pydoc_data"):
            raise ImportError("stripped distribution")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pydoc_data)
    text = corpora.python_docs_text()
    assert len(text) > 10_000


def test_python_code_is_deterministic_source():
    first = corpora.python_code_text(max_chars=300_000)
    assert first == corpora.python_code_text(max_chars=300_000)
    assert 100_000 < len(first) <= 300_000
    assert "def " in first and "import " in first


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("caf\u00e9".encode("latin-1") + b" more text", "not UTF-8"),
        (b"aaaaaaaaaaaa", "single distinct character"),
    ],
)
def test_bad_user_text_is_refused_with_a_reason(data, message):
    with pytest.raises(CorpusError, match=message):
        decode_user_text(data)


def test_huge_upload_is_refused():
    with pytest.raises(CorpusError, match="at most"):
        decode_user_text(b"ab" * 1000, max_bytes=1000)


def test_user_text_accepts_utf8_with_bom_and_crlf():
    assert decode_user_text("\ufeffhé\r\nllo".encode("utf-8")) == "hé\nllo"


def test_shakespeare_offline_names_the_cache_path(tmp_path):
    with pytest.raises(CorpusError) as info:
        load_corpus("shakespeare")
    assert str(corpora.shakespeare_path()) in str(info.value)
    assert "offline" in str(info.value)


def _serve(payload: bytes):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_shakespeare_downloads_verifies_and_caches(shakespeare_file, monkeypatch):
    payload = shakespeare_file.read_bytes()
    server = _serve(payload)
    try:
        monkeypatch.setenv("RNNVIZ_SHAKESPEARE_URL", f"http://127.0.0.1:{server.server_port}/input.txt")
        seen = []
        text = corpora.shakespeare_text(progress=lambda done, total: seen.append((done, total)))
    finally:
        server.shutdown()
    assert len(text) == 1_115_394
    assert seen[-1] == (len(payload), len(payload))
    assert hashlib.sha256(corpora.shakespeare_path().read_bytes()).hexdigest() == corpora.SHAKESPEARE_SHA256
    monkeypatch.setenv("RNNVIZ_SHAKESPEARE_URL", "http://127.0.0.1:9/unreachable")
    assert corpora.shakespeare_text() == text  # served from the cache, no network


def test_shakespeare_bad_download_is_not_cached(monkeypatch):
    server = _serve(b"not shakespeare at all")
    try:
        monkeypatch.setenv("RNNVIZ_SHAKESPEARE_URL", f"http://127.0.0.1:{server.server_port}/input.txt")
        with pytest.raises(CorpusError, match="sha256"):
            corpora.shakespeare_text()
    finally:
        server.shutdown()
    assert not corpora.shakespeare_path().exists()


def test_unknown_corpus_name():
    with pytest.raises(CorpusError, match="Unknown corpus"):
        load_corpus("no-such-corpus")


def test_snippets_come_from_the_validation_part_and_the_structured_one_is_richest():
    from rnnviz.charlm.corpora import structured_snippet, validation_snippet

    text = "a" * 900 + "plain words here " * 4 + "f(x, [1, 'b'])\n" * 3 + "z" * 30
    val = text[int(len(text) * 0.9) :]
    assert validation_snippet(text, 0.0, 20) == val[:20] and validation_snippet(text, 1.0, 20) == val[-20:]
    best = structured_snippet(text, length=20, tries=5)
    assert best in val and sum(best.count(ch) for ch in "()[]'\n") > 0
