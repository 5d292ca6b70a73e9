"""Laying out a PDF's positioned words as lines and paragraphs: wraps are joined, paragraphs,
bullets and line breaks the writer made are kept, and no word is ever lost or reordered."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dataflyt.loaders.pdf_lines import Word, block_text, continue_text, group_lines

SIZE = 10.0
CHAR = 5.0  # the width of a character at SIZE, near enough


def words_of(lines: list[str], *, pitch: float = 11.5, left: float = 0.0) -> list[Word]:
    """Return ``lines`` laid out as a PDF would: one line every ``pitch`` points."""
    words = []
    for number, line in enumerate(lines):
        x, top = left, number * pitch
        for text in line.split():
            words.append(Word(text, x, x + CHAR * len(text), top, top + SIZE, SIZE))
            x += CHAR * (len(text) + 1)
    return words


WRAP = 100.0  # a cell 20 characters wide: every line below fills it


def test_wrapped_lines_are_one_paragraph() -> None:
    lines = ["Opplysninger om", "ansatte som oppgitt", "av virksomheten:"]
    assert (
        block_text(words_of(lines), WRAP) == "Opplysninger om ansatte som oppgitt av virksomheten:"
    )


def test_a_gap_or_a_bullet_starts_a_paragraph() -> None:
    below = Word("Samtaleopptak", 0, 65, 25, 35, SIZE)  # a paragraph's margin above it
    gapped = [*words_of(["Kommunikasjonsdata:"]), below]
    assert block_text(gapped, WRAP) == "Kommunikasjonsdata:\nSamtaleopptak"
    bullets = words_of(["Navn, adresse,", "\uf0b7 Logger og", "statistikk"])
    assert block_text(bullets, WRAP) == "Navn, adresse,\n• Logger og statistikk"


def test_a_line_broken_short_by_its_writer_stays_a_line() -> None:
    assert block_text(words_of(["Name", "Email address"]), WRAP) == "Name\nEmail address"


def test_a_word_broken_at_its_hyphen_is_joined() -> None:
    lines = ["Support sent via E-", "post- og Chat-", "henvendelser"]
    assert block_text(words_of(lines), WRAP) == "Support sent via E-post- og Chat-henvendelser"
    lines = ["Samtalehistorikk På-", "og avlogging"]
    assert block_text(words_of(lines), WRAP) == "Samtalehistorikk På- og avlogging"
    # a date or a postcode in a narrow column is broken at its hyphen too
    assert block_text(words_of(["2023-06-", "01"]), 45.0) == "2023-06-01"
    assert block_text(words_of(["Registered at L-", "1855 Luxembourg"]), WRAP) == (
        "Registered at L-1855 Luxembourg"
    )


def test_words_nearly_level_are_one_line() -> None:
    raised = [Word("Norge", 0, 25, 100.0, 110.0, SIZE), Word("*", 26, 30, 98.5, 105.0, 7.0)]
    assert [line.text for line in group_lines(raised)] == ["Norge *"]


def test_continue_text_joins_the_paragraph_a_page_break_cut() -> None:
    before = "Grunnleggende informasjon\naktivering av tjenestene hos"
    after = "tjenesteleverandør, herunder: Navn\nOpplysninger for konfigurering"
    assert continue_text(before, after) == (
        "Grunnleggende informasjon\naktivering av tjenestene hos tjenesteleverandør, "
        "herunder: Navn\nOpplysninger for konfigurering"
    )
    assert continue_text("Zendesk", "") == "Zendesk"
    assert continue_text("", "Tyskland") == "Tyskland"


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc", "Zl", "Zp")), min_size=1
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(TEXT.filter(lambda t: not t.endswith("-")), max_size=6), max_size=8),
    st.floats(min_value=0, max_value=400),
    st.floats(min_value=9, max_value=30),
)
def test_no_word_is_lost_or_reordered(lines: list[list[str]], right: float, pitch: float) -> None:
    words = words_of([" ".join(line) for line in lines], pitch=pitch)
    # characters of the Private Use Area are read as bullets (Symbol-font list markers)
    plain = ["".join("•" if "\ue000" <= c <= "\uf8ff" else c for c in w.text) for w in words]
    assert block_text(words, right).split() == plain
