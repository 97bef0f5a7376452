"""Compare two built sites byte by byte: ``python -m tests.site.compare A B``."""

from __future__ import annotations

import sys
from pathlib import Path


def differences(first: Path, second: Path) -> list[str]:
    """Relative paths that are missing from one site or differ in bytes."""
    files_a = {p.relative_to(first) for p in first.rglob("*") if p.is_file()}
    files_b = {p.relative_to(second) for p in second.rglob("*") if p.is_file()}
    out = [f"only in one build: {p}" for p in sorted(files_a ^ files_b)]
    out += [
        f"differs: {p}"
        for p in sorted(files_a & files_b)
        if (first / p).read_bytes() != (second / p).read_bytes()
    ]
    return out


if __name__ == "__main__":
    found = differences(Path(sys.argv[1]), Path(sys.argv[2]))
    print("\n".join(found) or "the two builds are byte-identical")
    sys.exit(1 if found else 0)
