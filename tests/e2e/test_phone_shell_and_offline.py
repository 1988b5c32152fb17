"""The portal on a phone, in the town's colours, installable and readable offline (issue 21).

- every family page, reached by following the portal's own links from the home page, has no
  axe violation (RGAA/WCAG AA rules) in light and dark mode, at 1280 px and at 320 px, where
  nothing scrolls sideways;
- at 375 px the header is compact: one "Menu" button for the town and the account, the six
  sections one tap away, and the week of "Mes réservations" starts on the first screen;
- Chromium finds the portal installable; the week opens offline with "Hors ligne — mis à jour
  le JJ/MM à HH:MM" and every action disabled; signing out leaves no page in the cache;
- the administrator's colour picker refuses a colour that breaks AA contrast."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from .agents import sign_in as sign_in_agent
from .conftest import CHROMIUM, _axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Login = Callable[..., None]
PHONE = {"width": 375, "height": 667}
# Links that are not pages to read: files, feeds, payments, leaving the family portal.
NOT_A_PAGE = re.compile(
    r"/pdf/|\.ics$|/agenda/|/telecharger|/export|/piece|/document|/image/|/payer/|/banque/"
    r"|/paiement/|^/agents/|^/admin/|^/static/|/supprimer/|/retirer"
)
FAMILY_PAGES_AT_LEAST = 15


def _family_pages(page: Page) -> list[str]:
    """The family's pages, found from the home page by following the portal's links (the menu,
    the tabs, the cards) two steps deep."""
    seen: list[str] = []
    frontier = ["/"]
    for _depth in range(3):
        found: list[str] = []
        for path in frontier:
            if path in seen:
                continue
            seen.append(path)
            page.goto(path)
            hrefs = page.eval_on_selector_all(
                "header a[href], main a[href]", "els => els.map(e => e.getAttribute('href'))"
            )
            for href in hrefs:
                parts = urlsplit(href)
                if (
                    parts.netloc
                    or not parts.path.startswith("/")
                    or (parts.fragment and not parts.path)
                ):
                    continue
                link = parts.path + (f"?{parts.query}" if parts.query else "")
                if NOT_A_PAGE.search(parts.path) or link in seen or link in found:
                    continue
                found.append(link)
        frontier = found
    return seen


def _check_page(page: Page, path: str) -> list[str]:
    problems = []
    page.goto(path)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 800})
            page.wait_for_timeout(50)  # layout settles
            problems += [f"{path} {scheme} {width}px: {v}" for v in _axe_violations(page)]
            wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if wide[0] > wide[1]:
                problems.append(f"{path} {scheme} {width}px: {wide[0]}px wide")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 1280, "height": 800})
    return problems


def test_every_family_page_light_and_dark_at_320_and_1280(page: Page, login: Login) -> None:
    login(page)
    pages = _family_pages(page)
    assert len(pages) >= FAMILY_PAGES_AT_LEAST, pages
    problems = [problem for path in pages for problem in _check_page(page, path)]
    assert not problems, "\n".join(problems)


def test_dark_mode_follows_the_system(page: Page, login: Login) -> None:
    login(page)
    page.emulate_media(color_scheme="dark")
    page.goto("/reservations/")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    ink = page.evaluate("() => getComputedStyle(document.body).color")
    assert background == "rgb(18, 20, 23)" and ink == "rgb(236, 236, 236)"


def test_phone_header_menu_and_the_week_on_the_first_screen(page: Page, login: Login) -> None:
    page.set_viewport_size(PHONE)
    login(page)
    page.goto("/reservations/")
    menu = page.get_by_role("button", name=re.compile("^Menu"))
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    sign_out = page.get_by_role("button", name="Se déconnecter")
    expect(sign_out).to_be_hidden()
    nav = page.get_by_role("navigation", name="Menu principal")
    links = nav.get_by_role("link")
    expect(links).to_have_count(6)
    for index in range(6):  # each section one tap away, none hidden or off screen
        box = links.nth(index).bounding_box()
        assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 375
        assert box["y"] + box["height"] <= PHONE["height"]
    week = page.locator("table.week").first
    box = week.bounding_box()
    assert box is not None and box["y"] < PHONE["height"] - 100, box
    # keyboard: skip link, brand, Menu, then the sections in reading order
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sign_out).to_be_visible()
    page.keyboard.press("Escape")
    expect(sign_out).to_be_hidden()
    expect(menu).to_be_focused()


def _worker_ready(page: Page) -> None:
    """The service worker controls the page and has kept the household's pages."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    page.evaluate(
        """() => new Promise(resolve => {
             navigator.serviceWorker.addEventListener("message", e => {
               if (e.data && e.data.type === "refresh-done") { resolve(true); } });
             navigator.serviceWorker.controller.postMessage(
               {type: "refresh", url: document.body.dataset.offlinePages});
           })"""
    )


def _cached_pages(page: Page) -> list[str]:
    return list(
        page.evaluate(
            """async () => {
                 const urls = [];
                 for (const name of await caches.keys()) {
                   const cache = await caches.open(name);
                   for (const request of await cache.keys()) {
                     const path = new URL(request.url).pathname;
                     if (!path.startsWith("/static/")) { urls.push(path); }
                   }
                 }
                 return urls;
               }"""
        )
    )


@pytest.fixture
def installed_page(browser: Browser, live_server: Any, demo: Any, tmp_path: Path) -> Iterator[Page]:
    """A phone browser with a profile on disk: Chromium never offers to install a site from a
    private (incognito) window, which Playwright's ordinary contexts are."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
        ],
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport=PHONE,
    )
    context.set_default_timeout(10_000)
    try:
        yield context.pages[0] if context.pages else context.new_page()
    finally:
        context.close()


def test_installable_and_the_week_offline_then_nothing_after_sign_out(
    installed_page: Page, login: Login
) -> None:
    page = installed_page
    login(page)
    page.goto("/reservations/")
    _worker_ready(page)
    page.reload()  # now controlled by the worker from the start
    _worker_ready(page)

    session = page.context.new_cdp_session(page)
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == [], errors
    manifest = session.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest") and not manifest["errors"]

    assert "/reservations/" in _cached_pages(page)
    page.context.set_offline(True)  # the server is out of reach
    page.goto("/reservations/")
    banner = page.locator("#offline-banner")
    expect(banner).to_contain_text(re.compile(r"Hors ligne — mis à jour le \d\d/\d\d à \d\d:\d\d"))
    expect(page.locator("table.week").first).to_be_visible()
    enabled = page.locator("main button:enabled, main select:enabled, main input:enabled")
    expect(enabled).to_have_count(0)
    next_week = page.get_by_role("link", name=re.compile("Semaine suivante"))
    if next_week.count():
        next_week.first.click()
        expect(page.locator("#offline-banner")).to_be_visible()
        expect(page.locator("table.week").first).to_be_visible()
    page.goto("/factures/")  # not kept: sent to the week that is
    expect(page).to_have_url(re.compile("/reservations/$"))

    page.context.set_offline(False)
    page.goto("/reservations/")
    expect(page.locator("#offline-banner")).to_have_count(0)
    _worker_ready(page)  # the worker's refreshes are over (they would race the sign-out's write)
    page.get_by_role("button", name=re.compile("^Menu")).click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile("/connexion/"))
    page.wait_for_load_state("load")
    assert _cached_pages(page) == []


def test_the_colour_picker_refuses_a_colour_without_contrast(agent_page: Page, demo: Any) -> None:
    sign_in_agent(agent_page)
    agent_page.goto("/agents/configuration/")
    agent_page.get_by_role("link", name="Apparence du portail").click()
    agent_page.get_by_label("Couleur principale").fill("#ffcc00")
    agent_page.get_by_role("button", name="Enregistrer").click()
    expect(agent_page.get_by_text(re.compile(r"contraste de 1,30:1"))).to_be_visible()
    agent_page.get_by_label("Couleur principale").fill("#8a1538")
    agent_page.get_by_role("button", name="Enregistrer").click()
    expect(agent_page.get_by_role("status")).to_contain_text(
        "L'apparence du portail est enregistrée"
    )
