"""Which articles belong to a topic: keyword variants, vocabulary density, weighted story names,
and what stays out (agency credits, a neighbouring story's passing mention, a sibling mission)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.topics.assign import assign_topics
from bot.topics.names import names_in, strip_credits
from bot.topics.text import PhraseMatcher

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED_TOPICS = Path(__file__).resolve().parents[2] / "seeds" / "topics.toml"


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("supply agreement", "a new supply-chain agreement"),
        ("supply agreement", "two supply agreements"),
        ("Ukraine", "the US-Ukraine fund"),
        ("Ukraine", "the US–Ukraine fund"),
        ("minerals deal", "the mineral deal"),
        ("minerals deal", "the minerals-deal talks"),
        ("rare earth", "rare earths"),
        ("joint fund", "the joint fund's board"),
        ("security guarantee", "security guarantees"),
        ("military aid", "military aid's"),
    ],
)
def test_keywords_match_variants_compounds_and_one_word_between(phrase: str, text: str) -> None:
    assert PhraseMatcher((phrase,)).any(text)


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("supply agreement", "supply, agreement"),  # punctuation breaks a phrase
        ("supply agreement", "supply of the agreement"),  # two words between
        ("Artemis I", "Artemis II"),
        ("Ukraine", "Ukrainians"),
        ("US", "uses"),  # short words match only as written
    ],
)
def test_keywords_do_not_match_other_words(phrase: str, text: str) -> None:
    assert not PhraseMatcher((phrase,)).any(text)


@pytest.mark.parametrize(
    "text",
    [
        "Residents walk past a building in Kyiv (AP Photo/Efrem Lukatsky)",
        "Children play in Lviv (Sergei Supinsky/AFP via Getty Images)",
        "Julia Demaree Nikhinson/AP",
        "By John Smith",
        "The Associated Press reported it first, AFP and Reuters followed, said EPA and Bloomberg.",
    ],
)
def test_agencies_credits_and_bylines_are_never_story_names(text: str) -> None:
    assert names_in(text) == [], names_in(text)


def test_credits_leave_the_story_names_alone() -> None:
    text = "The DFC and the Reconstruction Investment Fund met in Kyiv (AP Photo/Evan Vucci)."
    assert "Evan Vucci" not in strip_credits(text)
    assert names_in(text) == ["dfc", "reconstruction investment fund"]


@pytest.fixture
def members(make_service, tmp_path: Path) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Topic -> member file prefixes, over the drift story plus the membership fixtures."""
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "drift", folder)
    shutil.copytree(FIXTURES / "membership", folder / "membership")
    shutil.copy(SEED_TOPICS, folder)
    service = make_service(folder)
    service.refresh()
    sources = {s.id: s for s in service.store.sources.all()}
    index = assign_topics(service.topic_list(), sources, service.store.sources.all_sentences())
    return {
        slug: {Path(sources[sid].path).name[:2] for sid in arts}
        for slug, arts in index.articles.items()
    }


def test_an_article_using_only_keyword_variants_joins(members: dict[str, set[str]]) -> None:
    assert "15" in members["minerals-deal"], sorted(members["minerals-deal"])


def test_acquired_names_join_though_another_story_mentions_them_once(
    members: dict[str, set[str]],
) -> None:
    # 09, a NATO story, names the fund and DFC once: that lowers their weight, not to nothing
    assert {"05", "06"} <= members["minerals-deal"], sorted(members["minerals-deal"])


def test_a_neighbouring_story_mentioning_this_one_once_does_not_join(
    members: dict[str, set[str]],
) -> None:
    assert "09" not in members["minerals-deal"]
    assert "09" in members["nato-membership"]


def test_an_article_dense_in_the_learned_vocabulary_joins(members: dict[str, set[str]]) -> None:
    # 16 names no keyword and no acquired name, but two of its sentences read like the deal
    assert "16" in members["minerals-deal"], sorted(members["minerals-deal"])


def test_a_photo_gallery_credited_to_ap_and_afp_does_not_join(
    members: dict[str, set[str]],
) -> None:
    # 18 and 19 are deal articles with AP and AFP credits; 17 is a gallery with the same credits
    assert {"18", "19"} <= members["minerals-deal"]
    assert not any("17" in arts for arts in members.values()), members


def test_near_misses_sharing_the_main_entity_stay_out(members: dict[str, set[str]]) -> None:
    assert {"20", "21", "22"} <= members["artemis-i"]
    assert "23" not in members["artemis-i"]  # Artemis II: same rocket, capsule and pad
    assert "07" not in members["minerals-deal"]  # another country's minerals deal


def test_a_members_sentence_naming_the_story_by_its_acquired_names_is_relevant(
    make_service, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "drift", folder)
    shutil.copytree(FIXTURES / "membership", folder / "membership")
    shutil.copy(SEED_TOPICS, folder)
    service = make_service(folder)
    service.refresh()
    sources = {s.id: s for s in service.store.sources.all()}
    sentences = service.store.sources.all_sentences()
    index = assign_topics(service.topic_list(), sources, sentences)
    sid = next(i for i, s in sources.items() if Path(s.path).name.startswith("24_"))
    last = sentences[sid][-1]
    assert last.text.startswith("DFC hired")  # far from the keywords, naming only the agency
    assert (sid, last.index) in index.sentences["minerals-deal"]


def _renamed_members(make_service, tmp_path: Path) -> tuple[object, set[str]]:  # type: ignore[no-untyped-def]
    folder = tmp_path / "renamed"
    shutil.copytree(FIXTURES / "renamed", folder)
    service = make_service(folder)
    service.refresh()
    return service, {Path(s.path).name[:2] for s, _ in service.sources("tarn-fever")[1]}


def test_a_story_renamed_in_its_articles_follows_its_new_name(make_service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service, members = _renamed_members(make_service, tmp_path)
    assert {"01", "02", "03", "04"} <= members
    assert "05" in members  # only says "tarnosis", a month after the rename
    assert "06" not in members  # a later outbreak of the renamed disease, a year on
    assert "07" not in members
    timeline = service.timeline("tarn-fever")  # type: ignore[attr-defined]
    assert any("Madrid began vaccinating" in st.text for st in timeline.statements)
    assert not any("southern provinces" in st.text for st in timeline.statements)


@pytest.mark.parametrize(
    ("told", "learned"),
    [
        (["mpox, formerly known as monkeypox, is no longer an emergency."] * 2, ("mpox",)),
        (["The WHO renamed the disease monkeypox as “mpox” on Monday."] * 2, ("mpox",)),
        (["Monkeypox is being renamed mpox by the WHO.", "Monkeypox renamed mpox."], ("mpox",)),
        (["mpox, formerly known as monkeypox, spread."], ()),  # one article: a slip, not a name
        (["Experts called for monkeypox to be renamed.", "WHO will rename monkeypox."] * 2, ()),
        (["The WHO is renaming the strains of the monkeypox virus to curb stigma."] * 2, ()),
    ],
)
def test_renames_are_learned_from_what_articles_say(
    told: list[str], learned: tuple[str, ...]
) -> None:
    from bot.models import Sentence, Source, Topic
    from bot.topics.renames import learn_renames

    topic = Topic("pox", "Pox", keywords=("monkeypox",))
    sources = {f"s{i}": Source(f"s{i}", "t", text) for i, text in enumerate(told)}
    sentences = {sid: [Sentence(sid, 0, 0, len(s.text), s.text)] for sid, s in sources.items()}
    assert learn_renames([topic], sources, sentences).get("pox", ()) == learned


def test_topic_show_names_the_new_name_first(make_service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service, _ = _renamed_members(make_service, tmp_path)
    assert service.topic_detail("tarn-fever").names[:1] == ("tarnosis",)  # type: ignore[attr-defined]


def _pages(texts: dict[str, list[str]], gaps: bool = False):  # type: ignore[no-untyped-def]
    """Sources and sentences of pages (``gaps``: indexes 0, 2, 4, … as an old store might hold)."""
    from bot.models import Sentence, Source

    sources = {sid: Source(sid, "t", " ".join(lines)) for sid, lines in texts.items()}
    step = 2 if gaps else 1
    sentences = {
        sid: [Sentence(sid, i * step, 0, len(t), t) for i, t in enumerate(lines)]
        for sid, lines in texts.items()
    }
    return sources, sentences


def test_assignment_reads_pages_whose_sentence_indexes_have_gaps() -> None:
    from bot.models import Topic

    topic = Topic("fever", "Fever", keywords=("tarn fever",))
    texts = {
        f"p{i}": [
            "Tarn fever cases rose in the valley this week, officials said.",
            "Clinics in the valley opened late to test more people for tarn fever.",
            "The weather was mild.",
        ]
        for i in range(3)
    }
    plain = assign_topics([topic], *_pages(texts))
    gapped = assign_topics([topic], *_pages(texts, gaps=True))
    assert set(plain.articles["fever"]) == set(gapped.articles["fever"]) == set(texts)
    # the same sentences are relevant, under their own (gapped) indexes
    assert sorted((sid, i * 2) for sid, i in plain.sentences["fever"]) == sorted(
        gapped.sentences["fever"]
    )
    assert plain.sentences["fever"] and all(i % 2 == 0 for _, i in gapped.sentences["fever"])
