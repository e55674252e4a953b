"""What the extractive briefings say on the seeds, and how the service stores and serves them."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from bot.models import Briefing
from bot.topics.text import normalize

pytestmark = pytest.mark.backends

TAIL = [
    "pride flag",
    "Temple Mount",
    "Tehran",
    "fighter jets",
    "drug boats",
    "150 Ukrainian drones",
    "Punjab",
]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", normalize(text)).strip()


def texts(b: Briefing, kind: str | None = None) -> list[str]:
    return [st.text for st in b.statements if kind is None or st.kind == kind]


def assert_cited_verbatim(service, b: Briefing) -> None:  # type: ignore[no-untyped-def]
    for st in b.statements:
        assert st.citations
        for c in st.citations:
            source = service.store.sources.get(c.source_id)
            assert flat(c.quote) in flat(source.text)


def test_minerals_status_tells_the_collapse_and_the_resumed_talks(seeded) -> None:  # type: ignore[no-untyped-def]
    b = seeded.status("minerals-deal")
    now = " ".join(texts(b, "status"))
    assert "Leavitt said Wednesday" in now and "ready to sign the minerals deal" in now
    key = " ".join(texts(b, "development"))
    assert "fell apart after an Oval Office meeting" in key
    assert "Bessent said Sunday" in key
    assert b.as_of and b.as_of.isoformat() == "2025-03-05"
    assert_cited_verbatim(seeded, b)


def test_status_orders_newest_first_and_dates_relative_mentions(seeded) -> None:  # type: ignore[no-untyped-def]
    b = seeded.status("minerals-deal")
    devs = [st for st in b.statements if st.kind == "development"]
    assert [d.date for d in devs] == sorted((d.date for d in devs), reverse=True)
    bessent = next(st for st in b.statements if "Bessent" in st.text)
    assert bessent.date.isoformat() == "2025-03-02" and bessent.date_precision == "day"
    # the collapse, in either of the article's two wordings of it (one event)
    collapse = next(st for st in devs if "fell apart" in st.text or "devolved" in st.text)
    assert collapse.date_precision == "week" and collapse.date.isoformat() == "2025-02-24"


def test_nato_lines_belong_to_nato_not_minerals(seeded) -> None:  # type: ignore[no-untyped-def]
    timeline = seeded.timeline("minerals-deal", limit=100)
    minerals = " ".join(st.text for st in timeline.statements if st.related is None)
    assert "NATO" not in minerals  # a NATO line may be shown only labelled as the NATO topic's
    assert all(st.related == "nato-membership" for st in timeline.statements if "NATO" in st.text)
    nato = " ".join(texts(seeded.status("nato-membership")))
    assert "could forget about" in nato


def test_more_worthy_news_tail_reaches_no_topic(seeded) -> None:  # type: ignore[no-untyped-def]
    for topic in seeded.topic_list():
        for b in (seeded.status(topic.slug), seeded.timeline(topic.slug, limit=200)):
            body = " ".join(texts(b))
            assert not [t for t in TAIL if t in body], topic.slug
    for source in seeded.store.sources.all():
        assert not [t for t in TAIL if t in source.text]


def test_peacekeepers_reports_the_disagreement_without_pairing_one_article_with_itself(
    seeded,
) -> None:  # type: ignore[no-untyped-def]
    # Both sides come from one Worthy News article, and its Lavrov sentence reports the
    # disagreement by itself: a dispute is two sources contradicting each other, so none is shown,
    # but the contradiction is still told, cited, as one statement.
    b = seeded.status("peacekeepers")
    assert not [st for st in b.statements if st.kind == "disputed"]
    told = [st for st in b.statements if "contradicting Trump’s claims" in st.text]
    assert len(told) == 1 and told[0].kind in {"status", "development"}


def test_no_statement_repeats_another(seeded) -> None:  # type: ignore[no-untyped-def]
    for topic in seeded.topic_list():
        for b in (seeded.status(topic.slug), seeded.timeline(topic.slug)):
            assert len(set(texts(b))) == len(texts(b))
            assert_cited_verbatim(seeded, b)


def test_timeline_is_chronological_and_bounded(seeded) -> None:  # type: ignore[no-untyped-def]
    b = seeded.timeline("minerals-deal")
    dates = [st.date for st in b.statements]
    assert dates == sorted(dates) and len(dates) <= 30
    assert len(seeded.timeline("minerals-deal", limit=2).statements) == 2


def test_reads_come_from_the_store_not_a_recompute(seeded, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    seeded.status("minerals-deal")

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("recomputed on a read")

    monkeypatch.setattr("bot.topics.assign.assign_topics", boom)
    monkeypatch.setattr(seeded, "recompute", boom)
    assert seeded.status("minerals-deal").statements
    assert seeded.timeline("nato").statements
    assert seeded.topics()


def _article(folder: Path, name: str, date: str, outlet: str, body: str) -> Path:
    path = folder / name
    path.write_text(f" date {date} News from {outlet} on {date}\n\n{body}\n")
    (folder / f"{name}.meta.toml").write_text(f'outlet = "{outlet}"\n')
    return path


def test_digest_reports_only_what_was_first_seen_after_the_cutoff(
    seeded, seeds_dir: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    start = clock.now
    assert [b.topic.slug for b in seeded.digest(start - timedelta(minutes=1))]
    assert seeded.digest(start + timedelta(minutes=1)) == []
    clock.now = start + timedelta(hours=2)
    _article(
        seeds_dir,
        "010_signed.txt",
        "2025-04-30",
        "Kyiv Courier",
        "Ukraine and the United States signed the minerals deal in Washington on Wednesday. "
        "The agreement creates a joint fund for rare earth revenues, officials said.",
    )
    seeded.refresh()
    new = seeded.digest(start + timedelta(minutes=1))
    assert [b.topic.slug for b in new] == ["minerals-deal"]
    body = " ".join(texts(new[0]))
    assert "signed the minerals deal" in body and "Leavitt" not in body
    assert seeded.status("minerals-deal").as_of.isoformat() == "2025-04-30"


def test_same_report_from_two_outlets_is_one_development_citing_both(
    make_service, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "pair"
    folder.mkdir()
    shutil.copy(Path(__file__).resolve().parents[2] / "seeds" / "topics.toml", folder)
    _article(
        folder,
        "a.txt",
        "2025-04-30",
        "Outlet A",
        "Ukraine and the United States signed the long-awaited minerals deal in Washington on Wednesday after weeks of talks. "
        "Analysts in Kyiv expect the joint fund to attract foreign investors next year.",
    )
    _article(
        folder,
        "b.txt",
        "2025-05-01",
        "Outlet B",
        "Ukraine and the United States signed the long-awaited minerals deal in Washington on Wednesday after months of talks. "
        "Opposition lawmakers in Kyiv demanded that parliament see the full text of the agreement first.",
    )
    service = make_service(folder)
    service.refresh()
    devs = service.developments("minerals-deal")
    signed = [d for d in devs if "signed the long-awaited" in d.text]
    assert len(signed) == 1 and signed[0].outlets == 2 and len(signed[0].source_ids) == 2
    timeline = service.timeline("minerals-deal")
    entry = next(st for st in timeline.statements if "signed the long-awaited" in st.text)
    assert len(entry.citations) == 2 and entry.date.isoformat() == "2025-04-30"


def test_reads_serve_the_previous_result_while_a_recompute_is_pending(
    seeded, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from bot.ingest.pipeline import Ingestor

    before = seeded.status("minerals-deal")
    _article(
        seeds_dir,
        "011_signed.txt",
        "2025-04-30",
        "Kyiv Courier",
        "Ukraine and the United States signed the minerals deal in Washington on Wednesday. "
        "The agreement creates a joint fund for rare earth revenues, officials said.",
    )
    Ingestor(seeded.store, seeded.settings, seeded.clock).ingest_folders([seeds_dir])

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("a read recomputed")

    with monkeypatch.context() as patch:
        patch.setattr(seeded, "recompute", boom)
        assert seeded.status("minerals-deal") == before  # the bot's command does not wait
        assert seeded.topics() and seeded.sources("minerals")[1]
    seeded.refresh()
    assert seeded.status("minerals-deal").as_of.isoformat() == "2025-04-30"


def test_topic_sources_include_every_article_a_briefing_cites(seeded) -> None:  # type: ignore[no-untyped-def]
    for topic in seeded.topic_list():
        listed = {s.id for s, _ in seeded.sources(topic.slug)[1]}
        for b in (seeded.status(topic.slug), seeded.timeline(topic.slug)):
            assert {s.id for s in b.sources} <= listed, topic.slug
    counts = {t.topic.slug: t.sources for t in seeded.topics()}
    assert counts["us-aid"] == len(seeded.sources("us-aid")[1])


def test_editing_an_old_article_does_not_make_its_news_new_again(
    seeded, seeds_dir: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    path = seeds_dir / "002_cf0c328f16e4fc48.txt"
    clock.now += timedelta(days=1)
    cutoff = clock.now
    clock.now += timedelta(hours=1)
    path.write_text(
        path.read_text().replace("Oval Office meeting last week", "Oval Office meeting last week,")
        + "\nZelenskyy said on Wednesday that Ukraine would send a delegation to Washington to finish the minerals deal.\n"
    )
    seeded.refresh()
    new = seeded.digest(cutoff, ["minerals-deal"])
    body = " ".join(texts(new[0])) if new else ""
    assert "send a delegation to Washington" in body  # the added sentence is news
    assert "Leavitt" not in body and "Bessent" not in body  # the kept ones are not


def test_briefings_use_only_the_configured_folders(
    make_service, seeds_dir: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(seeds_dir / "topics.toml", other)
    _article(
        other,
        "x.txt",
        "2025-06-01",
        "Elsewhere",
        "Ukraine and the United States signed a side letter to the minerals deal in Kyiv on Sunday.",
    )
    both = make_service(seeds_dir, other)
    both.refresh()
    assert "side letter" in " ".join(texts(both.timeline("minerals-deal")))
    seeds_only = make_service(seeds_dir)  # the same database, one folder fewer
    seeds_only.refresh()
    assert "side letter" not in " ".join(texts(seeds_only.timeline("minerals-deal")))
    assert not seeds_only.ask("What side letter was signed in Kyiv?").statements
    assert seeds_only.store.sources.count() == 4  # nothing was deleted
