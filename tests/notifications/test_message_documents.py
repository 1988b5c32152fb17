"""A town message may carry a document (issue 20): checked like every upload (PDF, JPEG or PNG
recognised from its bytes), kept in private media under a random name, kept between "Compter"
and "Envoyer" (a browser forgets a chosen file), downloaded from "Messages de la commune" only
by the families the message went to (others: 404), with the download headers of every private
file. The e-mail carries a link to that page, never the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.notifications.models import TownMessage, TownMessageDocument

from ..backoffice.helpers import Agent, make_agent, page_text
from ..conftest import Family, make_family
from ..factories import MunicipalityFactory
from ..uploads_helpers import disguised_file, pdf_file

pytestmark = pytest.mark.django_db

NEW = "/agents/messages/nouveau/"
FORM = {"subject": "Grève du 10/12", "body": "Le restaurant scolaire est fermé.", "audience": "all"}


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture
def agent(town: Municipality) -> Agent:
    return make_agent(town, "regie")


def _documents(town: Municipality) -> list[TownMessageDocument]:
    with municipality_scope(town):
        return list(TownMessageDocument.objects.select_related("message"))


def _send_with_document(agent: Agent, capture: Any) -> TownMessage:
    counted = agent.client.post(
        NEW, {**FORM, "compter": "1", "document": pdf_file("CIRCULAIRE.pdf")}
    )
    assert counted.status_code == 200
    page = page_text(counted)
    assert "Document joint : « CIRCULAIRE.pdf »" in page
    pending = counted.context["form"].data["pending_document"]
    assert f'name="pending_document" value="{pending}"' in page
    with capture(execute=True):
        sent = agent.client.post(NEW, {**FORM, "envoyer": "1", "pending_document": pending})
    assert sent.status_code == 302, page_text(sent)
    return TownMessage.objects.get()


def test_the_family_downloads_the_document_of_its_message(
    town: Municipality,
    family: Family,
    agent: Agent,
    private_files: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with municipality_scope(town):
        message = _send_with_document(agent, django_capture_on_commit_callbacks)
        (document,) = _documents(town)
        assert document.message == message and document.content_type == "application/pdf"
        assert document.file.name.startswith("messages/") and "CIRCULAIRE" not in document.file.name
        assert (private_files / document.file.name).exists()
        entry = ActionLogEntry.objects.get(action="notifications.message")
        assert entry.changes["documents"] == [None, "CIRCULAIRE.pdf"]
    (email,) = mail.outbox
    assert email.attachments == []  # a link, never the file
    assert "Document joint : « CIRCULAIRE.pdf »" in email.body
    assert "/messages/" in email.body
    page = page_text(family.client.get("/messages/"))
    assert "Télécharger le document" in page and f"/messages/{message.pk}/document/" in page
    download = family.client.get(f"/messages/{message.pk}/document/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert f"document-message-{message.pk}.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    assert download.content.startswith(b"%PDF")
    listed = page_text(agent.client.get("/agents/messages/"))
    assert f"/agents/messages/{message.pk}/document/" in listed
    assert agent.client.get(f"/agents/messages/{message.pk}/document/").status_code == 200


def test_a_family_that_did_not_receive_it_gets_404(
    town: Municipality, family: Family, agent: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    with municipality_scope(town):
        message = _send_with_document(agent, django_capture_on_commit_callbacks)
    url = f"/messages/{message.pk}/document/"
    later = make_family(town, email="arrivee@example.org")  # not a recipient
    assert later.client.get(url).status_code == 404
    assert "Télécharger le document" not in page_text(later.client.get("/messages/"))
    elsewhere = MunicipalityFactory(slug="ailleurs")
    with municipality_scope(elsewhere):
        stranger = make_family(elsewhere, email="ailleurs@example.org")
        other_agent = make_agent(elsewhere, "regie")
    assert stranger.client.get(url).status_code == 404
    assert other_agent.client.get(f"/agents/messages/{message.pk}/document/").status_code == 404
    assert family.client.get("/messages/999999/document/").status_code == 404
    assert family.client.get("/messages/99999999999999999999/document/").status_code == 404


def test_a_disguised_file_is_refused_in_french_and_nothing_is_kept(
    town: Municipality, family: Family, agent: Agent
) -> None:
    response = agent.client.post(
        NEW, {**FORM, "envoyer": "1", "document": disguised_file("CIRCULAIRE.pdf")}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["document"]
    assert any("n'est pas un PDF, un JPEG ou un PNG" in error for error in errors)
    assert _documents(town) == []
    with municipality_scope(town):
        assert not TownMessage.objects.exists()


def test_another_agents_pending_document_is_not_attached(
    town: Municipality, family: Family, agent: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    counted = agent.client.post(NEW, {**FORM, "compter": "1", "document": pdf_file()})
    pending = counted.context["form"].data["pending_document"]
    colleague = make_agent(town, "administrator")
    with django_capture_on_commit_callbacks(execute=True):
        colleague.client.post(NEW, {**FORM, "envoyer": "1", "pending_document": pending})
    (document,) = _documents(town)
    assert document.message is None  # still the first agent's draft
    with municipality_scope(town):
        message = TownMessage.objects.get()
    assert family.client.get(f"/messages/{message.pk}/document/").status_code == 404


def test_a_file_chosen_at_send_is_attached(
    town: Municipality, family: Family, agent: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = agent.client.post(NEW, {**FORM, "envoyer": "1", "document": pdf_file("MENU.pdf")})
    assert sent.status_code == 302
    (document,) = _documents(town)
    assert document.message is not None and document.filename == "MENU.pdf"
    assert family.client.get(f"/messages/{document.message.pk}/document/").status_code == 200


def test_no_recipient_keeps_no_file(town: Municipality, agent: Agent) -> None:
    empty = {**FORM, "audience": "class", "school_class": "Aucune"}
    counted = agent.client.post(NEW, {**empty, "compter": "1", "document": pdf_file()})
    assert "0 famille recevra ce message" in page_text(counted)
    refused = agent.client.post(NEW, {**empty, "envoyer": "1", "document": pdf_file()})
    assert refused.status_code == 200
    assert "Aucune famille ne correspond" in page_text(refused)
    assert _documents(town) == []
