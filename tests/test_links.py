"""Class links: locked values are signed; a value changed in the URL is noticed and refused."""

from rnnviz.links import class_link, link_secret, read_locks

SECRET = b"test-secret"


def test_a_class_link_round_trips_its_locks():
    params = class_link({"lesson": "forgetting"}, {"radius": "0.95", "forget_bias": "3.0"}, ["forget_bias"], SECRET)
    assert params["lock"] == "forget_bias,radius" and params["hide"] == "forget_bias" and len(params["sig"]) == 16
    locks = read_locks({**params, "step": "4"}, ("lesson",), SECRET)  # the step is free: locks hold lesson-wide
    assert locks.refused is None and locks.locked == {"radius": "0.95", "forget_bias": "3.0"}
    assert locks.hidden == {"forget_bias"}


def test_a_changed_value_scope_or_list_is_refused():
    params = class_link({"lesson": "forgetting"}, {"radius": "0.95"}, [], SECRET)
    for tampered in ({"radius": "1.0"}, {"lesson": "exploding"}, {"lock": ""}, {"hide": "radius"}, {"sig": "0" * 16}):
        locks = read_locks({**params, **tampered}, ("lesson",), SECRET)
        if tampered == {"lock": ""}:
            assert locks.locked == {}  # no lock left: nothing was locked, nothing to refuse
            continue
        assert locks.refused and "changed" in locks.refused, tampered
        assert set(locks.locked) <= {"radius"} and all(v == "" for v in locks.locked.values())  # held at defaults
    assert read_locks(params, ("lesson",), b"another server").refused  # a link signed elsewhere


def test_a_link_without_locks_locks_nothing():
    assert class_link({"lesson": "x"}, {}, [], SECRET) == {"lesson": "x"}
    assert read_locks({"lesson": "x", "radius": "1.0"}, ("lesson",), SECRET).locked == {}


def test_the_secret_is_kept_private_and_stable(tmp_path, monkeypatch):
    monkeypatch.delenv("RNNVIZ_LINK_SECRET", raising=False)
    monkeypatch.setenv("RNNVIZ_CACHE_DIR", str(tmp_path))
    first = link_secret()
    assert first == link_secret() and len(first) == 64
    assert (tmp_path / "link-secret").stat().st_mode & 0o077 == 0  # nobody else can read it
    monkeypatch.setenv("RNNVIZ_LINK_SECRET", "from the environment")
    assert link_secret() == b"from the environment"
