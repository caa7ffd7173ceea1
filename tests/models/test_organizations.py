"""The BIN: 12 digits whose last one is a check digit."""
import pytest

from app.models import Organization, Sector, bin_check_digit, is_valid_bin
from tests.factories import make_organization, region


@pytest.mark.parametrize("bin_", ["170340001238", "050140004565", "991240007893"])
def test_valid_bins(bin_):
    assert is_valid_bin(bin_)


@pytest.mark.parametrize("bin_", [
    "170340001237",   # wrong check digit
    "17034000123",    # 11 digits
    "1703400012380",  # 13 digits
    "17034000123a",   # a letter
    "١٧٠٣٤٠٠٠١٢٣٨",   # Arabic-Indic digits are digits to Python, not to the tax office
    "",
    None,
])
def test_invalid_bins(bin_):
    assert not is_valid_bin(bin_)


def test_check_digit_uses_the_second_weights_when_the_first_give_ten():
    # Weighted with 1..11 this prefix sums to 10 (mod 11), so the 3..11,1,2 weights decide.
    prefix = "00000000010"
    assert sum(int(d) * w for d, w in zip(prefix, range(1, 12))) % 11 == 10
    assert bin_check_digit(prefix) == sum(int(d) * w for d, w in zip(prefix, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))) % 11


def test_an_organization_refuses_a_bad_bin(app):
    with pytest.raises(ValueError, match="invalid BIN"):
        Organization(name="ТОО «Ошибка»", sector=Sector.business, bin="123456789012")


def test_organization_keeps_kazakh_name_and_region(app, db):
    org = make_organization("Қазақ саңыраулар қоғамы", Sector.ngo, region=region("KZ-23"), bin="061040003334")
    db.session.expire_all()
    again = db.session.get(Organization, org.id)
    assert again.name == "Қазақ саңыраулар қоғамы"
    assert again.region.name_kk == "Атырау облысы"
    assert again.sector is Sector.ngo
