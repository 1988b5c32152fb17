"""Django's admin asks for the same second factor as the back office, and never shows a
device's secret: the TOTP key (hex or base32, or as a QR code) and the recovery codes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from espacefamille.accounts.models import SecondFactorThrottle, User
from espacefamille.accounts.two_factor import device_provision
from espacefamille.core.models import Municipality

from ..backoffice.helpers import make_agent, page_text, superuser_client, totp_code
from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser() -> User:
    user: User = UserFactory(email="technique@example.org", is_staff=True, is_superuser=True)
    return user


def _is_index(response: Any) -> bool:
    return response.status_code == 200 and "app-accounts" in response.content.decode()


def test_a_password_alone_gets_the_second_factor_form(superuser: User) -> None:
    device_provision(user=superuser)
    client = Client()
    client.force_login(superuser)  # signed in with a password, e.g. on the family portal
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    assert "code de vérification" in page_text(page)
    assert not _is_index(client.get("/admin/", follow=True))
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 302


def test_the_admin_sign_in_without_the_code_is_refused(superuser: User) -> None:
    device_provision(user=superuser)
    client = Client()
    response = client.post(LOGIN, {"username": superuser.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_password_and_code_open_the_admin(superuser: User) -> None:
    secrets = device_provision(user=superuser)
    client = Client()
    response = client.post(
        LOGIN + "?next=/admin/",
        {
            "username": superuser.email,
            "password": PASSWORD,
            "code": totp_code(secrets.secret),
            "next": "/admin/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert _is_index(client.get("/admin/"))


def test_a_wrong_admin_code_is_refused_and_counted(superuser: User) -> None:
    secrets = device_provision(user=superuser)
    right = totp_code(secrets.secret)
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    client = Client()
    response = client.post(
        LOGIN, {"username": superuser.email, "password": PASSWORD, "code": wrong}
    )
    assert response.status_code == 200
    assert "Code incorrect" in page_text(response)
    assert client.get("/admin/").status_code == 302
    assert SecondFactorThrottle.objects.get(user=superuser).failures == 1


def test_a_staff_member_who_is_no_superuser_is_refused(db: None) -> None:
    staff: User = UserFactory(is_staff=True)
    secrets = device_provision(user=staff)
    client = Client()
    response = client.post(
        LOGIN,
        {"username": staff.email, "password": PASSWORD, "code": totp_code(secrets.secret)},
    )
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_the_device_pages_show_no_secret(superuser: User, town: Municipality) -> None:
    agent = make_agent(town, "regie")
    secrets = device_provision(user=agent.user)
    totp = TOTPDevice.objects.get(user=agent.user)
    static = StaticDevice.objects.get(user=agent.user)
    client = superuser_client(superuser)
    pages = [
        f"/admin/otp_totp/totpdevice/{totp.pk}/change/",
        "/admin/otp_totp/totpdevice/",
        f"/admin/otp_static/staticdevice/{static.pk}/change/",
        "/admin/otp_static/staticdevice/",
    ]
    elsewhere = [  # django-otp's own pages of a device's key, as text and as a QR code
        f"/admin/otp_totp/totpdevice/{totp.pk}/config/",
        f"/admin/otp_totp/totpdevice/{totp.pk}/qrcode/",
    ]
    for url in pages + elsewhere:
        response = client.get(url, follow=True)
        text = response.content.decode(errors="replace")
        if url in pages:
            assert response.status_code == 200, url
            assert agent.user.email in page_text(response), url
        for secret in [totp.key, totp.key.upper(), secrets.secret, secrets.secret.lower()]:
            assert secret not in text, url
        assert not any(code in text for code in secrets.recovery_codes), url
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    assert client.get("/admin/otp_static/staticdevice/add/").status_code == 403


def test_the_demo_superuser_signs_in_with_the_published_secret(db: None) -> None:
    from espacefamille.demo import ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOTP_SECRET, load_demo

    load_demo(base_url="http://testserver")
    client = Client()
    response = client.post(
        LOGIN,
        {
            "username": ADMIN_EMAIL,
            "password": ADMIN_PASSWORD,
            "code": totp_code(ADMIN_TOTP_SECRET),
        },
    )
    assert response.status_code == 302
    assert _is_index(client.get("/admin/"))
