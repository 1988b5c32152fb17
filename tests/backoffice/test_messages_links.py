"""Agents find the town's messages where they look: in the back office's menu and from the
news page."""

from __future__ import annotations

from espacefamille.core.models import Municipality

from .helpers import make_agent


def test_the_menu_and_the_news_page_link_to_the_messages(town: Municipality) -> None:
    agent = make_agent(town, "administrator")
    home = agent.client.get("/agents/", follow=True).content.decode()
    assert 'href="/agents/messages/"' in home
    news = agent.client.get("/agents/actualites/").content.decode()
    assert 'href="/agents/messages/"' in news
