"""``COPY --chmod`` and ``--chown`` as BuildKit applies them, on modes that may be known or not.

An octal ``--chmod`` sets the mode. A symbolic one (``+x``, ``u=rwx,go=rx``, ``a-w``) is applied like Go's
``mode.ParseWithUmask(spec, 0)`` to each source's own mode: where that mode is unknown, the bits the spec sets or
clears are still known, so ``--chmod=+x`` makes any file executable whatever it was.
"""

from __future__ import annotations

import re

_CLAUSE = re.compile(r"([ugoa]*)((?:[-+=][rwxXstugo]*)+)")
_OP = re.compile(r"([-+=])([rwxXstugo]*)")
_WHO_BITS = {"u": (0o400, 0o200, 0o100), "g": (0o040, 0o020, 0o010), "o": (0o004, 0o002, 0o001)}
_SPECIAL = {"u": 0o4000, "g": 0o2000, "o": 0}
_STICKY = 0o1000
_ALL = 0o7777


class ModeError(ValueError):
    pass


def parse_chmod(text: str) -> tuple[int | None, str | None]:
    """``--chmod`` as (octal mode, None) or (None, symbolic spec); ModeError when it is neither."""
    if re.fullmatch(r"[0-7]{1,4}", text):
        return int(text, 8), None
    if text and all(_CLAUSE.fullmatch(c) for c in text.split(",")):
        return None, text
    raise ModeError(f"invalid --chmod={text!r}: expected an octal mode like 755 or a symbolic one like u+x")


def apply_chmod(spec: str, mode: int | None, is_dir: bool) -> tuple[int | None, bool | None]:
    """A symbolic spec applied to ``mode`` (``None``: unknown): (the mode when every bit is known, else None;
    whether some execute bit is set, when that is known)."""
    bits: list[bool | None] = [None if mode is None else bool(mode & (1 << i)) for i in range(12)]

    def get(mask: int) -> bool | None:
        return bits[mask.bit_length() - 1]

    def set_(mask: int, value: bool | None) -> None:
        bits[mask.bit_length() - 1] = value

    for clause in spec.split(","):
        m = _CLAUSE.fullmatch(clause)
        if m is None:
            raise ModeError(f"invalid --chmod={spec!r}")
        who = m.group(1) or "a"
        targets = "ugo" if "a" in who else who
        for op, perms in _OP.findall(m.group(2)):
            any_x = [get(_WHO_BITS[w][2]) for w in "ugo"]
            x_known_set: bool | None = True if any(v is True for v in any_x) else (
                False if all(v is False for v in any_x) else None)
            for w in targets:
                r, wr, x = _WHO_BITS[w]
                want: dict[int, bool | None] = {}
                for p in perms:
                    if p == "r":
                        want[r] = True
                    elif p == "w":
                        want[wr] = True
                    elif p == "x":
                        want[x] = True
                    elif p == "X":
                        want[x] = True if is_dir else x_known_set
                    elif p == "s" and _SPECIAL[w]:
                        want[_SPECIAL[w]] = True
                    elif p == "t" and w == "o":
                        want[_STICKY] = True
                    elif p in "ugo":
                        src = _WHO_BITS[p]
                        for dst_bit, src_bit in zip((r, wr, x), src, strict=True):
                            want[dst_bit] = get(src_bit)
                if op == "=":
                    for b in (r, wr, x) + ((_SPECIAL[w],) if _SPECIAL[w] else ()) + ((_STICKY,) if w == "o" else ()):
                        set_(b, bool(want.get(b)) if want.get(b) is not None else (None if b in want else False))
                else:
                    for b, v in want.items():
                        if op == "+":
                            if v is True:
                                set_(b, True)
                            elif v is None and get(b) is not True:
                                set_(b, None)
                        else:
                            if v is True:
                                set_(b, False)
                            elif v is None and get(b) is not False:
                                set_(b, None)
    if all(b is not None for b in bits):
        out = sum(1 << i for i, b in enumerate(bits) if b)
        return out & _ALL, bool(out & 0o111)
    xs = [bits[(m).bit_length() - 1] for m in (0o100, 0o010, 0o001)]
    if any(v is True for v in xs):
        return None, True
    if all(v is False for v in xs):
        return None, False
    return None, None


def parse_chown(text: str) -> tuple[int | None, int | None]:
    """``--chown=user[:group]`` as numeric ids where they are numbers (names need the image's /etc/passwd:
    unknown)."""
    user, sep, group = text.partition(":")
    uid = int(user) if user.isdigit() else None
    if sep:
        gid = int(group) if group.isdigit() else None
    else:
        gid = uid
    return uid, gid
