"""The keys of an encrypted ledger (SQLCipher 4 through sqlcipher3; db.sqlite.apply_key).

- The **data key** (32 bytes) encrypts the database, its write-ahead log and every backup. It is
  derived from the **recovery key** with HKDF-SHA256: the recovery key — 20 random bytes, printed at
  setup for the headmaster's safe — opens the database and any backup of it on any computer, with no
  other file.
- Each user's password **wraps** the data key (a slot): argon2id(password, salt) is the key of an
  AES-256-GCM encryption of the data key, bound to the user's name. A wrong password fails the GCM
  check before the database is touched: told apart from a damaged file, it never starts a restore.
- The **key file** beside the database (`ledger.sqlite3.keys`, JSON, not encrypted) holds the slots
  and a key check (HMAC-SHA256 of a fixed text under the data key): a data key that passes the check
  but does not open the database means the database is damaged.

No cryptography is made here: argon2-cffi, pyca/cryptography (AES-GCM, HKDF) and SQLCipher do it all.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from db.access import passwords
from db.access.detect import key_file
from db.errors import LedgerError

VERSION = 1
RECOVERY_BYTES = 20
_CHECK_TEXT = b"zhuxue-ledger key check v1"
_KEY_INFO = b"zhuxue-ledger data key v1"
_SLOT_AAD = b"zhuxue-ledger slot v1:"


class WrongPassword(LedgerError):
    def __init__(self, message: str = "用户名或密码错误") -> None:
        super().__init__(message)


class KeyFileMissing(LedgerError):
    pass


# ---- the recovery key -------------------------------------------------------------------------------
_B32 = str.maketrans({"0": "O", "1": "I", "8": "B", "-": None, " ": None})


def new_recovery_key() -> str:
    return format_recovery(secrets.token_bytes(RECOVERY_BYTES))


def format_recovery(raw: bytes) -> str:
    """Base32 of the 20 bytes and 2 check bytes, in groups of four: 9 groups, easy to type again."""
    text = base64.b32encode(raw + hashlib.sha256(raw).digest()[:2]).decode().rstrip("=")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def parse_recovery(text: str) -> bytes:
    """The 20 bytes of a typed recovery key; a typing mistake is caught by its check bytes."""
    clean = (text or "").upper().translate(_B32)
    try:
        data = base64.b32decode(clean + "=" * (-len(clean) % 8))
    except ValueError:
        raise WrongPassword("恢复密钥的格式不对：应为 9 组、每组 4 个字母或数字") from None
    raw, check = data[:RECOVERY_BYTES], data[RECOVERY_BYTES:]
    if len(raw) != RECOVERY_BYTES or hashlib.sha256(raw).digest()[:2] != check:
        raise WrongPassword("恢复密钥输入有误，请逐组核对（字母 O 与数字 0 等不必区分）")
    return raw


def data_key_from_recovery(text: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO)
    return hkdf.derive(parse_recovery(text))


def key_check(data_key: bytes) -> str:
    return hmac.new(data_key, _CHECK_TEXT, hashlib.sha256).hexdigest()


# ---- slots -------------------------------------------------------------------------------------------
def _kek(password: str, salt: bytes, t: int, m: int, p: int) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=t, memory_cost=m, parallelism=p,
                           hash_len=32, type=Type.ID)


def _aad(name: str) -> bytes:
    return _SLOT_AAD + name.strip().lower().encode("utf-8")


def make_slot(name: str, password: str, data_key: bytes) -> dict:
    salt, nonce = os.urandom(16), os.urandom(12)
    t, m, p = passwords.TIME_COST, passwords.MEMORY_KIB, passwords.PARALLELISM
    wrapped = AESGCM(_kek(password, salt, t, m, p)).encrypt(nonce, data_key, _aad(name))
    return {"kdf": "argon2id", "t": t, "m": m, "p": p, "salt": _b64(salt), "nonce": _b64(nonce),
            "wrapped": _b64(wrapped)}


def open_slot(name: str, slot: dict, password: str) -> bytes:
    """The data key, or WrongPassword."""
    try:
        kek = _kek(password, _unb64(slot["salt"]), int(slot["t"]), int(slot["m"]), int(slot["p"]))
        return AESGCM(kek).decrypt(_unb64(slot["nonce"]), _unb64(slot["wrapped"]), _aad(name))
    except (InvalidTag, KeyError, TypeError, ValueError):
        raise WrongPassword() from None


def slot_outdated(slot: dict) -> bool:
    return (slot.get("t"), slot.get("m"), slot.get("p")) != (
        passwords.TIME_COST, passwords.MEMORY_KIB, passwords.PARALLELISM)


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode(), validate=True)


# ---- the key file ------------------------------------------------------------------------------------
@dataclass
class KeyFile:
    check: str
    slots: dict[str, dict]

    @classmethod
    def new(cls, data_key: bytes) -> KeyFile:
        return cls(key_check(data_key), {})

    def matches(self, data_key: bytes) -> bool:
        return hmac.compare_digest(self.check, key_check(data_key))

    def unlock(self, name: str, password: str) -> bytes:
        """The data key for `name`'s password; WrongPassword for an unknown name or a wrong password."""
        slot = self.slots.get(name.strip().lower())
        if slot is None:
            _kek(password, bytes(16), passwords.TIME_COST, passwords.MEMORY_KIB, passwords.PARALLELISM)  # same time
            raise WrongPassword()
        key = open_slot(name, slot, password)
        if not self.matches(key):
            raise LedgerError("密钥文件与数据库不符（密钥校验没有通过），请用恢复密钥打开")
        return key

    def set_slot(self, name: str, password: str, data_key: bytes) -> None:
        self.slots[name.strip().lower()] = make_slot(name, password, data_key)

    def drop_slot(self, name: str) -> None:
        self.slots.pop(name.strip().lower(), None)

    def has_slot(self, name: str) -> bool:
        return name.strip().lower() in self.slots


def load(db_path: Path) -> KeyFile:
    path = key_file(db_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileMissing(f"数据库是加密的，但它旁边的密钥文件 {path.name} 不见了；"
                             "请用恢复密钥打开（登录窗口的“用恢复密钥…”；命令行 main.py user recover 用户名）") from None
    except (OSError, ValueError):
        raise KeyFileMissing(f"密钥文件 {path.name} 无法读取或已损坏；请用恢复密钥打开") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("slots"), dict):
        raise KeyFileMissing(f"密钥文件 {path.name} 的格式不对；请用恢复密钥打开")
    return KeyFile(str(data.get("check", "")), dict(data["slots"]))


def save(db_path: Path, kf: KeyFile) -> None:
    """Atomically: a temporary file, fsync, rename (a key file is never half written)."""
    target = key_file(db_path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"version": VERSION, "cipher": "sqlcipher4", "check": kf.check, "slots": kf.slots},
                      f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
