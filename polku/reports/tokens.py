"""One-time link tokens: only this hash of a token is ever stored."""

import hashlib


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
