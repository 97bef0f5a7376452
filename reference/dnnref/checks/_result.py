"""The result of a check: passed or not, the first failure, the slip.

It prints as a few lines in a terminal (``repr``) and as a small box in a
notebook (``_repr_html_``).
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

_GREEN, _RED = "#2da44e", "#e5534b"  # readable on light and dark themes


@dataclass(frozen=True, repr=False)
class CheckResult:
    """Outcome of one check: passed or not, and why.

    Attributes
    ----------
    name : str
        The reference function checked against, e.g. ``"adam_update"``.
    function : str
        The name of the function that was checked.
    passed : bool
        True when every case matched the reference.
    n_cases : int
        Number of cases run.
    n_failed : int
        Number of cases that failed.
    case : str or None
        The first failing case, in words.
    failure : str or None
        The first failing case: which case, how it was called with which
        inputs, and what went wrong (expected and actual shape or value,
        the largest error and where).  None when passed.
    mistake : str or None
        Name of the likely mistake, when the wrong output matches a known
        slip (or the failure says it plainly: no return value, an input
        modified in place, ...).
    hint : str or None
        One sentence on how to fix ``mistake``.
    """

    name: str
    function: str
    passed: bool
    n_cases: int
    n_failed: int = 0
    case: str | None = None
    failure: str | None = None
    mistake: str | None = None
    hint: str | None = None

    def __bool__(self) -> bool:
        return self.passed

    def _summary(self) -> str:
        reference = "the reference"
        if self.function != self.name:
            reference += f" {self.name}"
        if self.passed:
            return (
                f"{self.function} matches {reference} on {self.n_cases} cases."
            )
        return (
            f"{self.function} fails {self.n_failed} of {self.n_cases} cases "
            f"against {reference}."
        )

    def _lines(self) -> list[str]:
        lines = [] if self.failure is None else self.failure.splitlines()
        if self.mistake is not None:
            lines.append(f"Likely mistake: {self.mistake}. {self.hint or ''}")
        return lines

    def __repr__(self) -> str:
        head = "PASSED" if self.passed else "FAILED"
        lines = [f"{head}: {self._summary()}", *self._lines()]
        return "\n".join(
            textwrap.fill(
                line,
                width=79,
                initial_indent="" if k == 0 else "  ",
                subsequent_indent="    ",
                break_on_hyphens=False,
            )
            for k, line in enumerate(lines)
        )

    def _repr_html_(self) -> str:
        color = _GREEN if self.passed else _RED
        head = "PASSED" if self.passed else "FAILED"
        parts = [
            (
                f'<div style="border-left: 0.3em solid {color}; '
                "padding: 0.1em 0 0.1em 0.7em; margin: 0.4em 0; "
                'line-height: 1.5">'
            ),
            (
                f'<div><strong style="color: {color}">{head}</strong>: '
                f"{html.escape(self._summary())}</div>"
            ),
        ]
        for line in self._lines():
            if line.startswith("Likely mistake: ") and self.mistake:
                rest = line.removeprefix(f"Likely mistake: {self.mistake}")
                parts.append(
                    "<div>Likely mistake: "
                    f"<strong>{html.escape(self.mistake)}</strong>"
                    f"{html.escape(rest)}</div>"
                )
            else:
                parts.append(f"<div>{html.escape(line)}</div>")
        parts.append("</div>")
        return "\n".join(parts)
