"""Varnish in front of the site (config/varnish.vcl), tested against a real varnishd
with xkey: it keeps public pages, a change reaches readers through it within a second
(the application purges by surrogate key after commit), a draft never passes through it,
and with the application stopped it serves the last good page.

The application here is pytest-django's live server, reached by Varnish through a small
relay this test can cut, as a stopped gunicorn would be."""

import contextlib
import os
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pytest

from claims.models import Claim
from reader import edge as edge_module
from reader.management.commands.serve_edge import start_varnish, varnishd_path
from tests.builders import korean_war_claim, make_claim

pytestmark = pytest.mark.django_db(transaction=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Relay:
    """Forwards TCP connections from a port of its own to the live server; `cut()`
    refuses every connection from then on."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.open:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self):
        self.open = False
        self.listener.close()


@pytest.fixture
def edge(live_server, settings):
    """(Varnish's address, the relay to the application) with the application purging
    that Varnish."""
    if varnishd_path() is None:
        reason = "varnishd not found (apt-get install varnish varnish-modules)"
        if os.environ.get("CORROBORATE_REQUIRE_BROWSER"):
            pytest.fail(f"This test is required here but cannot run: {reason}")
        pytest.skip(reason)
    relay = Relay(int(live_server.url.rsplit(":", 1)[1]))
    port = free_port()
    # Not pytest's tmp_path: varnishd's own user must reach its files, and pytest's
    # folders are its owner's alone.
    workdir = tempfile.TemporaryDirectory(prefix="corroborate-varnish-test-")
    varnish = start_varnish(port=port, backend_port=relay.port, workdir=workdir.name)
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
    address = f"http://127.0.0.1:{port}"
    wait_until(lambda: get(address, "/robots.txt").status == 200, "the backend to be healthy")
    yield address, relay
    relay.cut()
    varnish.terminate()
    varnish.wait(timeout=30)
    workdir.cleanup()


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


def get(address, path, headers=None):
    request = urllib.request.Request(address + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read().decode())


def wait_until(condition, what, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"Timed out waiting for {what}.")


def test_varnish_keeps_a_public_page_and_shows_readers_no_keys(edge):
    address, _ = edge
    claim = korean_war_claim()

    first = get(address, claim.get_absolute_url())
    second = get(address, claim.get_absolute_url())

    assert (first.status, second.status) == (200, 200)
    assert first.headers["X-Varnish-Cache"] == "miss"
    assert second.headers["X-Varnish-Cache"] == "hit"
    assert second.body == first.body
    assert "xkey" not in second.headers


def test_a_change_is_seen_through_varnish_within_a_second(edge):
    address, _ = edge
    claim = korean_war_claim()
    page = claim.get_absolute_url()
    get(address, page)
    assert get(address, page).headers["X-Varnish-Cache"] == "hit"

    claim.statement = "Stalin approved the attack on South Korea in the spring of 1950."
    claim.save()
    saved = time.monotonic()
    wait_until(lambda: claim.statement in get(address, page).body, "the new statement", 1)

    assert time.monotonic() - saved < 1
    # A list page that gathers claims is purged too.
    assert claim.statement in get(address, "/claims/").body


def test_a_draft_never_passes_through_varnish(edge, client, curator):
    address, _ = edge
    draft = make_claim("A draft the curators are still checking", status=Claim.Status.DRAFT)
    client.force_login(curator)
    session = client.cookies["sessionid"].value

    preview = get(address, draft.get_absolute_url(), {"Cookie": f"sessionid={session}"})
    anonymous = get(address, draft.get_absolute_url())
    again = get(address, draft.get_absolute_url(), {"Cookie": f"sessionid={session}"})

    assert preview.status == 200 and draft.statement in preview.body
    assert "no-store" in preview.headers["Cache-Control"]
    assert anonymous.status == 404 and draft.statement not in anonymous.body
    assert again.headers["X-Varnish-Cache"] == "miss"


def test_with_the_application_stopped_varnish_serves_the_last_good_page(edge, settings):
    address, relay = edge
    # Pages go stale at once, so that only the grace (stale-if-error) can answer.
    settings.HTTP_SHARED_MAX_AGE = 1
    settings.HTTP_STALE_WHILE_REVALIDATE = 0
    claim = korean_war_claim()
    good = get(address, claim.get_absolute_url())
    assert good.status == 200

    relay.cut()
    time.sleep(4)  # past the page's s-maxage, and the probe has found the backend down

    stale = get(address, claim.get_absolute_url())
    assert stale.status == 200
    assert stale.body == good.body
    assert get(address, "/claims/no-such-claim/").status == 503


def test_a_purge_that_fails_never_fails_the_change_and_is_logged_once(
    settings, caplog, monkeypatch
):
    monkeypatch.setattr(edge_module, "_logged_at", None)  # no failure logged before
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]  # nothing listens
    claim = korean_war_claim()

    for statement in ("First wording.", "Second wording."):
        claim.statement = statement
        claim.save()

    claim.refresh_from_db()
    assert claim.statement == "Second wording."
    failures = [r for r in caplog.records if r.name == "reader.edge"]
    assert len(failures) == 1 and "s-maxage" in failures[0].getMessage()
