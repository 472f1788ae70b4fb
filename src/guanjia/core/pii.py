"""Personal data (ID numbers, phone numbers): encrypted at rest, searchable by a keyed hash,
shown masked to roles that don't need the full value."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(master: str) -> tuple[Fernet, bytes]:
    raw = master.encode()
    # Two independent sub-keys so the lookup hash can't be used to attack the cipher key.
    enc = hmac.new(raw, b"guanjia-pii-encrypt", hashlib.sha256).digest()
    mac = hmac.new(raw, b"guanjia-pii-lookup", hashlib.sha256).digest()
    import base64

    return Fernet(base64.urlsafe_b64encode(enc)), mac


def _fernet() -> Fernet:
    return _keys(settings.PII_KEY)[0]


def normalise(kind: str, value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    return value.upper() if kind == "id_number" else value


def lookup_hash(kind: str, value: str) -> str:
    """Keyed hash of the normalised value: equal values find each other, nothing else leaks."""
    mac = _keys(settings.PII_KEY)[1]
    return hmac.new(mac, f"{kind}:{normalise(kind, value)}".encode(), hashlib.sha256).hexdigest()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def mask_phone(phone: str) -> str:
    phone = normalise("phone", phone)
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def mask_id_number(number: str) -> str:
    number = normalise("id_number", number)
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


MASKERS = {"phone": mask_phone, "id_number": mask_id_number}


@dataclass(frozen=True)
class Sealed:
    """What a Person stores for one personal-data field."""

    ciphertext: str
    lookup: str
    masked: str


def seal(kind: str, value: str) -> Sealed:
    value = normalise(kind, value)
    if not value:
        return Sealed("", "", "")
    return Sealed(encrypt(value), lookup_hash(kind, value), MASKERS[kind](value))


# --- validation (GB 11643-1999 citizen ID; mainland mobile and landline numbers) -------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}\d{7,8})$")


def id_number_problem(value: str) -> str | None:
    """None if the 18-digit citizen ID is well formed, else the problem in Chinese."""
    number = normalise("id_number", value)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "应为18位，前17位为数字，末位为数字或X"
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[-1]:
        return "校验位不正确"
    return None


def phone_problem(value: str) -> str | None:
    if not _PHONE_RE.match(normalise("phone", value)):
        return "应为11位手机号或带区号的固定电话"
    return None


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]
