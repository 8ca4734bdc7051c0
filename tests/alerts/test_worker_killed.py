"""Exactly once per subscriber per item, even when a worker is killed mid-batch."""

import signal
import time

import pytest

from tests.alerts.processes import publish, seed, start_sink, start_worker, worker_env
from tests.servers import manage, own_postgres, wait_for

pytestmark = pytest.mark.slow

SUBSCRIBERS = 300


def test_a_worker_killed_mid_batch_leaves_every_subscriber_one_mail():
    sink, controller, port = start_sink(delay=0.01)
    try:
        with own_postgres() as postgres:
            env = worker_env(postgres.url, port)
            article = seed(env, SUBSCRIBERS)
            publish(env, article)
            worker = start_worker(env)
            try:
                wait_for(lambda: sink.total >= 40, timeout=120)
            finally:
                worker.send_signal(signal.SIGKILL)
                worker.wait(10)
            time.sleep(0.5)
            sent_before = sink.total
            assert 0 < sent_before < SUBSCRIBERS, (
                f"the kill must land mid-batch ({sent_before} sent)"
            )
            # The minute tick finds pending deliveries nobody works on.
            tick = manage("alerts_tick", env=env)
            assert "'resumed': 0" not in tick, tick
            rescue = start_worker(env, "--batch")
            assert rescue.wait(180) == 0, rescue.stderr.read().decode()
    finally:
        controller.stop()
    assert len(sink.recipients) == SUBSCRIBERS
    assert set(sink.recipients.values()) == {1}
    assert set(sink.message_ids.values()) == {1}
