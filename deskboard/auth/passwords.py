"""The password policy of NIST SP 800-63B rev. 4: length, a blocklist, no composition rules.

- At least `password_min_length` characters (15 by default: rev. 4's minimum for a password used
  as the only factor), counted as Unicode code points after NFKC normalisation.
- At most MAX_LENGTH (rev. 4 asks to allow at least 64); spaces and every printable character
  are allowed; no "one digit, one symbol" rules, which push people to predictable patterns.
- Refused when it is on the common-password list shipped beside this module (see
  common-passwords.NOTICE: Django's list, BSD licence; nothing is fetched at run time), or when it
  contains context-specific words: the person's email (or its local part), their name, or
  'deskboard'.

The policy applies when a password is chosen (register, admin create/update, `create-user`);
existing passwords keep signing in whatever their length.
"""

import gzip
import unicodedata
from functools import lru_cache
from pathlib import Path

from deskboard.config import get_settings

MAX_LENGTH = 256
SERVICE_NAME = "deskboard"
# Shorter names and local parts ("al", "jo") are too common inside ordinary words to refuse.
MIN_CONTEXT_WORD = 3
_COMMON_LIST = Path(__file__).with_name("common-passwords.txt.gz")


def normalize(password: str) -> str:
    """Return the form that is measured and hashed (NFKC: one spelling per visible password)."""
    return unicodedata.normalize("NFKC", password)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(_COMMON_LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def password_problem(
    password: str, *, email: str | None = None, name: str | None = None
) -> str | None:
    """Return why a new password is refused (a phrase after "password"), or None when fine."""
    normalized = normalize(password)
    minimum = get_settings().password_min_length
    if len(normalized) < minimum:
        return f"must be at least {minimum} characters"
    if len(normalized) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    folded = normalized.casefold()
    if folded in common_passwords():
        return "is too common: it is on a list of passwords attackers try first"
    if SERVICE_NAME in folded:
        return f"must not contain the word '{SERVICE_NAME}'"
    if email:
        address = normalize(email).casefold()
        local = address.split("@", 1)[0]
        if address in folded or (len(local) >= MIN_CONTEXT_WORD and local in folded):
            return "must not contain your email address"
    if name:
        person = " ".join(normalize(name).casefold().split())
        if len(person) >= MIN_CONTEXT_WORD and person in folded:
            return "must not contain your name"
    return None


def check_new_password(password: str, *, email: str | None = None, name: str | None = None) -> str:
    """Return the password unchanged, or raise ValueError saying why it is refused."""
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise ValueError(f"password {problem}")
    return password
