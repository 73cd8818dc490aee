"""Password hashes (argon2id through argon2-cffi) and the password policy.

The hash of every user's password is kept in the user table (inside the encrypted database): it
answers the lock screen and "switch user" while the ledger is open. A hash made with older
parameters is replaced at the next successful login (`needs_rehash`). The policy is a setting of
the database (db.access.service: a minimum length, default 8) and a password may not be, or
contain, the user's name.
"""
from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# RFC 9106's second recommended profile (argon2-cffi's default): 64 MiB, 3 passes, 4 lanes —
# about 0.1 s on an old office PC's CPU, and memory a 4 GB PC has to spare.
TIME_COST, MEMORY_KIB, PARALLELISM = 3, 65536, 4
DEFAULT_MIN_LENGTH = 8
MIN_LENGTH_FLOOR, MIN_LENGTH_CEILING = 6, 32


def hasher() -> PasswordHasher:
    """Built at each call so that a change of the parameters (tests, a later release) takes effect."""
    return PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM, type=Type.ID)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify(stored: str, password: str) -> bool:
    try:
        return hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    try:
        return hasher().check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


def policy_problem(name: str, password: str, min_length: int = DEFAULT_MIN_LENGTH) -> str | None:
    """Why `password` is refused (Chinese), or None."""
    if len(password) < min_length:
        return f"密码至少要 {min_length} 位"
    if password != password.strip():
        return "密码的开头和结尾不能是空格"
    low, user = password.lower(), name.strip().lower()
    if user and (low == user or user in low):
        return "密码不能是用户名，也不能包含用户名"
    if len(set(password)) < 3:
        return "密码太简单（至少要有 3 个不同的字符）"
    return None
