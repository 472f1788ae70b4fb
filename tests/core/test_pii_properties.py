"""Properties of personal-data sealing that must hold for every value, not just the examples."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guanjia.core import pii

phones = st.from_regex(r"1[3-9]\d{9}", fullmatch=True)
id_bodies = st.from_regex(r"[1-6]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}", fullmatch=True)


@given(phones)
def test_a_sealed_phone_decrypts_to_itself_and_masks_its_middle(phone):
    sealed = pii.seal("phone", phone)
    assert pii.decrypt(sealed.ciphertext) == phone
    assert phone not in sealed.ciphertext
    assert sealed.masked == phone[:3] + "****" + phone[-4:]
    assert sealed.lookup == pii.lookup_hash("phone", f"{phone[:3]} {phone[3:7]}-{phone[7:]}")


@given(id_bodies)
def test_every_id_with_its_check_digit_is_valid_and_no_other_digit_is(body):
    number = body + pii.id_check_digit(body)
    assert pii.id_number_problem(number) is None
    wrong = next(c for c in "0123456789X" if c != number[-1])
    assert pii.id_number_problem(body + wrong) == "校验位不正确"
    assert pii.mask_id_number(number)[4:-4] == "*" * 10
