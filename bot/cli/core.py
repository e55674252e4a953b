"""Core `dispatch` subcommands: ingest, topics, status, timeline, digest, sources, ask."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.errors import UsageError
from bot.models import IngestReport
from bot.render import jsonout, text
from bot.service import DiskFull, Dispatch, StoreBusy


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the core subcommands."""

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_: str, *, json_: bool = True
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_, description=help_)
        if json_:
            p.add_argument("--json", action="store_true", help="print the public JSON object")
        p.set_defaults(handler=handler)
        return p

    p = add(
        "ingest",
        cmd_ingest,
        "read the corpus folders (and poll due feeds); report per file",
        json_=False,
    )
    p.add_argument("--force", action="store_true", help="poll every feed now, ignoring intervals")
    p = add(
        "recompute",
        cmd_recompute,
        "read the corpus folders and finish the exact recompute (after a quick update)",
        json_=False,
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="recompute and rebuild every topic, even those whose inputs are unchanged",
    )
    add("topics", cmd_topics, "list the known topics").add_argument(
        "--suggested", action="store_true", help="list the storylines discovery suggests instead"
    )
    add("status", cmd_status, "where a story stands, key developments, disputes").add_argument(
        "topic"
    )
    p = add("timeline", cmd_timeline, "a story's significant developments in date order")
    p.add_argument("topic")
    p.add_argument("--limit", type=_positive, default=None, help="at most N entries (default 30)")
    p = add("digest", cmd_digest, "developments first seen since a time, per topic")
    p.add_argument(
        "--since", type=_since, default=None, help="YYYY-MM-DD or ISO time (default: 24 hours ago)"
    )
    p.add_argument(
        "--topic", action="append", default=None, help="limit to this topic (repeatable)"
    )
    add("sources", cmd_sources, "the sources behind a topic").add_argument("topic")
    add("ask", cmd_ask, "answer a question from the corpus, with citations").add_argument(
        "question"
    )


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _since(value: str) -> datetime:
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected YYYY-MM-DD or an ISO time, got {value!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def service_for(args: argparse.Namespace) -> Dispatch:
    """The service, built once from settings."""
    from bot.cli import settings_from

    return Dispatch(settings_from(args))


def report_ingest(report: IngestReport, *, verbose: bool) -> None:
    """Per-file outcomes and a summary on stderr, so stdout stays clean for --json."""
    for o in report.outcomes:  # read commands keep stderr to the summary: no repeats per call
        if verbose and o.outcome != "unchanged":
            reason = f": {o.reason}" if o.reason else ""
            print(f"  {o.outcome:<11} {o.name}{reason}", file=sys.stderr)
    counts = {
        k: report.count(k)
        for k in (
            "added",
            "updated",
            "unchanged",
            "duplicate",
            "republished",
            "rejected",
            "removed",
        )
    }
    for notice in report.notices():
        print(f"ingest: {notice}", file=sys.stderr)
    if verbose or report.changed or counts["rejected"]:
        summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "nothing to ingest"
        hint = " (`dispatch ingest` says why)" if counts["rejected"] and not verbose else ""
        print(f"ingest: {summary}{hint}", file=sys.stderr)


def _fresh(args: argparse.Namespace) -> Dispatch:
    """The service with the corpus read, or with the stored results while another process writes."""
    service = service_for(args)
    progress = sys.stderr.isatty()
    try:
        report = service.refresh(progress=progress, wait=False, quick=True, exact=False)
    except StoreBusy:
        if service.has_results():
            print(
                f"dispatch: another dispatch process is updating {service.settings.db}; "
                "answering from the results stored before it started",
                file=sys.stderr,
            )
            return service
        _say_waiting(service)
        report = service.refresh(progress=progress, quick=True, exact=False)
    except DiskFull:
        if not service.has_results():
            raise
        print(
            f"dispatch: the disk holding {service.settings.db} is full: answering from the "
            "results stored before; free some space, then run `dispatch ingest`",
            file=sys.stderr,
        )
        return service
    report_ingest(report, verbose=False)
    if service.provisional():
        print(
            "dispatch: provisional results: new articles were placed by a quick update; "
            "`dispatch recompute` (or `dispatch ingest`) finishes the exact pass",
            file=sys.stderr,
        )
    return service


def _say_waiting(service: Dispatch) -> None:
    print(
        f"dispatch: waiting for another dispatch process to finish updating {service.settings.db}…",
        file=sys.stderr,
    )


def _emit(
    args: argparse.Namespace,
    service: Dispatch,
    payload: dict[str, Any],
    rendered: Callable[[], str],
) -> int:
    if getattr(args, "json", False):
        payload = {**payload, "provisional": service.provisional()}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(rendered())
    return 0


def _wait_for_writer(service: Dispatch) -> None:
    """Say so on stderr when another process is writing, before waiting for it."""
    try:
        with service.writer(wait=False):
            pass
    except StoreBusy:
        _say_waiting(service)


def cmd_ingest(args: argparse.Namespace) -> int:
    """`dispatch ingest`."""
    service = service_for(args)
    _wait_for_writer(service)
    report = service.ingest(progress=sys.stderr.isatty(), force=args.force)
    report_ingest(report, verbose=True)
    return 0


def cmd_recompute(args: argparse.Namespace) -> int:
    """`dispatch recompute`: ingest the folders, then finish the exact pass (``--full``: always)."""
    service = service_for(args)
    _wait_for_writer(service)
    report = service.refresh(progress=sys.stderr.isatty(), force=args.full)
    report_ingest(report, verbose=False)
    print(
        f"recompute: results are exact for corpus version {service.corpus_version()}",
        file=sys.stderr,
    )
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    """`dispatch topics` (``--suggested``: the discovered storylines)."""
    service = _fresh(args)
    if getattr(args, "suggested", False):
        from bot.cli.topics import cmd_suggested

        return cmd_suggested(args, service)
    summaries = service.topics()
    return _emit(
        args,
        service,
        {"topics": [jsonout.summary_to_dict(s) for s in summaries]},
        lambda: text.render_topics(summaries),
    )


def cmd_status(args: argparse.Namespace) -> int:
    """`dispatch status TOPIC`."""
    service = _fresh(args)
    b = service.status(args.topic)
    return _emit(args, service, jsonout.briefing_to_dict(b), lambda: text.render_briefing(b))


def cmd_timeline(args: argparse.Namespace) -> int:
    """`dispatch timeline TOPIC`."""
    service = _fresh(args)
    b = service.timeline(args.topic, args.limit)
    return _emit(args, service, jsonout.briefing_to_dict(b), lambda: text.render_briefing(b))


def cmd_digest(args: argparse.Namespace) -> int:
    """`dispatch digest`."""
    service = _fresh(args)
    since = args.since or service.clock() - timedelta(hours=24)
    briefings = service.digest(since, args.topic)
    payload = {
        "since": since.isoformat(),
        "topics": [jsonout.briefing_to_dict(b) for b in briefings],
    }
    return _emit(args, service, payload, lambda: text.render_digest(since, briefings))


def cmd_sources(args: argparse.Namespace) -> int:
    """`dispatch sources TOPIC`."""
    service = _fresh(args)
    topic, pairs = service.sources(args.topic)
    payload = {
        "topic": jsonout.topic_to_dict(topic),
        "sources": [
            {**jsonout.source_to_dict(i, s), "score": round(score, 3)}
            for i, (s, score) in enumerate(pairs, 1)
        ],
    }
    return _emit(args, service, payload, lambda: text.render_sources(topic.title, pairs))


def cmd_ask(args: argparse.Namespace) -> int:
    """`dispatch ask QUESTION`."""
    if not args.question.strip():
        raise UsageError("ask needs a question")
    service = _fresh(args)
    b = service.ask(args.question)
    return _emit(args, service, jsonout.briefing_to_dict(b), lambda: text.render_briefing(b))
