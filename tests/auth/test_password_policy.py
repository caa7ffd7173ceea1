"""The password policy: long enough, not only digits or letters, not one of the most common passwords (the list
in app/auth/common_passwords.txt, Russian and Kazakh keyboard favourites included), and not the person's own
name or email."""
import pytest

from app.auth import services as accounts
from app.auth.services import AccountError, check_password_policy, common_passwords
from tests.factories import PASSWORD, make_user


def refused(password, **who) -> str:
    with pytest.raises(AccountError) as caught:
        check_password_policy(password, **who)
    assert caught.value.field == "password"
    return caught.value.message


def test_the_list_is_a_few_hundred_passwords_with_local_favourites(app):
    listed = common_passwords()
    assert len(listed) >= 300
    assert {"qwerty123", "йцукен", "12345678a", "пароль123", "1q2w3e4r", "qazwsx"} <= listed


@pytest.mark.parametrize("password", ["qwerty123", "QWERTY123", "12345678a", "1q2w3e4r5t", "p@ssw0rd",
                                      "йцукен123", "Пароль123", "password2026!", "Qwerty!!2025", "zaq12wsx",
                                      "kazakhstan2026", "Қазақстан123"])
def test_common_passwords_are_refused(app, password):
    assert "most common" in refused(password)


@pytest.mark.parametrize("password, who", [
    ("dariga.2026!", {"email": "Dariga@example.kz"}),
    ("my-seitkali-7", {"email": "a.seitkali@example.kz"}),
    ("Гүлшара-1990", {"full_name": "Әбдіқалықова Гүлшара"}),
    ("7-ӘБДІҚАЛЫҚОВА", {"full_name": "Әбдіқалықова Гүлшара"}),
    ("serikov*2026", {"email": "x@example.kz", "full_name": "Nurlan Serikov"}),
])
def test_a_password_with_the_persons_name_or_email_is_refused(app, password, who):
    assert "name or your email" in refused(password, **who)


def test_the_existing_rules_still_hold(app):
    assert "at least 8" in refused("a1b2c3")
    assert "digit or symbol" in refused("onlyletters")
    assert "digit or symbol" in refused("1234567890123")


@pytest.mark.parametrize("password, who", [
    (PASSWORD, {"email": "user1@example.kz", "full_name": "Test User"}),
    ("Жаңа-құпия-сөз-7", {"email": "li@example.kz", "full_name": "Ли Ан"}),  # two-letter names are not parts
    ("tulpar-steppe-42", {}),
])
def test_good_passwords_pass(app, password, who):
    check_password_policy(password, **who)


def test_signup_and_password_change_apply_the_whole_policy(client, login, count):
    from app.models import User

    response = client.post("/auth/signup", data={"full_name": "Aigerim Nurlanova", "email": "aigerim@example.kz",
                                                 "password": "nurlanova-2026", "language": "en",
                                                 "confirm": "nurlanova-2026"})
    assert response.status_code in (200, 422)
    assert "name or your email" in response.get_data(as_text=True)
    assert count(User) == 0
    with pytest.raises(AccountError):
        accounts.create_user("someone@example.kz", "qwerty123", "Someone")
    user = login(make_user("dana@example.kz", full_name="Dana Bek"))
    with pytest.raises(AccountError):
        accounts.change_password(user, PASSWORD, "qwerty12345")
    with pytest.raises(AccountError):
        accounts.change_password(user, PASSWORD, "dana-2026-x")
    accounts.change_password(user, PASSWORD, "steppe-wind-2026")
