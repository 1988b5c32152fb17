"""Browser journeys: Playwright driving Debian's Chromium against a live server with the demo
data, a real local SMTP server (aiosmtpd), and axe (RGAA rules) plus a 320 px check."""

from __future__ import annotations

import email
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from espacefamille.demo import DEMO_EMAIL, DEMO_PASSWORD, DemoReport

from .demo_snapshot import DemoSnapshot

CHROMIUM = Path("/usr/bin/chromium")
AXE_TAGS = ["RGAAv4", "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail("Chromium is required (E2E_REQUIRED=1) but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (sh scripts/ensure-chromium.sh)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            # The browser itself in French (Debian's chromium-l10n, scripts/ensure-chromium.sh):
            # its native date fields then take the digits a French parent types, JJ MM AAAA.
            # The context's locale alone changes the page's language, not the fields' order.
            env={**os.environ, "LANGUAGE": "fr"},
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory: pytest.TempPathFactory) -> DemoSnapshot:
    """The demo of this test process (each xdist worker has its own), loaded at first use."""
    return DemoSnapshot(folder=tmp_path_factory.mktemp("demo-files"))


@pytest.fixture
def demo(live_server: Any, settings: Any, demo_snapshot: DemoSnapshot) -> DemoReport:
    """The demo towns and households, with e-mailed links pointing at the live server: the
    database as a fresh ``load_demo`` leaves it, restored from this process's copy."""
    settings.SITE_URL = live_server.url
    return demo_snapshot.demo(base_url=live_server.url)


@contextmanager
def french_browser_page(
    browser: Browser, base_url: str, *, service_workers: bool = False
) -> Iterator[Page]:
    """A page in a browser context of its own, in French and Paris time, 1280 px wide. The
    portal's service worker is blocked unless asked for: its background refreshes of the week
    pages go through the live server's database connection, which SQLite's in-memory test
    database shares with the test's own queries ("no such savepoint" when both ran at once).
    The journeys about the worker (push; the offline week has a context of its own) ask for
    it with ``@pytest.mark.service_workers``."""
    context = browser.new_context(
        base_url=base_url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 800},
        service_workers="allow" if service_workers else "block",
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, demo: DemoReport
) -> Iterator[Page]:
    workers = request.node.get_closest_marker("service_workers") is not None
    with french_browser_page(browser, live_server.url, service_workers=workers) as family_page:
        yield family_page


@pytest.fixture
def login() -> Callable[..., None]:
    """Sign in through the login page, as DUPONT by default."""

    def do_login(
        page: Page, email_address: str = DEMO_EMAIL, password: str = DEMO_PASSWORD
    ) -> None:
        page.goto("/connexion/")
        page.get_by_label("Identifiant (adresse e-mail)").fill(email_address)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: "/connexion/" not in url)

    return do_login


class Inbox:
    """Messages received by the local SMTP server."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def wait_for(self, predicate: Callable[[Message], bool], timeout: float = 10) -> Message:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                found = next((m for m in self.messages if predicate(m)), None)
            if found is not None:
                return found
            time.sleep(0.1)
        raise AssertionError("no matching e-mail reached the SMTP server")


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1; Django sends to it for the test's duration."""
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd needs a real port to check it is up
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def text_of(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


def _axe_violations(page: Page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


def check_accessible(page: Page) -> None:
    """axe's RGAA/WCAG rules report nothing, and nothing scrolls sideways at 320 px."""
    violations = _axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(violations)
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        page.wait_for_timeout(50)  # layout settles
        overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert overflow[0] <= overflow[1], f"{page.url}: {overflow[0]}px wide at 320px"
        violations = _axe_violations(page)
        assert not violations, f"{page.url} at 320px\n" + "\n".join(violations)
    finally:
        if size:
            page.set_viewport_size(size)


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    return check_accessible


@pytest.fixture
def agent_page(browser: Browser, live_server: Any, demo: DemoReport) -> Iterator[Page]:
    """A second browser, for the agent (the family keeps ``page``)."""
    with french_browser_page(browser, live_server.url) as page_of_agent:
        yield page_of_agent
