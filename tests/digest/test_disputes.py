"""What sources dispute: two sources, the same claim, a few days apart, opposite sides."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.digest.disputes import conflicting_figures, find_disputes
from tests.digest.helpers import Topic

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "disputes"

CLAIM = (
    "Port operator Maritex said on Monday it had reached a new wage agreement with the dockworkers."
)
DENIAL = (
    "Union leaders denied reports of any wage agreement with Maritex and said the strike goes on."
)


def strike() -> Topic:
    """One true claim/denial pair, a change of position weeks apart, one article with both sides."""
    t = Topic()
    t.add(CLAIM, "2025-06-02", ("deal", "Coast Courier"))
    t.add(DENIAL, "2025-06-03", ("denial", "Harbour Wire"))
    t.add(
        "Mayor Lina Ortiz said the city would not pay for the new container terminal at Port Wend.",
        "2025-04-01",
        ("refuses", "Coast Courier"),
    )
    t.add(
        "Mayor Lina Ortiz said the city would pay for the new container terminal at Port Wend.",
        "2025-05-20",
        ("relents", "Harbour Wire"),
    )
    t.add(
        "Maritex said the strike had cost Port Wend some 40 million euros in lost revenue so far.",
        "2025-06-10",
        ("costs", "Bay Reporter"),
    )
    t.add(
        "The union dismissed claims that the strike had cost Port Wend 40 million euros in revenue.",
        "2025-06-10",
        ("costs", "Bay Reporter"),
    )
    return t


def test_exactly_the_claim_and_its_denial_by_another_source() -> None:
    t = strike()
    pairs = find_disputes(t.devs, t.sources)
    assert [(a.text, b.text) for a, b in pairs] == [(CLAIM, DENIAL)]  # in date order


def test_the_same_outlet_or_the_same_article_is_never_a_dispute() -> None:
    t = Topic()
    t.add(CLAIM, "2025-06-02", ("deal", "Coast Courier"))
    t.add(DENIAL, "2025-06-03", ("denial", "Coast Courier"))  # another article, same outlet
    assert find_disputes(t.devs, t.sources) == []


def test_a_sentence_reporting_a_disagreement_is_one_statement_not_a_pair() -> None:
    t = Topic()
    t.add(
        "Lavrov stressed Moscow's rejection of European peacekeepers, contradicting Trump's claims "
        "that Putin agreed with the plan.",
        "2025-02-26",
        ("a", "Worthy News"),
    )
    t.add(
        "European leaders will meet in London on Sunday to discuss sending peacekeepers to Ukraine.",
        "2025-02-26",
        ("b", "Globe Desk"),
    )
    assert find_disputes(t.devs, t.sources) == []


def test_two_courts_rejecting_a_request_agree_rather_than_dispute() -> None:
    t = Topic()
    t.add(
        "As expected, Judge Corley has rejected that request, and the FTC appeal now goes to the "
        "Ninth Circuit.",
        "2023-07-14",
        ("a", "TweakTown"),
    )
    t.add(
        "The Ninth Circuit rejected the FTC's request for an order blocking the merger while the "
        "FTC appeal goes on.",
        "2023-07-15",
        ("b", "Geek News Central"),
    )
    assert find_disputes(t.devs, t.sources) == []


def test_an_end_declared_and_no_longer_in_force_agree() -> None:
    # "no longer an emergency" and "declared an end to the emergency" say one thing; against
    # "remains an emergency" of the same day, each is a dispute
    ended = (
        "Mpox is no longer a global health emergency, the WHO director-general said on Thursday."
    )
    end_to = "The WHO on Thursday declared an end to the global health emergency for mpox."
    t = Topic()
    t.add(ended, "2023-05-11", ("a", "Globe Desk"))
    t.add(end_to, "2023-05-11", ("b", "Harbour Wire"))
    assert find_disputes(t.devs, t.sources) == []
    remains = "Mpox remains a global health emergency, a WHO adviser said on Thursday."
    for text in (ended, end_to):
        t = Topic()
        t.add(text, "2023-05-11", ("a", "Globe Desk"))
        t.add(remains, "2023-05-11", ("b", "Harbour Wire"))
        assert [{a.text, b.text} for a, b in find_disputes(t.devs, t.sources)] == [{text, remains}]


def test_conflicting_figures_for_the_same_quantity_are_a_dispute() -> None:
    t = Topic()
    police = t.add(
        "Police said about 2,000 dockworkers marched through Port Wend on Saturday.",
        "2025-06-07",
        ("police", "Coast Courier"),
    )
    union = t.add(
        "The union said 15,000 dockworkers marched through Port Wend on Saturday.",
        "2025-06-08",
        ("union", "Harbour Wire"),
    )
    assert find_disputes(t.devs, t.sources) == [(police, union)]


def test_figures_that_agree_or_count_different_things_do_not_conflict() -> None:
    assert not conflicting_figures(
        "Microsoft paid $68.7 billion for Activision.", "The $69 billion deal closed in October."
    )
    assert not conflicting_figures(
        "About 2,000 dockworkers marched on 14 June.", "About 2,000 dockworkers marched on 15 June."
    )
    assert not conflicting_figures(
        "The strike began in 2024 with 300 workers.", "The strike began in 2025 with 300 workers."
    )
    assert conflicting_figures(
        "The strike cost 40 million euros.", "The strike cost 12 million euros."
    )


def test_no_disputes_without_two_sides() -> None:
    t = Topic()
    t.add(CLAIM, "2025-06-02", ("deal", "Coast Courier"))
    assert find_disputes(t.devs, t.sources) == []
    assert find_disputes([], {}) == []


def test_status_of_the_fixture_pairs_only_the_denied_wage_deal(
    make_service, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "disputes"
    shutil.copytree(FIXTURE, folder)
    service = make_service(folder)
    service.refresh()
    disputed = [st for st in service.status("port-strike").statements if st.kind == "disputed"]
    assert len(disputed) == 2 and disputed[0].dispute == disputed[1].dispute is not None
    assert "reached a new wage agreement" in disputed[0].text
    assert "denied reports of any wage agreement" in disputed[1].text
