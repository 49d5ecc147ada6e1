"""Attribution and figure rules added in issue 17's second round (tuned on the corpus's dev and
dev2 halves only). Each test is a hand-written case of one rule, with the speakers and
values a careful reader gives."""

from __future__ import annotations

import pytest

from ceasefire.evidence.figures import extract_figures
from ceasefire.evidence.speakers import is_name_token
from ceasefire.evidence.statements import extract_statements


def _who(paragraphs: list[str]) -> list[tuple[str, str]]:
    return [(s.speaker.name, s.text) for s in extract_statements(paragraphs)]


def test_hyphenated_titles_are_roles_and_dotted_abbreviations_keep_their_period():
    assert not is_name_token("Secretary-General") and is_name_token("Graham-Harrison")
    ss = extract_statements(['"We are ready," said UN Secretary-General Antonio Guterres.',
                             "The U.N. said its convoy came under attack near the town."])
    assert [s.speaker.name for s in ss] == ["Antonio Guterres", "U.N."]


def test_he_looks_back_past_crossheads_and_background_but_not_past_an_unnamed_person():
    ss = extract_statements([
        "The coordinator, Mara Lind, condemned the attack.",
        '"Four trucks were hit near Bilozerka Town," she said in a statement.',
        "Heavy fire",
        "Aid workers had not reached the village for months.",
        '"Nobody was hurt," she said.',
    ])
    assert [s.speaker.name for s in ss] == ["Mara Lind", "Mara Lind"]  # "Bilozerka Town" is a place
    ss = extract_statements(["Mara Lind spoke on Monday.",
                             'I met an aid worker in Kherson. "We sleep in the cellar," she told me.'])
    assert ss[-1].speaker.name == "she"  # the aid worker, not Mara Lind


def test_role_descriptions_resolve_to_the_person_who_spoke_just_before():
    ss = extract_statements([
        "UN aid chief Martin Griffiths said teams were ramping up support.",
        "The UN's top humanitarian and emergency relief co-ordinator said more than 400 civilians had been killed.",
        "Defence Minister Rustem Umerov said the shortage was critical. The head of the Ministry of Defence said "
        "the army fires 2,000 shells a day.",
    ])
    assert [s.speaker.name for s in ss] == ["Martin Griffiths", "Martin Griffiths", "Rustem Umerov", "Rustem Umerov"]


def test_a_document_says_what_its_author_wrote_and_its_statement_is_the_body_that_spoke():
    ss = extract_statements(["Minister Rustem Umerov wrote to his colleagues that shells were short.",
                             "Ukraine needs 200,000 shells per month, the document says."])
    assert [s.speaker.name for s in ss] == ["Rustem Umerov", "Rustem Umerov"]
    ss = extract_statements(["The U.N. said its convoy came under attack.",
                             '"Four trucks were hit," its statement said.'])
    assert [s.speaker.name for s in ss] == ["U.N.", "U.N."]


def test_inverted_tag_without_a_quote_and_not_a_participle_phrase():
    assert _who(["About 1.7 million refugees have fled in 11 days, said Mr Griffiths."]) == [
        ("Griffiths", "About 1.7 million refugees have fled in 11 days")]
    ss = extract_statements(["Al Jazeera's Rita Long, reporting from Kyiv, said the alerts lasted all night."])
    assert [s.speaker.name for s in ss] == ["Rita Long"]


def test_noun_phrase_objects_participles_and_relative_clauses_are_not_statements():
    assert extract_statements(["The agency reported on Friday new shelling in the east."]) == []
    assert extract_statements(["Akar also noted the strong support shown by the leaders."]) == []
    assert [s.speaker.name for s in extract_statements(
        ["The convoy carried medicines, official Andrea Rossi said in a video posted on social media."])] == ["Andrea Rossi"]
    assert extract_statements(["Diplomats met in New York, where officials say a strike hit a bread factory."]) == []


def test_two_clauses_two_speakers_and_hopes_that():
    ss = extract_statements(["Mara Lind said the strike hit two trucks.",
                             "She added that two trucks burned, while local authorities said the remaining two were unscathed."])
    assert [s.speaker.name for s in ss] == ["Mara Lind", "Mara Lind", "local authorities"]
    assert ss[2].text.startswith("the remaining two")
    ss = extract_statements(["Russia hopes that the Western public will tire of the war. Kyiv hopes to win."])
    assert [(s.speaker.name, s.cue) for s in ss] == [("Russia", "hopes")]


def test_according_to_a_long_source_a_letter_its_writer_wrote_and_this_was_reported_by():
    ss = extract_statements(["According to a new report published by the UN Human Rights Monitoring Mission in "
                             "Ukraine, between March and August, nine attacks hit energy sites."])
    assert [s.speaker.name for s in ss] == ["UN Human Rights Monitoring Mission in Ukraine"]
    ss = extract_statements(["Defense minister Oleksiy Reznikov warned that forces fire a fifth of the rounds they "
                             "could, according to a letter he wrote that was obtained by the Financial Times."])
    assert [s.speaker.name for s in ss] == ["Oleksiy Reznikov"]
    ss = extract_statements(["The minister warned of a shortage of shells. According to Censor.NET, this was "
                             "reported by Bloomberg."])
    assert [(s.speaker.name, s.text.split()[0]) for s in ss] == [("Bloomberg", "The")]


def test_a_clause_before_a_colon_tag_belongs_to_the_quote_that_follows():
    ss = extract_statements(["Boris Bondarev resigned in protest.",
                             "A ceasefire would let Moscow rearm, then resume the war, Mr. Bondarev argued: "
                             "\u201cOnly a total defeat will teach them.\u201d"])
    assert len(ss) == 1 and ss[0].speaker.name == "Boris Bondarev" and ss[0].text.startswith("A ceasefire")


def test_interview_labels():
    ss = extract_statements(["Olexander Kravchenko commands a brigade.", "ntv.de: How does it feel to be home?",
                             "Olexander Kravchenko: You know you are only here for a short time.",
                             "Kravchenko: The front is quiet.", "Source: the General Staff",
                             "Details: the talks were postponed.", "Key Facts: none"])
    assert [(s.speaker.name, s.text) for s in ss] == [
        ("ntv.de", "How does it feel to be home?"),
        ("Olexander Kravchenko", "You know you are only here for a short time."),
        ("Olexander Kravchenko", "The front is quiet.")]


def test_made_it_clear_through_a_spokesman():
    ss = extract_statements(['President Vladimir Putin has made it clear, Dmitry Peskov said, that troublemakers '
                             '"will be dealt with."'])
    assert ss[0].speaker.name == "Vladimir Putin" and "dealt with" in ss[0].text


@pytest.mark.parametrize("text, want", [
    ("probably taking 70 or 80,000 casualties", [(70_000, 70_000, 80_000, "casualties")]),
    ("Ukraine was firing 110,000 155mm-calibre shells a month",
     [(110_000, None, None, "shells"), (155, None, None, "mm")]),
    ("51 ships have sailed, of which 27 have been sent off, while 24 have entered ports",
     [(51, None, None, "ships"), (27, None, None, None), (24, None, None, None)]),
    ("two clearly marked trucks were hit", [(2, None, None, "trucks")]),
])
def test_round2_figures(text, want):
    assert [(f.value, f.low, f.high, f.unit) for f in extract_figures(text)] == want


def test_evaluate_names_a_missing_folder_instead_of_a_traceback(tmp_path):
    from ceasefire.errors import InputError
    from ceasefire.evidence.evaluate import evaluate, main

    with pytest.raises(InputError, match="documents does not exist"):
        evaluate(tmp_path, tmp_path / "missing")
    with pytest.raises(InputError, match="gold lists does not exist"):
        evaluate(tmp_path / "nope", tmp_path)
    with pytest.raises(InputError):
        main(["--gold", str(tmp_path), "--docs", str(tmp_path / "missing")])
