"""The event-level reader on a fictional merger story (tests/fixtures/story): one heavy burst of
coverage, thinly covered later events reported in different words by several outlets, a recap."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

STORY = Path(__file__).resolve().parents[1] / "fixtures" / "story"
BURST = (date(2025, 2, 3), date(2025, 2, 6))
LATER = {  # the thinly covered turning points after the burst
    date(2025, 3, 18): "sued",
    date(2025, 4, 22): "ruled",
    date(2025, 5, 6): "shareholders approved",
    date(2025, 6, 2): "completed",
}


@pytest.fixture
def story(make_service: Any, tmp_path: Path) -> Any:
    folder = tmp_path / "story"
    shutil.copytree(STORY, folder)
    service = make_service(folder)
    service.refresh()
    return service


def _story_with(make_service: Any, tmp_path: Path, name: str, page: str) -> Any:
    """A service over the story plus one more page, ingested."""
    folder = tmp_path / "story"
    shutil.copytree(STORY, folder)
    (folder / name).write_text(page)
    service = make_service(folder)
    service.refresh()
    return service


def test_later_events_all_appear_and_the_burst_gets_only_its_share(story: Any) -> None:
    timeline = story.timeline("rail-merger", limit=6)
    dates = [st.date for st in timeline.statements]
    for day, word in LATER.items():
        assert any(st.date == day and word in st.text for st in timeline.statements), (day, word)
    burst = [d for d in dates if d and BURST[0] <= d <= BURST[1]]
    assert 1 <= len(burst) <= 1  # ten articles in four days: one line, not the whole timeline


def test_paraphrases_from_three_outlets_are_one_development(story: Any) -> None:
    devs = story.developments("rail-merger")
    [suit] = [d for d in devs if "Attorneys general from six states sued" in d.text]
    assert suit.outlets == 3 and suit.articles == 3
    assert suit.date == date(2025, 3, 18)
    quoted = {s.text for s in suit.sentences}
    assert any(t.startswith("Six states sued Northwind Rail") for t in quoted)
    assert any(t.startswith("Six state attorneys general filed a lawsuit") for t in quoted)
    timeline = story.timeline("rail-merger")
    [line] = [st for st in timeline.statements if st.text == suit.text]
    assert line.corroboration == 3 and len(line.citations) == 3


def test_an_agreement_and_its_later_approval_stay_two_events(story: Any) -> None:
    devs = story.developments("rail-merger")
    deal = [d for d in devs if "agreed on Tuesday to buy" in " ".join(s.text for s in d.sentences)]
    vote = [d for d in devs if "shareholders approved" in " ".join(s.text for s in d.sentences)]
    assert len(deal) == 1 and len(vote) == 1 and deal[0].id != vote[0].id
    assert deal[0].date == date(2025, 1, 14) and vote[0].date == date(2025, 5, 6)


def test_a_recap_in_a_new_article_is_never_news(story: Any) -> None:
    recap = "The deal, first announced in January, was previously approved"
    devs = story.developments("rail-merger")
    [dev] = [d for d in devs if any(s.text.startswith(recap) for s in d.sentences)]
    assert dev.date != date(2025, 6, 10)  # never dated by the page that repeats it
    timeline = story.timeline("rail-merger")
    assert not any(
        st.text.startswith(recap) and st.date == date(2025, 6, 10) for st in timeline.statements
    )
    status = story.status("rail-merger")
    assert not any(st.text.startswith(recap) for st in status.statements if st.kind == "status")
    since = max(s.first_seen for s in story.store.sources.all()) - timedelta(seconds=1)
    for b in story.digest(since=since - timedelta(days=1)):
        assert not any(st.text.startswith(recap) for st in b.statements)


def test_statements_stand_alone(story: Any) -> None:
    for st in story.timeline("rail-merger").statements:
        assert re.search(r"[.!?][\"”’]?$", st.text) and st.text[0].isupper(), st.text
        assert not st.text.endswith("?")


STRIPPED = ["02-wire-deal", "05-times-review", "12-wire-suit", "15-weekly-ruling",
            "18-wire-close", "07-post-review"]  # fmt: skip


def test_undated_pages_are_dated_from_similar_dated_pages(
    make_service: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "story"
    shutil.copytree(STORY, folder)
    truth = {}
    for name in STRIPPED:
        path = folder / f"{name}.txt"
        text = path.read_text()
        truth[name] = date.fromisoformat(re.search(r"^date: (\S+)$", text, re.M).group(1))  # type: ignore[union-attr]
        path.write_text(re.sub(r"^date: \S+\n", "", text, flags=re.M))
    service = make_service(folder)
    service.refresh()
    estimated = {}
    timeline = service.timeline("rail-merger")
    for s in timeline.sources:
        name = Path(s.path).stem
        if name in truth:
            assert s.published_estimated and s.published is not None
            estimated[name] = s.published
    close = [n for n, d in estimated.items() if abs((d - truth[n]).days) <= 3]
    assert len(close) >= 2 * len(STRIPPED) / 3, estimated
    assert all(st.date is not None for st in timeline.statements)  # nothing left "undated"
    status = service.status("rail-merger")
    assert all(st.date is not None for st in status.statements)
    shorter = service.timeline("rail-merger", limit=8)  # built from the stored developments
    assert any(s.published_estimated for s in shorter.sources if Path(s.path).stem in truth)


def test_a_neighbouring_topics_development_reported_here_is_shown_as_related(
    make_service: Any, tmp_path: Path
) -> None:
    service = _story_with(
        make_service,
        tmp_path,
        "21-post-fares.txt",
        "---\ntitle: Shippers eye the merged railroad\noutlet: Valley Post\ndate: 2025-03-05\n---\n"
        "Shippers said the Contoso Freight merger would give them fewer choices.\n"
        "Eastline Rail raised its passenger fares by 6 percent on Tuesday, the company said.\n"
        "Contoso Freight customers said they would watch the Northwind Rail merger closely.\n",
    )
    fares = service.developments("fares")
    [rise] = [d for d in fares if "raised its passenger fares" in d.text]
    assert rise.outlets == 2 and rise.related is None
    timeline = service.timeline("rail-merger")
    related = [st for st in timeline.statements if st.related]
    assert [st.related for st in related] == ["fares"]
    assert "raised its passenger fares" in related[0].text
    assert not any(st.related for st in service.timeline("fares").statements)
    for b in service.digest(since=service.clock() - timedelta(days=3650)):
        if b.topic and b.topic.slug == "rail-merger":
            assert not any("passenger fares" in st.text for st in b.statements)


def test_a_plan_is_dated_when_it_was_reported_not_when_it_is_due(
    make_service: Any, tmp_path: Path
) -> None:
    service = _story_with(
        make_service,
        tmp_path,
        "22-post-plan.txt",
        "---\ntitle: Northwind sets a date\noutlet: Valley Post\ndate: 2025-06-04\n---\n"
        "The new Alder Bay terminal of the merged Contoso Freight network opens on "
        "July 21, 2025, Northwind Rail said.\n",
    )
    [plan] = [d for d in service.developments("rail-merger") if "Alder Bay terminal" in d.text]
    # the page announces it on June 4; on July 21 it is still only due
    assert plan.date == date(2025, 6, 4)


def test_a_passing_mention_in_another_story_is_not_this_storys_news(
    make_service: Any, tmp_path: Path
) -> None:
    service = _story_with(
        make_service,
        tmp_path,
        "23-herald-fares.txt",
        "---\ntitle: Eastline fares rise again\noutlet: City Herald\ndate: 2025-05-20\n---\n"
        "Eastline Rail raised its passenger fares by 4 percent on Tuesday.\n"
        "Commuters said the rise would hurt workers who rely on the trains.\n"
        "Analysts said the Contoso Freight deal had made rail stocks popular with investors.\n",
    )
    texts = [s.text for d in service.developments("rail-merger") for s in d.sentences]
    assert not any("popular with investors" in t for t in texts)


def test_a_report_that_points_back_is_shown_with_the_sentence_it_leans_on(
    make_service: Any, tmp_path: Path
) -> None:
    service = _story_with(
        make_service,
        tmp_path,
        "24-post-union.txt",
        "---\ntitle: Rail union speaks out\noutlet: Valley Post\ndate: 2025-06-20\n---\n"
        "Rail union president Dana Okafor spoke to members in Denver on Monday.\n"
        "She said the union would strike at every Contoso Freight depot from July 1.\n",
    )
    [strike] = [d for d in service.developments("rail-merger") if "would strike" in d.text]
    assert strike.sentences[0].context.startswith("Rail union president Dana Okafor spoke")
    status = service.timeline("rail-merger", limit=100)
    [line] = [st for st in status.statements if "would strike" in st.text]
    assert "Dana Okafor" in line.text and "Dana Okafor" in line.citations[0].quote


def test_an_approval_and_a_block_are_never_one_event(make_service: Any, tmp_path: Path) -> None:
    service = _story_with(
        make_service,
        tmp_path,
        "25-weekly-vote.txt",
        "---\ntitle: A misreported vote\noutlet: Freight Weekly\ndate: 2025-05-06\n---\n"
        "Contoso Freight shareholders blocked the $4.2 billion agreement with Northwind Rail on "
        "Tuesday, with 91 percent of votes cast against it.\n",
    )
    devs = service.developments("rail-merger")
    [blocked] = [d for d in devs if any("shareholders blocked" in s.text for s in d.sentences)]
    [approved] = [d for d in devs if any("shareholders approved" in s.text for s in d.sentences)]
    assert blocked is not approved  # the same words, the same day, opposite news: two events


def test_an_undated_page_that_pins_its_own_date_is_dated_by_it(
    make_service: Any, tmp_path: Path
) -> None:
    service = _story_with(
        make_service,
        tmp_path,
        "26-undated-train.txt",
        "---\ntitle: First through train\noutlet: Rail Journal\n---\n"
        "The merged Northwind Rail network ran its first through train from Alder Bay on "
        "Sunday (June 22), carrying Contoso Freight containers.\n"
        "Northwind Rail said on June 20 that Contoso Freight crews had finished retraining.\n",
    )
    page = next(s for s in service.store.sources.all() if s.title == "First through train")
    assert page.published is None  # the page itself has no date
    devs = service.developments("rail-merger")
    [train] = [d for d in devs if any("first through train" in s.text for s in d.sentences)]
    [crews] = [d for d in devs if any("finished retraining" in s.text for s in d.sentences)]
    assert train.date == date(2025, 6, 22) and train.date_estimated
    assert crews.date == date(2025, 6, 20)  # "June 20" resolved in the pinned page's year
    timeline = service.timeline("rail-merger", limit=100)
    [src] = [s for s in timeline.sources if s.title == "First through train"]
    assert src.published == date(2025, 6, 22) and src.published_estimated


@pytest.mark.parametrize(
    ("line", "leads"),
    [
        (
            "Northwind Rail has officially closed its purchase of the Contoso Freight repair yards, "
            "the company said on Friday.",
            True,
        ),
        (
            "“Northwind's hold on Contoso Freight customers is complete,” a shipper declared on "
            "Friday.",
            False,
        ),  # "complete" as a description is no ending
    ],
)
def test_a_told_ending_leads_the_status_before_a_second_outlet_repeats_it(
    make_service: Any, tmp_path: Path, line: str, leads: bool
) -> None:
    service = _story_with(
        make_service,
        tmp_path,
        "27-post-yards.txt",
        f"---\ntitle: Repair yards change hands\noutlet: Valley Post\ndate: 2025-06-27\n---\n{line}\n",
    )
    first = service.status("rail-merger").statements[0]
    assert (line.split(",")[0].strip("“") in first.text) is leads


def test_the_timeline_shows_the_ending_the_status_leads_with(
    make_service: Any, tmp_path: Path
) -> None:
    service = _story_with(
        make_service,
        tmp_path,
        "28-post-yards.txt",
        "---\ntitle: Repair yards change hands\noutlet: Valley Post\ndate: 2025-06-27\n---\n"
        "A federal judge in Alder Bay ruled on Friday that Northwind Rail must pay $3 million in "
        "fines to Contoso Freight shippers over the merger, the court said.\n"
        "Separately, Northwind Rail has officially closed its purchase of the Contoso Freight "
        "repair yards.\n",
    )
    lead = service.status("rail-merger").statements[0]
    assert "officially closed" in lead.text
    day = [st.text for st in service.timeline("rail-merger").statements if st.date == lead.date]
    assert day[0] == lead.text


def test_a_weekday_the_page_got_wrong_pins_no_stray_year() -> None:
    """ "Saturday, May 22" in a 2022 story: 22 May 2022 was a Sunday, and 2021 is outside the
    corpus's dates, so the page stays undated (to be estimated) rather than dated a year early."""
    from bot.digest.dating import pin_dates
    from bot.models import Sentence, Source

    text = "On Saturday, May 22, Belgium introduced a 21-day quarantine."
    sources = {
        "a": Source("a", "t", "x", published=date(2022, 5, 18)),
        "b": Source("b", "t", "x", published=date(2023, 5, 11)),
        "u": Source("u", "t", text),
        "v": Source("v", "t", "Sunday (Dec. 11) saw the splashdown."),
    }
    sentences = {sid: [Sentence(sid, 0, 0, len(s.text), s.text)] for sid, s in sources.items()}
    assert pin_dates(sources, sentences) == {"v": date(2022, 12, 11)}


def test_an_estimated_pages_yearless_date_just_after_the_estimate_is_that_year() -> None:
    """An estimate is a lower bound: a page estimated June 14 that says "said June 25" wrote of
    this June 25, not last year's; a date far after the estimate is still last year's."""
    from bot.digest.dating import redate
    from bot.models import Sentence

    texts = [
        "The outbreak is not an emergency at this time, the agency said June 25.",
        "The agency said on October 30 that the outbreak was over.",
    ]
    out = redate([Sentence("u", i, 0, len(t), t) for i, t in enumerate(texts)], date(2022, 6, 14))
    assert [s.date for s in out] == [date(2022, 6, 25), date(2021, 10, 30)]


def _pages(texts: dict[str, tuple[str, date | None]]) -> tuple[dict[str, Any], dict[str, Any]]:
    from bot.models import Sentence, Source

    sources = {sid: Source(sid, "t", text, published=when) for sid, (text, when) in texts.items()}
    sentences = {}
    for sid, (text, _) in texts.items():
        parts = [p.strip() + "." for p in text.split(".") if p.strip()]
        sentences[sid] = [Sentence(sid, i, 0, len(p), p) for i, p in enumerate(parts)]
    return sources, sentences


def test_a_page_is_estimated_by_the_full_date_it_writes_before_its_nearest_page() -> None:
    """A page that writes "June 14, 2022" in full reports that day's news; a more similar page
    published a month later (the same words, a later stage of the story) does not move it."""
    from bot.digest.dating import estimate_dates
    from bot.models import Sentence

    sources, sentences = _pages(
        {
            "later": (
                "The agency convened its emergency committee on the outbreak. Experts met "
                "in Geneva to weigh the outbreak",
                date(2022, 7, 14),
            ),
            "other": ("Rocket engineers fixed a leak on the launch pad", date(2022, 6, 1)),
            "undated": (
                "The agency convened its emergency committee on the outbreak. Experts "
                "met in Geneva to weigh the outbreak",
                None,
            ),
        }
    )
    text = "The agency said on June 14, 2022 that it would convene the committee."
    sentences["undated"].append(
        Sentence("undated", 9, 0, len(text), text, date(2022, 6, 14), "day")
    )
    members = set(sources)
    assert estimate_dates(sources, sentences, members) == {"undated": date(2022, 6, 14)}


def test_a_full_date_from_before_the_story_does_not_date_a_page() -> None:
    """A page's only full date may be background ("founded on March 3, 2019"): a day well
    before the story's first dated page is not when the page was written; its nearest dated page
    dates it instead."""
    from bot.digest.dating import estimate_dates
    from bot.models import Sentence

    sources, sentences = _pages(
        {
            "near": (
                "The agency convened its emergency committee on the outbreak. Experts met "
                "in Geneva to weigh the outbreak",
                date(2022, 7, 14),
            ),
            "first": (
                "Health officials confirmed the first case of the outbreak",
                date(2022, 5, 7),
            ),
            "undated": (
                "The agency convened its emergency committee on the outbreak. Experts "
                "met in Geneva to weigh the outbreak",
                None,
            ),
        }
    )
    text = "The agency was founded on March 3, 2019 in Geneva."
    sentences["undated"].append(Sentence("undated", 9, 0, len(text), text, date(2019, 3, 3), "day"))
    assert estimate_dates(sources, sentences, set(sources)) == {"undated": date(2022, 7, 14)}


def test_words_of_one_page_only_do_not_hide_its_nearest_dated_page() -> None:
    """A page full of words no other page uses (names, figures, quotes) still shares its event's
    words with the dated page of that day, and takes its date."""
    from bot.digest.dating import estimate_dates

    unique = " ".join(f"Zorblat{i} quoth Vexmire{i} upon Quillon{i}." for i in range(40))
    sources, sentences = _pages(
        {
            "day": (
                "Belgium imposed a mandatory quarantine for infected patients. The quarantine "
                "lasts 21 days",
                date(2022, 5, 20),
            ),
            "other": (
                "The rocket rolled out to the launch pad for a fuelling test",
                date(2022, 9, 3),
            ),
            "third": (
                "Engineers replaced a seal on the rocket before the fuelling test",
                date(2022, 9, 20),
            ),
            "undated": (
                "Belgium imposed a mandatory quarantine for infected patients. " + unique,
                None,
            ),
        }
    )
    assert estimate_dates(sources, sentences, set(sources)) == {"undated": date(2022, 5, 20)}


def test_a_background_line_joining_a_later_event_does_not_date_a_page_late(
    make_service: Any, tmp_path: Path
) -> None:
    """An undated report of the lawsuit that also says what the merged company will be called
    (a line alike the completion's, months later) is dated by its news, not by that line."""
    folder = tmp_path / "story"
    shutil.copytree(STORY, folder)
    (folder / "21-courier-suit.txt").write_text(
        "---\ntitle: States go to court over rail merger\noutlet: Coast Courier\n---\n"
        "Attorneys general from six states sued to block Northwind Rail's takeover of Contoso "
        "Freight, saying the merger would raise shipping prices for farmers and small "
        "businesses.\nThe combined company would operate under the Northwind name.\n"
    )
    service = make_service(folder)
    service.refresh()
    [page] = [s for s in service.timeline("rail-merger").sources if s.outlet == "Coast Courier"]
    assert page.published_estimated and page.published is not None
    assert abs((page.published - date(2025, 3, 18)).days) <= 3, page.published


def test_a_newly_dated_pages_background_line_leaves_an_event_after_the_page(
    make_service: Any, tmp_path: Path
) -> None:
    """Clustered without a date, the lawsuit page's "the combined company would operate under
    the Northwind name" joins the completion's line months later and stands for it; once the
    page is dated (about the lawsuit) it cannot tell of that, so it leaves: the completion's line
    is the Ledger's alone again, and the page's line is dated with its page."""
    service = _story_with(
        make_service,
        tmp_path,
        "21-courier-suit.txt",
        "---\ntitle: States go to court over rail merger\noutlet: Coast Courier\n---\n"
        "Attorneys general from six states sued to block Northwind Rail's takeover of Contoso "
        "Freight, saying the merger would raise shipping prices for farmers and small "
        "businesses.\nThe combined company would operate under the Northwind name.\n",
    )
    devs = service.developments("rail-merger")
    named = [d for d in devs if any("Northwind name" in s.text for s in d.sentences)]
    [ledger] = [d for d in named if any("will operate" in s.text for s in d.sentences)]
    assert ledger.date == date(2025, 6, 2) and ledger.outlets == 1
    assert ledger.text == "The combined company will operate under the Northwind name."
    [courier] = [d for d in named if any("would operate" in s.text for s in d.sentences)]
    assert courier is not ledger and courier.date is not None
    assert abs((courier.date - date(2025, 3, 18)).days) <= 3, courier.date


def test_a_yearless_day_dates_a_page_nothing_else_dates() -> None:
    """ "On Saturday, May 22" (a weekday the page got wrong) in a story of May 2022 to May 2023,
    with a stray page of 2024: May 22 is 2022's, where the story's pages are; a day still to come
    dates nothing, nor a day no dated page is near in any year."""
    from bot.digest.dating import written_days
    from bot.models import Sentence, Source

    pages = {
        "a": ("Portugal confirmed five cases.", date(2022, 5, 18)),
        "b": ("Spain confirmed seven cases.", date(2022, 5, 20)),
        "c": ("The emergency is over.", date(2023, 5, 11)),
        "d": ("A stray page.", date(2024, 5, 30)),
        "u": ("On Saturday, May 22, Belgium introduced a 21-day quarantine.", None),
        "w": ("The committee will meet on June 23.", None),
        "t": ("The agency said on December 1 that cases fell.", None),
    }
    sources = {sid: Source(sid, "t", text, published=when) for sid, (text, when) in pages.items()}
    sentences = {sid: [Sentence(sid, 0, 0, len(t), t)] for sid, (t, _) in pages.items()}
    assert written_days(sources, sentences, set(pages)) == {"u": date(2022, 5, 22)}


def test_an_undated_page_is_dated_by_the_page_that_leads_with_the_same_news() -> None:
    """Pages of a long story share its background at every stage; the page that leads with the
    same news (headline and first sentences) is the one of the same day."""
    from bot.digest.dating import estimate_dates

    ruling = (
        "The regulator blocked the rail merger on competition grounds. Shippers welcomed the "
        "ruling. Northwind said it was disappointed"
    )
    background = (
        "The deal would create the largest freight railroad on the coast. Northwind serves "
        "ports in Alder Bay and Port Linden. Contoso carries grain from inland farms. The two "
        "railroads employ eleven thousand workers"
    )
    appeal = (
        "Northwind filed an appeal in the high court. A hearing is expected in the autumn. "
        "Contoso backed the appeal"
    )
    sources, sentences = _pages(
        {
            "ruling": (ruling, date(2025, 4, 22)),
            "appeal": (f"{appeal}. {background}", date(2025, 6, 10)),
            "other": ("Passenger fares will rise in July. Commuters protested", date(2025, 3, 1)),
            "undated": (f"{ruling}. {background}", None),
        }
    )
    titles = {
        "ruling": "Regulator blocks rail merger",
        "appeal": "Northwind appeals merger ruling",
        "undated": "Regulator blocks rail merger",
    }
    for sid, title in titles.items():
        sources[sid] = replace(sources[sid], title=title)
    assert estimate_dates(sources, sentences, set(sources)) == {"undated": date(2025, 4, 22)}


def test_a_later_date_on_an_estimated_page_is_its_events_date_unless_planned() -> None:
    """An estimated page date is a lower bound: "the agency said June 25" on a page estimated
    June 14 tells of June 25; on a page published June 14, or as a plan, it is June 14's news."""
    from bot.digest.developments import _report_date
    from bot.models import Sentence, Source

    said = "The outbreak is not an emergency at this time, the agency said June 25."
    plan = "The committee will meet on June 25 to decide whether the outbreak is an emergency."
    estimated = Source("e", "t", "", published=date(2022, 6, 14), published_estimated=True)
    published = Source("p", "t", "", published=date(2022, 6, 14))
    june_25 = date(2022, 6, 25)

    def dated(text: str, source: Source) -> tuple[object, ...]:
        s = Sentence(source.id, 0, 0, len(text), text, june_25, "day")
        return _report_date(s, source, recap=False)

    assert dated(said, estimated) == (june_25, "day", "estimated")
    assert dated(plan, estimated) == (date(2022, 6, 14), "day", "text")
    assert dated(said, published) == (date(2022, 6, 14), "day", "text")
