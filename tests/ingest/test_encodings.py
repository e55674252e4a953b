"""Text as real users save it: BOMs, CRLF, Windows-1252; quotes stay verbatim in what is stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.ingest import files as fs
from bot.ingest.pipeline import Ingestor
from bot.store import Store

BODY = (
    "Zelenskyy said the minerals deal was \u201cfair\u201d and ready for signing in Kyiv on "
    "Friday, officials said. Caf\u00e9 owners cheered the joint fund for rare earth mining."
)
HEADLINE = "Zelenskyy\u2019s Minerals Deal Nears Signing"


@pytest.mark.parametrize(
    ("data", "text", "how"),
    [
        (b"\xef\xbb\xbfOne. Two.\n", "One. Two.\n", ""),
        (b"One.\r\nTwo.\r\n", "One.\r\nTwo.\r\n", ""),
        (
            "Caf\u00e9 \u201cfair\u201d.".encode("cp1252"),
            "Caf\u00e9 \u201cfair\u201d.",
            fs.WINDOWS_1252_NOTE,
        ),
        (  # UTF-8 with one stray Windows-1252 quote pasted in
            "\u201cA\u201d ".encode() + b"\x93B\x94.",
            "\u201cA\u201d \u201cB\u201d.",
            fs.WINDOWS_1252_NOTE,
        ),
    ],
    ids=["utf-8 BOM", "CRLF", "Windows-1252", "mixed"],
)
def test_decode(data: bytes, text: str, how: str) -> None:
    assert fs.decode(data, html=False) == (text, how)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x81\x8d\x8f\x90 bytes", "undecodable (neither UTF-8 nor Windows-1252 text)"),
        (
            "\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442 \u0423\u043a\u0440\u0430\u0457\u043d\u0438.".encode(
                "cp1251"
            ),
            "undecodable (not UTF-8, and not plausible as Windows-1252)",
        ),
        (
            b"Text with a \x1b control \x85 byte.",
            "undecodable (not UTF-8, and not plausible as Windows-1252)",
        ),
    ],
    ids=["undefined bytes", "cp1251 Cyrillic", "control characters"],
)
def test_bytes_that_would_read_as_gibberish_are_rejected(data: bytes, reason: str) -> None:
    with pytest.raises(fs.Rejected, match=reason.replace("(", r"\(").replace(")", r"\)")):
        fs.decode(data, html=False)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_are_read_by_their_bom(encoding: str) -> None:
    text = f"{HEADLINE}\n\n{BODY}\n"
    data = ("\ufeff" + text).encode(encoding)  # the BOM Notepad and Word write first
    assert fs.decode(data, html=False) == (text, "")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_bom_are_rejected_with_a_reason(encoding: str) -> None:
    with pytest.raises(fs.Rejected, match=r"binary file \(NUL bytes\)"):
        fs.decode(f"{HEADLINE}\n\n{BODY}\n".encode(encoding), html=False)


def test_a_utf32_article_is_stored_as_its_text_not_gibberish(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    (corpus / "word.txt").write_bytes(f"{HEADLINE}\n\n{BODY}\n".encode("utf-32"))  # BOM first
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\x00\x00" + "Caf\u00e9".encode("utf-32-le")[:-1])
    report = ingestor.ingest_folders([corpus])
    outcomes = {Path(o.name).name: (o.outcome, o.reason) for o in report.outcomes}
    assert outcomes == {
        "word.txt": ("added", ""),
        "broken.txt": ("rejected", "undecodable (not valid utf-32-le)"),
    }
    [source] = store.sources.all()
    assert source.title == HEADLINE and "\x00" not in source.text
    assert "Caf\u00e9 owners cheered the joint fund" in source.text


def test_bom_and_crlf_files_read_like_plain_utf8(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    plain = f"{HEADLINE}\n\n{BODY}\n"
    (corpus / "plain.txt").write_text(plain, encoding="utf-8")
    (corpus / "bom_crlf.txt").write_bytes(b"\xef\xbb\xbf" + plain.replace("\n", "\r\n").encode())
    report = ingestor.ingest_folders([corpus])
    outcomes = {Path(o.name).name: o.outcome for o in report.outcomes}
    assert outcomes == {"bom_crlf.txt": "added", "plain.txt": "duplicate"}
    [source] = store.sources.all()
    assert source.title == HEADLINE and "\r" not in source.text and "\ufeff" not in source.text


def test_windows_1252_articles_are_briefed_with_verbatim_quotes(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (seeds_dir / "notepad.txt").write_bytes(f"{HEADLINE}\r\n\r\n{BODY}\r\n".encode("cp1252"))
    # dated, so that the timeline (one line per date first) has a slot for it
    (seeds_dir / "notepad.txt.meta.toml").write_text('date = "2025-03-07"\n')
    db = ["--corpus", str(seeds_dir), "--db", str(tmp_path / "enc.db")]
    assert main(["ingest", *db]) == 0
    err = capsys.readouterr().err
    assert f"added       {seeds_dir / 'notepad.txt'}: read as Windows-1252 (not UTF-8)" in err
    assert main(["timeline", "minerals-deal", "--json", *db]) == 0
    data = json.loads(capsys.readouterr().out)
    [mine] = [s for s in data["sources"] if s["path"].endswith("notepad.txt")]
    assert mine["title"] == HEADLINE
    raw = " ".join((seeds_dir / "notepad.txt").read_bytes().decode("cp1252").split())
    quotes = [
        c["quote"]
        for st in data["statements"]
        for c in st["citations"]
        if c["source"] == mine["id"]
    ]
    assert quotes and all(" ".join(q.split()) in raw for q in quotes)
