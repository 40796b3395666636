"""Webhook secrets: generated, encrypted at rest, and the signature every delivery carries."""

import hashlib
import hmac
import os
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from deskboard.config import get_settings

SECRET_PREFIX = "whsec_"
SIGNATURE_HEADER = "X-Deskboard-Signature"
DELIVERY_HEADER = "X-Deskboard-Delivery"
EVENT_HEADER = "X-Deskboard-Event"
_NONCE_BYTES = 12
# A distinct "info" keeps this key apart from anything else derived from the same secret key.
_HKDF_INFO = b"deskboard webhook secrets v1"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _key(info: bytes) -> bytes:
    secret_key = get_settings().resolved_secret_key.encode()
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info)
    return hkdf.derive(secret_key)


def encrypt_secret(secret: str, *, info: bytes = _HKDF_INFO) -> bytes:
    """Nonce + AES-256-GCM ciphertext of the secret, under the key derived for `info` (other
    stored secrets, e.g. mailbox passwords, pass their own so each use has its own key)."""
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(_key(info)).encrypt(nonce, secret.encode(), None)


def decrypt_secret(stored: bytes, *, info: bytes = _HKDF_INFO) -> str:
    """The secret back; raises cryptography's InvalidTag if the secret key changed."""
    nonce, ciphertext = stored[:_NONCE_BYTES], stored[_NONCE_BYTES:]
    return AESGCM(_key(info)).decrypt(nonce, ciphertext, None).decode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Deskboard-Signature value: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"
