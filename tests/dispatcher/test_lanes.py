"""Channels do not hold each other back: per-channel lanes, bounds, rates and pauses.

The first tests drive `Lanes` with a fake clock and a recording `run`; the others run
a started dispatcher against real local receivers, one per channel, and assert by the
order of events (this one arrived while that one still hung), never by wall time.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from conftest import BASE_CONFIG, WEBHOOK_SECRET, plan
from support import Receiver, Reply, wait_until

from publisher.config import ConfigError, parse_config
from publisher.dispatcher import Dispatcher
from publisher.dispatcher.lanes import Lanes
from publisher.models import Delivery, DeliveryStatus, utcnow
from publisher.posting_limits import TokenBucket, parse_rate

# --- the lanes on their own, with a fake clock -------------------------------------


class Recorder:
    """A `run` that records which deliveries started and blocks until released."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.release = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, delivery_id: int) -> None:
        with self._lock:
            self.started.append(delivery_id)
        self.release.wait(10)


class Clock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def recorder():
    made = Recorder()
    yield made
    made.release.set()


def test_a_lane_starts_no_more_than_its_channels_concurrency(recorder):
    lanes = Lanes(recorder, max_workers=16, limits={"lambat": (2, None)})
    try:
        for n in range(5):
            lanes.submit("lambat", n)
        lanes.submit("cepat", 99)  # another channel: its own lane, default bound
        assert wait_until(lambda: len(recorder.started) == 3, timeout=5)
        assert sorted(recorder.started) == [0, 1, 99]
        assert list(lanes.lane("lambat").waiting) == [2, 3, 4]
        recorder.release.set()
        assert wait_until(lambda: len(recorder.started) == 6, timeout=5)
        assert lanes.lane("lambat").max_running == 2
    finally:
        lanes.shutdown()


def test_a_rate_holds_posts_beyond_the_bucket_until_tokens_return():
    clock = Clock()
    started: list[int] = []
    lanes = Lanes(
        started.append,
        max_workers=4,
        limits={"mastodon": (4, parse_rate("2/h"))},
        clock=clock,
    )
    try:
        for n in range(3):
            lanes.submit("mastodon", n)
        lane = lanes.lane("mastodon")
        assert wait_until(lambda: len(started) == 2 and lane.running == 0, timeout=5)
        assert list(lane.waiting) == [2]  # the bucket is empty for half an hour
        clock.now += 1800
        lanes.poke()
        assert wait_until(lambda: len(started) == 3, timeout=5)
    finally:
        lanes.shutdown()


def test_a_pause_holds_only_its_own_channel():
    clock = Clock()
    started: list[tuple[str, int]] = []
    lanes = Lanes(lambda i: started.append(i), max_workers=4, limits={}, clock=clock)
    try:
        lanes.pause("x", 60)
        lanes.submit("x", 1)
        lanes.submit("telegram", 2)
        assert wait_until(lambda: started == [2], timeout=5)
        assert list(lanes.lane("x").waiting) == [1]
        clock.now += 60
        lanes.poke()
        assert wait_until(lambda: started == [2, 1], timeout=5)
    finally:
        lanes.shutdown()


def test_a_token_bucket_refills_evenly_and_never_beyond_its_size():
    bucket = TokenBucket(parse_rate("300/3h"), now=0.0)
    for _ in range(300):
        assert bucket.wait(0.0) == 0
        bucket.take(0.0)
    assert bucket.wait(0.0) == pytest.approx(36.0)  # 10,800 s / 300 posts
    assert bucket.wait(36.0) == 0
    assert bucket.wait(10**9) == 0
    assert bucket.tokens == 300


@pytest.mark.parametrize(
    ("text", "count", "seconds"),
    [("300/3h", 300, 10800), ("20/m", 20, 60), ("1/s", 1, 1), ("250/24h", 250, 86400)],
)
def test_rates_read_as_posts_per_period(text, count, seconds):
    rate = parse_rate(text)
    assert (rate.count, rate.seconds) == (count, seconds)
    assert parse_rate("unlimited") is None


# --- config: channel-level keys, errors naming the key -----------------------------


def channel_config(tmp_path, **channel):
    """Parse the base config with a webhook channel carrying `channel` keys."""
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["channels"]["situs_web"] = {
        "adapter": "webhook",
        "url": "http://127.0.0.1:9/hook",
        "secret": WEBHOOK_SECRET,
        **channel,
    }
    return parse_config(raw, tmp_path / "config.yaml")


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"concurrency": 0}, "channels.situs_web.concurrency: expected a whole number"),
        ({"concurrency": "4"}, "channels.situs_web.concurrency: expected a whole"),
        ({"rate": "300 per 3 hours"}, "channels.situs_web.rate: expected posts per"),
        ({"rate": "0/h"}, "channels.situs_web.rate: the count and the period"),
    ],
)
def test_bad_channel_limits_name_the_key(tmp_path, keys, message):
    with pytest.raises(ConfigError, match=message):
        channel_config(tmp_path, **keys)


def test_channel_limits_are_read_beside_enabled_and_label(tmp_path):
    config = channel_config(tmp_path, concurrency=2, rate="30/m", label="Situs")
    channel = config.channels["situs_web"]
    assert (channel.concurrency, channel.rate.count, channel.rate.seconds) == (
        2,
        30,
        60,
    )
    radio = config.channels["radio"]
    assert (radio.concurrency, radio.rate) == (4, None)
    assert config.dispatcher.max_workers == 64 and config.dispatcher.per_channel


def test_networks_that_document_a_posting_limit_get_it_by_default(tmp_path):
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["channels"]["mastodon"] = {"adapter": "mastodon", "enabled": False}
    raw["channels"]["mastodon_bebas"] = {
        "adapter": "mastodon",
        "enabled": False,
        "rate": "unlimited",
    }
    config = parse_config(raw, tmp_path / "config.yaml")
    assert config.channels["mastodon"].rate.text == "300/3h"
    assert config.channels["mastodon_bebas"].rate is None


# --- a started dispatcher against real receivers -----------------------------------


class CountingServer:
    """A partner endpoint that counts requests in flight; each waits for `gate`."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.in_flight = 0
        self.max_in_flight = 0
        self.answered = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                server.gate.wait(20)
                with server._lock:
                    server.in_flight -= 1
                    server.answered += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *_args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/hook"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Answer whatever waits, then stop."""
        self.gate.set()
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def hanging():
    """The receiver of a network that takes its time (it never answers by itself)."""
    with Receiver() as server:
        server.default = Reply(delay=60)
        yield server


@pytest.fixture
def counting():
    server = CountingServer()
    yield server
    server.stop()


def webhook(url: str, **keys) -> dict:
    """A webhook channel pointed at a local `url`."""
    return {
        "adapter": "webhook",
        "url": url,
        "secret": WEBHOOK_SECRET,
        "allow_networks": ["127.0.0.0/8"],
        "timeout": [2, 30],
        **keys,
    }


@pytest.fixture
def extra_channels(receiver, hanging, counting):
    return {
        "situs_web": webhook(receiver.url),
        "mitra_lambat": webhook(hanging.url, concurrency=1),
        "mitra_hitung": webhook(counting.url, concurrency=3),
    }


def statuses(database) -> dict[int, str]:
    with database.session() as session:
        return {d.id: d.status for d in session.query(Delivery)}


def test_a_hanging_network_does_not_delay_another_channel(
    config, database, approved_release, receiver, hanging
):
    # Six deliveries to the hanging network come due first, more than the old
    # four shared threads; then one to the website.
    releases = [approved_release(f"Rilis {n}") for n in range(7)]
    worker = Dispatcher(config, database, name="proses-uji")
    worker.start()
    try:
        now = utcnow()
        for release_id in releases[:6]:
            plan(database, config, release_id, now, "mitra_lambat")
        assert hanging.wait_for(1, timeout=20)  # its one slot hangs …
        plan(database, config, releases[6], utcnow(), "situs_web")
        assert receiver.wait_for(1, timeout=20)  # … and the website still gets its own
        assert len(hanging.received) == 1  # the bound held: five still wait
        waiting = [s for s in statuses(database).values() if s == "scheduled"]
        assert len(waiting) == 5
    finally:
        hanging.stop()  # the hung requests end; the worker can stop
        worker.shutdown()


def test_429_pauses_only_that_channel(
    config, database, approved_release, receiver, hanging
):
    hanging.default = Reply(status=429, headers={"Retry-After": "600"})
    first, second, other = (approved_release(f"Rilis {n}") for n in range(3))
    worker = Dispatcher(config, database, name="proses-uji")
    worker.start()
    try:
        now = utcnow()
        [refused] = plan(database, config, first, now, "mitra_lambat")
        [held] = plan(database, config, second, now, "mitra_lambat")
        assert wait_until(
            lambda: DeliveryStatus.RETRYING in statuses(database).values(), timeout=20
        )
        [sent] = plan(database, config, other, utcnow(), "situs_web")
        assert receiver.wait_for(1, timeout=20)
        assert wait_until(
            lambda: statuses(database)[sent] == DeliveryStatus.SENT, timeout=20
        )
        # The second delivery to the refusing network came due with the first and
        # was not sent: the partner asked for ten minutes of quiet.
        assert len(hanging.received) == 1
        found = statuses(database)
        assert {found[refused], found[held]} == {
            DeliveryStatus.RETRYING,
            DeliveryStatus.SCHEDULED,
        }
    finally:
        worker.shutdown()


def test_a_channels_concurrency_bound_is_respected(
    config, database, approved_release, counting
):
    releases = [approved_release(f"Rilis {n}") for n in range(8)]
    worker = Dispatcher(config, database, name="proses-uji")
    worker.start()
    try:
        now = utcnow()
        for release_id in releases:
            plan(database, config, release_id, now, "mitra_hitung")
        assert wait_until(lambda: counting.in_flight == 3, timeout=20)
        assert len([s for s in statuses(database).values() if s == "sending"]) == 3
        counting.gate.set()
        assert wait_until(lambda: counting.answered == 8, timeout=20)
    finally:
        worker.shutdown()
    assert counting.max_in_flight == 3


def test_the_single_pool_of_before_still_sends(
    tmp_path, config, database, approved_release, receiver
):
    raw = yaml.safe_load(config.path.read_text(encoding="utf-8"))
    raw["dispatcher"].update(per_channel=False, max_workers=4)
    single_pool = parse_config(raw, config.path)
    worker = Dispatcher(single_pool, database, name="proses-lama")
    worker.start()
    try:
        [delivery_id] = plan(
            database, config, approved_release(), utcnow(), "situs_web"
        )
        assert receiver.wait_for(1, timeout=20)
        assert wait_until(
            lambda: statuses(database)[delivery_id] == DeliveryStatus.SENT, timeout=20
        )
    finally:
        worker.shutdown()
    assert worker.lanes is None
