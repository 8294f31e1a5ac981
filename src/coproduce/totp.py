"""Print the current six-digit code for a TOTP secret: ``uv run python -m coproduce.totp SECRET``.

For trying the demo without a phone; the demo prints each staff person's secret."""

from __future__ import annotations

import sys
import time

from coproduce.methods.totp import totp_code

if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: uv run python -m coproduce.totp BASE32_SECRET", file=sys.stderr)
        sys.exit(2)
    print(totp_code(sys.argv[1], time.time()))
