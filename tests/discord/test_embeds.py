"""Embeds stay within every Discord limit, escape article text, and cite like the terminal does."""

from __future__ import annotations

from datetime import date

import discord
import pytest

from bot.discord.embeds import briefing_pages, quotes_embeds, source_line
from bot.discord.limits import clip, group, link, safe, titled
from bot.discord.listings import digest_embeds
from bot.models import Source
from tests.discord.huge import huge_briefing


def assert_fits(embed: discord.Embed) -> None:
    assert len(embed.title or "") <= 256
    assert len(embed.description or "") <= 4096
    assert len(embed.fields) <= 25
    assert all(len(f.name or "") <= 256 and len(f.value or "") <= 1024 for f in embed.fields)
    assert len(embed.footer.text or "") <= 2048
    assert len(embed) <= 6000


@pytest.mark.parametrize("kind", ["status", "timeline", "digest", "ask"])
def test_huge_briefing_pages_fit_and_keep_every_statement(kind: str) -> None:
    briefing = huge_briefing(kind)
    pages = briefing_pages(briefing)
    assert len(pages) > 1
    for page in pages:
        assert_fits(page)
    text = "\n".join(p.description or "" for p in pages)
    for i in range(40):
        assert f"Statement {i} " in text
    for message in group(pages):
        assert len(message) <= 10 and sum(len(e) for e in message) <= 6000


def test_every_page_lists_the_sources_it_cites() -> None:
    for page in briefing_pages(huge_briefing()):
        cited = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", page.description or "")}
        listed = "\n".join(f.value for f in page.fields)
        for n in cited:
            assert f"[{n}] " in listed or "more (see the sources command)" in listed


def test_article_text_is_escaped() -> None:
    page = briefing_pages(huge_briefing())[0]
    body = page.description or ""
    assert "@here" not in body and "@\u200bhere" in body
    assert "\\~\\~struck\\~\\~" in body and "\\`code\\`" in body
    quotes = quotes_embeds(huge_briefing())
    assert all("@everyone" not in (e.description or "") for e in quotes)
    assert all("<@&123456789012345678>" not in (e.description or "") for e in quotes)
    for embed in quotes:
        assert_fits(embed)


def test_status_sections_in_order() -> None:
    body = briefing_pages(huge_briefing())[0].description or ""
    assert body.startswith("**Where it stands**\n• Statement 0 ")
    assert "[1][2][3]" in body


def test_source_line_links_when_there_is_a_url_and_never_shows_file_names() -> None:
    linked = Source(
        id="a",
        title="Deal [signed]",
        text="",
        outlet="NOTUS",
        published=date(2025, 3, 5),
        url="https://notus.org/a_(b)",
    )
    assert (
        source_line(1, linked)
        == "[1] [Deal (signed)](https://notus.org/a_(b%29) — NOTUS, 2025-03-05"
    )
    local = Source(id="b", title="Trump seeks a deal", text="", path="seeds/000_x.txt")
    assert source_line(2, local) == "[2] Trump seeks a deal — undated"
    copy = Source(id="c", title="Deal", text="", outlet="Wire", kind="republished")
    assert source_line(3, copy) == "[3] Deal — Wire, undated (republished copy)"


def test_link_refuses_odd_urls() -> None:
    assert link("t", "javascript:alert(1)") == "t"
    assert link("t", "https://a.b/" + "x" * 400) == "t"
    assert link("t", None) == "t"


def test_clip_and_safe() -> None:
    assert clip("abcdef", 4) == "abc…"
    assert not clip("ab\\*cd", 4).endswith("\\…")
    assert safe("a\n\nb  c") == "a b c"


def test_digest_embeds_are_green_and_fit() -> None:
    embeds = digest_embeds([huge_briefing("digest")])
    assert embeds and all(e.colour == discord.Colour(0x2F8F5B) for e in embeds)
    for embed in embeds:
        assert_fits(embed)


def test_disputed_lines_never_show_the_internal_dispute_id() -> None:
    pages = briefing_pages(huge_briefing())
    text = "\n".join(p.description or "" for p in pages)
    assert "**Disputed**" in text
    assert "d000001" not in text and "— *" not in text


def test_safe_breaks_every_kind_of_angle_bracket_markup() -> None:
    text = safe("<@123> <@!1> <@&456> <#789> </ask:1> <:e:1> <a:e:1> <t:1:R> <id:home> a<b")
    for markup in ("<@", "<#", "</", "<:", "<a:", "<t:", "<id:"):
        assert markup not in text
    assert text.endswith("a<b")


def test_long_names_are_shortened_but_the_title_tail_stays() -> None:
    from dataclasses import replace

    from tests.discord.huge import TOPIC

    topic = replace(TOPIC, title="A storyline with a very long title " * 9)  # 315 characters
    briefing = replace(huge_briefing(), topic=topic)
    title = briefing_pages(briefing)[0].title or ""
    assert len(title) <= 256
    assert title.endswith(f" — as of {briefing.as_of} · 30 sources")
    assert titled("x" * 300, " (" + "s" * 120 + ")", 100).endswith("…")
    assert len(titled("x" * 300, " (" + "s" * 120 + ")", 100)) == 100
