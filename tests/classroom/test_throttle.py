"""Snapshots reach the class at most once a second, and the run's end always does."""

from __future__ import annotations

from rnnviz.classroom.throttle import SnapshotThrottle


def test_at_most_one_snapshot_a_second_and_always_the_end():
    now = [0.0]
    published = []
    throttle = SnapshotThrottle(lambda payload, status: published.append((payload, status)), clock=lambda: now[0])
    for tick in range(25):  # the teacher's page reruns ten times a second for 2.5 s
        now[0] = tick / 10
        throttle.offer({"tick": tick}, "running")
    assert [payload["tick"] for payload, _ in published] == [0, 10, 20]
    now[0] = 2.55
    assert throttle.offer({"tick": 99}, "finished")  # the end goes out at once
    assert published[-1] == ({"tick": 99}, "finished")
    now[0] = 10.0
    assert not throttle.offer({"tick": 100}, "running")  # a stale rerun after the end does not overwrite it
    assert len(published) == 4
