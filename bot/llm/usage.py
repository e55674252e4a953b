"""Token usage summaries for ``dispatch usage`` (and anyone else who asks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.store.llm import DayUsage, LLMRepo


@dataclass(frozen=True, slots=True)
class UsageReport:
    """Per day and model over a window, today's total and the daily budget."""

    days: int
    today: date
    rows: tuple[DayUsage, ...]
    used_today: int
    budget: int | None

    def lines(self, engine: str) -> list[str]:
        """The plain-text table ``dispatch usage`` prints (``engine``: what answers now)."""
        return usage_lines(self, engine)

    @property
    def remaining_today(self) -> int | None:
        """Tokens left under today's budget (None without a budget)."""
        return None if self.budget is None else max(0, self.budget - self.used_today)

    def totals(self) -> tuple[int, int, int]:
        """Calls, input tokens and output tokens over the window."""
        return (
            sum(r.calls for r in self.rows),
            sum(r.input_tokens for r in self.rows),
            sum(r.output_tokens for r in self.rows),
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``dispatch usage --json``."""
        calls, inp, out = self.totals()
        return {
            "days": self.days,
            "today": {
                "day": self.today.isoformat(),
                "tokens": self.used_today,
                "budget": self.budget,
                "remaining": self.remaining_today,
            },
            "usage": [
                {
                    "day": r.day.isoformat(),
                    "model": r.model,
                    "calls": r.calls,
                    "input_tokens": r.input_tokens,
                    "output_tokens": r.output_tokens,
                    "total_tokens": r.total,
                }
                for r in self.rows
            ],
            "totals": {
                "calls": calls,
                "input_tokens": inp,
                "output_tokens": out,
                "total_tokens": inp + out,
            },
        }


def usage_report(repo: LLMRepo, today: date, days: int, budget: int | None) -> UsageReport:
    """Usage of the last ``days`` days (today included)."""
    rows = tuple(repo.usage_since(today - timedelta(days=days - 1)))
    return UsageReport(days, today, rows, repo.tokens_on(today), budget)


def usage_lines(report: UsageReport, engine: str) -> list[str]:
    """The plain-text table ``dispatch usage`` prints."""
    window = "today" if report.days == 1 else f"the last {report.days} days"
    lines = [f"LLM token usage, {window} (UTC days) · engine: {engine}"]
    if not report.rows:
        lines.append(f"No LLM calls recorded in {window}.")
    else:
        lines.append(
            f"{'day':<11} {'model':<24} {'calls':>6} {'input':>11} {'output':>11} {'total':>11}"
        )
        for r in report.rows:
            lines.append(_row(r.day.isoformat(), r.model, r.calls, r.input_tokens, r.output_tokens))
        calls, inp, out = report.totals()
        lines.append(_row("total", "", calls, inp, out))
    if report.budget is None:
        lines.append(
            f"Today: {report.used_today:,} tokens (no daily budget set: DISPATCH_DAILY_TOKEN_BUDGET)."
        )
    else:
        lines.append(
            f"Today: {report.used_today:,} of {report.budget:,} tokens of the daily budget, "
            f"{report.remaining_today:,} left."
        )
    return lines


def _row(day: str, model: str, calls: int, inp: int, out: int) -> str:
    return f"{day:<11} {model:<24} {calls:>6,} {inp:>11,} {out:>11,} {inp + out:>11,}"
