"""Reading nginx's access log: which replica answered each browser, also when nginx moved a request on from a replica
that was down (the log then lists every replica it tried)."""

from __future__ import annotations

from rnnviz.testing.nginx_proxy import answering_replica, loopback_config, replicas_hit


def test_the_last_replica_tried_is_the_one_that_answered():
    assert answering_replica("127.0.0.1:5001") == "127.0.0.1:5001"
    assert answering_replica("127.0.0.1:5001, 127.0.0.1:5002") == "127.0.0.1:5002"
    assert answering_replica("127.0.0.1:5001, 127.0.0.1:5002 : 127.0.0.1:5003") == "127.0.0.1:5003"
    assert answering_replica("-") is None


def test_replicas_hit_reads_one_browsers_lines_only(tmp_path):
    (tmp_path / "access.log").write_text(
        'aaa 127.0.0.1:5001 "GET / HTTP/1.1" 200\n'
        'bbb 127.0.0.1:5001 "GET / HTTP/1.1" 200\n'
        'aaa 127.0.0.1:5001, 127.0.0.1:5002 "GET /_stcore/stream HTTP/1.1" 101\n'
        'aaa - "GET /favicon.ico HTTP/1.1" 499\n'
        'aa 127.0.0.1:5009 "GET / HTTP/1.1" 200\n'
    )
    assert replicas_hit(tmp_path, "aaa") == {"127.0.0.1:5001", "127.0.0.1:5002"}
    assert replicas_hit(tmp_path, "bbb") == {"127.0.0.1:5001"}
    assert replicas_hit(tmp_path, "ccc") == set()


def test_the_log_format_is_the_one_the_parser_reads(tmp_path):
    """The shipped config's log line is what ``replicas_hit`` parses: a change to one must change the other."""
    config = loopback_config(["127.0.0.1:5001", "127.0.0.1:5002"], 8080, tmp_path)
    assert """log_format replicas '$rnnviz_affinity $upstream_addr "$request" $status';""" in config
    assert f"access_log {tmp_path}/access.log replicas;" in config
