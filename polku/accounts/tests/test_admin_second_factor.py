"""The administrator cannot read or replace anyone's TOTP secret (issue 16, finding 7).

django-otp's own admin showed each device's key and QR code and let the administrator
add a device for another user, taking over that user's second factor. Now the admin
lists who has a device and can only reset it, with a reason kept in the history.
"""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.audit.events import SECOND_FACTOR_RESET
from polku.audit.models import ChangeLogEntry

KEY = "3132333435363738393031323334353637383930"


@pytest.fixture
def administrator(organisation: Organisation) -> User:
    return UserFactory.create(
        username="paakayttaja",
        is_staff=True,
        is_superuser=True,
        memberships=[(organisation, Role.ADMINISTRATOR)],
    )


@pytest.fixture
def device(coach: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=coach, name="Polku", key=KEY, confirmed=True)


def test_admin_device_pages__never_show_the_key(administrator: User, device: TOTPDevice) -> None:
    http = logged_in(administrator)
    pages = [
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        f"/admin/otp_totp/totpdevice/{device.pk}/config/",
        f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
    ]

    answers = [http.get(page, follow=True) for page in pages]

    assert answers[0].status_code == answers[1].status_code == 200
    assert f"/totpdevice/{device.pk}/change/" in answers[0].content.decode()
    for answer in answers:
        assert KEY not in answer.content.decode()
        assert b"otpauth://" not in answer.content
        assert answer.get("Content-Type", "").startswith("text/html")  # no QR image


def test_admin__cannot_add_or_change_a_device_for_another_user(
    administrator: User, coach: User, device: TOTPDevice
) -> None:
    http = logged_in(administrator)
    thief_key = "00" * 20

    add = http.post(
        reverse("admin:otp_totp_totpdevice_add"),
        {"user": coach.pk, "name": "varas", "key": thief_key, "confirmed": "on"},
    )
    change = http.post(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        {"user": coach.pk, "name": "Polku", "key": thief_key, "confirmed": "on"},
    )

    assert add.status_code == 403
    assert change.status_code == 403
    assert list(TOTPDevice.objects.filter(user=coach).values_list("key", flat=True)) == [KEY]


def test_admin_reset__asks_a_reason_deletes_the_device_and_records_who_and_why(
    administrator: User, coach: User, device: TOTPDevice
) -> None:
    http = logged_in(administrator)
    changelist = reverse("admin:otp_totp_totpdevice_changelist")
    selected = {"action": "reset_second_factor", "_selected_action": [device.pk]}

    asked = http.post(changelist, selected)
    without_reason = http.post(changelist, {**selected, "apply": "1", "reason": " "})
    done = http.post(changelist, {**selected, "apply": "1", "reason": "Puhelin vaihtui"})

    assert asked.status_code == without_reason.status_code == 200
    assert "reason" in asked.content.decode()
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=coach).exists()
    entry = ChangeLogEntry.objects.get(event=SECOND_FACTOR_RESET.code)
    assert entry.actor == administrator
    assert entry.object_id == str(coach.pk)
    assert entry.changes["reason"] == [None, "Puhelin vaihtui"]
