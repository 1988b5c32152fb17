"""Random single-use secrets: we send the raw value and keep only its SHA-256."""

from __future__ import annotations

import hashlib
import secrets

# Join codes avoid look-alike characters (0/O, 1/I) so a code read aloud on the phone works.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 10


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(value: str) -> str:
    return "".join(value.split()).replace("-", "").upper()
