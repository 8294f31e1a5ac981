"""Time-based one-time passwords (RFC 6238) with the parameters authenticator apps use."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct


def totp_code(secret_base32: str, at_unix_time: float, *, period: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows for ``secret_base32`` at ``at_unix_time``.

    >>> totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59, digits=8)
    '94287082'
    """
    padded = secret_base32.upper() + "=" * (-len(secret_base32) % 8)
    key = base64.b32decode(padded)
    counter = int(at_unix_time // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % (10**digits)).zfill(digits)
