"""Round 4 of issue 17: general fixes found by reading the misses of the development documents
(round 3's held-out half among them, scored once before), each a general English pattern with a
hand-computed case written here (not copied from a corpus page)."""

from __future__ import annotations

import pytest

from ceasefire.evidence.speakers import Registry, joint_subject, resolve_np
from ceasefire.evidence.statements import extract_statements, pair_quotes

from .helpers import said as _st  # (speaker, words) of each statement


def test_the_statement_resolves_to_the_body_not_to_its_article():
    # "The statement": "The" is not a capitalised issuer of the document
    got = _st(["The Polish Ministry of Defence said on Friday that the depot had been hit.",
               "The statement added that crews \"will not stop the deliveries.\""])
    assert got[1][0] == "Polish Ministry of Defence"
    assert resolve_np("The statement", Registry()).name != "The"
    # a named issuer still works
    assert resolve_np("a Defense Department statement", Registry()).name == "Defense Department"


def test_double_quotes_nested_in_double_quotes_stay_inside_the_outer_quote():
    para = "\u201cThe \u201cbuffer zone\u201d plan is not workable in its present form,\u201d \u2014 he said."
    spans = pair_quotes(para)
    assert len(spans) == 1
    assert para[spans[0][0]:spans[0][1]] == "The \u201cbuffer zone\u201d plan is not workable in its present form,"
    # when the marks do not balance, each close still ends the quote (the flat reading)
    flat = "\u201cOne \u201ctwo\u201d three."
    assert [flat[a:b] for a, b in pair_quotes(flat)] == ["One \u201ctwo"]


def test_a_dash_before_the_pronoun_does_not_become_the_speaker():
    got = _st(["Marta Kowalska, the deputy minister, spoke to journalists in Lublin.",
               "\u201cThe \u201cbuffer zone\u201d plan is not workable,\u201d \u2014 she said."])
    assert got == [("Marta Kowalska", "\u201cThe \u201cbuffer zone\u201d plan is not workable,\u201d")]


def test_made_this_statement_attributes_the_paragraph_before():
    got = _st(["Moscow is preparing a new offensive in the north, and Kyiv must answer it.",
               "Ivan Petrenko, an adviser to the defence minister, made this statement during a briefing."])
    assert got == [("Ivan Petrenko", "Moscow is preparing a new offensive in the north, and Kyiv must answer it. "
                                     "Ivan Petrenko, an adviser to the defence minister, made this statement during "
                                     "a briefing.")]
    # within one paragraph it takes the sentence before
    got = _st(["The talks are over. Grain exports will stop next week. The envoy said this on television."])
    assert [g[1] for g in got] == ["Grain exports will stop next week. The envoy said this on television."]


def test_a_back_reference_to_words_already_attributed_is_not_a_second_entry():
    got = _st(["\"We are not ready for a truce,\" Peskov said.",
               "He made these remarks after the strikes on Belgorod."])
    assert got == [("Peskov", "\"We are not ready for a truce,\"")]
    got = _st(["Anna Lis said the corridor would reopen. She stated this in an interview."])
    assert len(got) == 1


@pytest.mark.parametrize(("np", "want"), [
    ("Both Austin and Umerov", "Austin and Umerov"),
    ("Kiev and the U.N.", "Kiev and the U.N."),
    ("Macron and Scholz", "Macron and Scholz"),
    ("Zelensky and other leaders", None),               # not two names
    ("Defense Secretary Lloyd Austin and his counterpart", None),
    ("Russian and Ukrainian officials", None),          # nationalities, not names
])
def test_joint_subjects(np, want):
    assert joint_subject(np) == want


def test_a_joint_subject_speaks_as_one_and_both_is_never_part_of_a_name():
    got = _st(["Defense Secretary Lloyd Austin met Ukrainian Defense Minister Rustem Umerov on Tuesday.",
               "Both Austin and Umerov said they would discuss air defence.",
               "Austin said he would announce a new package."])
    assert [g[0] for g in got] == ["Austin and Umerov", "Lloyd Austin"]


def _turns(paragraphs):
    return [(s.speaker.name, s.cue, s.text) for s in extract_statements(paragraphs)]


def test_a_third_party_inside_a_turn_is_its_own_entry_and_not_the_turns_words():
    got = _turns(["Anna Berg: (00:00)",
                  "Welcome. Kharkiv's mayor says the city has no power left. How long can it hold?",
                  "Petro Koval: (00:20)",
                  "We will hold. The grid is being repaired every night.",
                  "Anna Berg: (00:41)",
                  "Thank you, minister."])
    assert got == [
        ("Anna Berg", "(speaker label)", "Welcome. How long can it hold?"),
        # the description is not resolved to the host whose turn it sits in
        ("Kharkiv's mayor", "says", "the city has no power left."),
        # a label line under a name written once: the turn goes on from the line below it
        ("Petro Koval", "(continues turn)", "We will hold. The grid is being repaired every night."),
        ("Anna Berg", "(speaker label)", "Thank you, minister."),
    ]


def test_in_a_transcript_any_full_name_labels_a_turn_and_a_glued_label_starts_a_new_turn():
    got = _turns(["  \u2022 Anna Berg:The talks have stalled again this week.",
                  "  \u2022 Tom Ruiz:Thank you. Can you talk to them?Petro Koval, Minister of Energy: "
                  "We have to be ready to talk to anyone."])
    assert [(g[0], g[2]) for g in got] == [
        ("Anna Berg", "The talks have stalled again this week."),
        ("Tom Ruiz", "Thank you. Can you talk to them?"),
        ("Petro Koval", "We have to be ready to talk to anyone."),
    ]
    # one such paragraph alone is not a transcript: a name never written in the prose stays out
    assert _turns(["Anna Berg:The talks have stalled again this week."]) == []


def test_labels_with_a_full_stop_count_when_two_paragraphs_open_so():
    got = _turns(["Die Zeit. Will the grain ships be allowed to leave?",
                  "Petro Koval. We hope so. It is about food for millions."])
    assert [(g[0], g[2]) for g in got] == [("Die Zeit", "Will the grain ships be allowed to leave?"),
                                           ("Petro Koval", "We hope so. It is about food for millions.")]
    # a single paragraph opening with a name and a full stop is prose
    assert _turns(["Petro Koval. The minister arrived late."]) == []


@pytest.mark.parametrize("sentence", [
    "Zelensky dismissed the proposal as \u201canother attempt to play with lives.\u201d",
    "The spokesman emphasized the urgency of the situation on the front.",
    "Kallas stressed the need for more air defence in the east.",
    "The shelling adds new damage to a long list of losses.",
])
def test_reactions_with_a_noun_phrase_are_not_statements(sentence):
    assert _st([sentence]) == []


@pytest.mark.parametrize(("sentence", "speaker"), [
    ("The ministry dismissed the report: \u201cIt is a fake.\u201d", "ministry"),
    ("The spokesman emphasized that the talks would go on.", "spokesman"),
    ("Kallas stressed: \u201cWe need more air defence.\u201d", "Kallas"),
    ("\u201cWe need more,\u201d she added.", None),
])
def test_the_same_verbs_with_words_after_them_still_attribute(sentence, speaker):
    got = _st([sentence])
    assert len(got) == 1
    if speaker is not None:
        assert got[0][0] == speaker


def test_an_acronym_defined_in_brackets_names_the_organisation_in_full():
    got = _st(["The Washington-based Institute for the Study of War (ISW) published its assessment.",
               "ISW said the offensive had stalled.",
               "Military analysts at ISW said Russia would try again in the spring."])
    assert [g[0] for g in got] == ["Institute for the Study of War"] * 2


def test_a_possessive_determiner_is_dropped_from_an_unnamed_speaker():
    assert _st(["The region was shelled again, its governor said on Telegram."])[0][0] == "governor"


def test_abbreviation_periods_do_not_end_a_speaker_phrase():
    got = _st(["The package includes \u201cair defense and artillery rounds,\u201d according to Maj. Gen. Pat Ryder.",
               "\u201cWe start the year with resolve,\u201d said U.S. Secretary of Defense Lloyd Austin at a meeting in "
               "Germany."])
    assert [g[0] for g in got] == ["Pat Ryder", "Lloyd Austin"]


def test_a_date_or_time_after_the_subject_is_not_part_of_the_speaker():
    got = _st(["Russia's President Vladimir Putin on Feb. 24 at 5 a.m. declared war, calling it "
               "\u00aba special military operation\u00bb to protect Russia."])
    assert got[0][0] == "Vladimir Putin"
    got = _st(["Shelling reached 20,000 shells a day, according to an NBC News report at the time."])
    assert got[0][0] == "NBC News"


def test_a_plural_possessive_outlet_is_not_part_of_the_name():
    got = _st(["ABC News' Martha Raddatz spoke to the minister on Friday. Raddatz said the mood was grim."])
    assert got == [("Martha Raddatz", "the mood was grim.")]


def test_a_participle_after_an_article_and_adjective_is_a_noun():
    # "in a stark warning over ...": the cue is "said", its words the clause before it
    got = _st(["Moscow is battling to avoid inflation, the head of the central bank said Tuesday in a stark "
               "warning over the dangers of rising prices."])
    assert got == [("head of the central bank", "Moscow is battling to avoid inflation")]


def test_transcript_labels_with_a_tag_and_short_turns_under_a_known_label():
    from ceasefire.evidence.clean import clean_paragraphs
    paras = ["Anna Berg interviewed President Petro Koval in Kyiv on Friday, for a long talk about the war.",
             "BERG: Thank you for doing this. I want to start with the strikes of last night.",
             "KOVAL (UKRAINIAN): Thank you for coming. You saw it yourself, the strikes come every night.",
             "BERG: Let's talk about the drones--",
             "KOVAL (UKRAINIAN): We build them ourselves now, thousands of them every month."]
    kept = clean_paragraphs(paras).paragraphs
    assert "BERG: Let's talk about the drones--" in kept  # a short turn, not a crosshead
    got = _turns(kept)
    assert [(g[0], g[2]) for g in got if g[1] == "(speaker label)"] == [
        ("Anna Berg", "Thank you for doing this. I want to start with the strikes of last night."),
        ("Petro Koval", "Thank you for coming. You saw it yourself, the strikes come every night."),
        ("Anna Berg", "Let's talk about the drones--"),
        ("Petro Koval", "We build them ourselves now, thousands of them every month."),
    ]


def test_a_final_according_to_after_a_named_cue_is_the_relay_not_the_source():
    got = _st(["\u201cThis is a strong sign of unity,\u201d said Foreign Minister Dmytro Kuleba, according to Reuters.",
               "President Recep Tayyip Erdogan announced that the deal was extended for two months, according to "
               "Anadolu."])
    assert got == [("Dmytro Kuleba", "\u201cThis is a strong sign of unity,\u201d"),
                   ("Recep Tayyip Erdogan", "the deal was extended for two months")]
    # alone, "according to X" still names the source
    assert _st(["The strike killed 12 people, according to Reuters."]) == [("Reuters", "The strike killed 12 people")]


def test_a_role_description_needs_a_person_whose_role_fits():
    got = _st(["President Recep Tayyip Erdogan said the deal holds.",
               "The strike killed 12 people, according to the regional governor."])
    assert got[1][0] == "regional governor"  # not the president who spoke before
    got = _st(["Defence Minister Rustem Umerov wrote to his counterparts.",
               "In his letter, the head of the Ministry of Defence said that the army fires 2,000 shells a day."])
    assert got[-1][0] == "Rustem Umerov"  # "head" fits any leading role
    got = _st(["Elvira Nabiullina, governor of the Central Bank, spoke to lawmakers on Tuesday.",
               "Inflation is a disease, the head of the Central Bank said."])
    assert got[-1][0] == "Elvira Nabiullina"  # the one person whose role names that body


def test_an_unnamed_person_inside_a_quote_is_not_a_pronouns_antecedent():
    got = _st(["Defense Secretary Lloyd Austin spoke at the meeting in Ramstein.",
               "\u201cPoland has been a leader in training Ukrainian forces,\u201d he said."])
    assert got[-1][0] == "Lloyd Austin"


@pytest.mark.parametrize(("sentence", "want"), [
    ("Vladimir Putin frequently boasts about the economy, claiming that sanctions only made it stronger.",
     [("Vladimir Putin", "sanctions only made it stronger.")]),
    ("The ministry issued a statement, stating that the talks were over.",
     [("ministry", "the talks were over.")]),
    # one subject, two verbs: one statement (GOLD_FORMAT rule 1)
    ("A convoy was hit, the agency said, adding there were no casualties.",
     [("agency", "A convoy was hit")]),
    # a preposition before the participle keeps it out (rule 2), as does a plain object
    ("The Kremlin denied the report despite claiming that it was ready.", []),
    ("The Kremlin spoke on Monday, confirming an apparent scaling back of the plans.", []),
])
def test_participle_speech_clauses(sentence, want):
    assert _st([sentence]) == want


def test_live_blog_entries_credit_an_outlet_or_open_with_a_label():
    got = _turns(["President Petro Koval spoke in Kyiv.",
                  "08:26 p.m. A carmaker stops deliveries to the Russian market \u2014 The Wall Street Journal.",
                  "08:02 p.m. Koval: Russia must stop bombing cities before any talks.",
                  "07:50 p.m. About 300 tanks are parked near the border."])
    assert got == [("The Wall Street Journal", "(credited)", "A carmaker stops deliveries to the Russian market"),
                   ("Petro Koval", "(speaker label)", "Russia must stop bombing cities before any talks.")]
    # a dash and a name end many sentences of prose: without a time stamp it is not a credit
    assert _turns(["The convoy reached the city at dawn \u2014 Reuters."]) == []


def test_an_inverted_present_tense_cue_and_a_decimal_after_according_to():
    got = _st(["Matching this firepower is crucial, explains Nick Reynolds, a land warfare expert at RUSI."])
    assert got == [("Nick Reynolds", "Matching this firepower is crucial")]
    got = _st(["According to research from the U.K.-based Royal United Services Institute (RUSI), Russia plans "
               "to make 1.3 million shells this year."])
    assert got == [("Royal United Services Institute", "Russia plans to make 1.3 million shells this year.")]


def _figs(text):
    from ceasefire.evidence.figures import extract_figures
    return [(f.text, f.value, f.unit, f.qualifier) for f in extract_figures(text)]


@pytest.mark.parametrize(("text", "want"), [
    ("hundreds of thousands others fled", [("hundreds of thousands", 1e5, None, "more than")]),
    ("millions fled the country", [("millions", 1e6, None, "more than")]),
    ("dozens of drones were shot down", [("dozens of drones", 12.0, "drones", "more than")]),
    ("Russia's millions-strong reserves", [("millions-strong reserves", 1e6, "reserves", "more than")]),
    ("at least a quarter of million shells", [("at least a quarter of million shells", 250000.0, "shells",
                                               "at least")]),
    ("480-something drones were launched", [("480-something drones", 480.0, "drones", "more than")]),
    ("planning began a year and a half ago", [("a year and a half", 1.5, "year", "exact")]),
    ("the strike hit a bus, killing seven", [("seven", 7.0, None, "exact")]),
    ("and injured another eight in Donetsk", [("eight", 8.0, None, "exact")]),
])
def test_vague_magnitudes_fractions_and_bare_casualty_counts(text, want):
    assert _figs(text) == want


def test_a_bare_number_word_elsewhere_is_still_not_a_figure():
    # only a casualty verb right before it makes a bare count a figure
    assert _figs("one of the officials spoke") == []
    assert _figs("the talks with seven of them") == []
    assert _figs("the shelling, killing seven") == [("seven", 7.0, None, "exact")]


@pytest.mark.parametrize(("paragraphs", "want"), [
    # a clause misread as a speaker phrase is no speaker
    (["Officials said the lights were back, but the authorities have not said if there are any casualties."],
     ["Officials"]),
    # a relative clause stays a relative clause past its "and"
    (["Aid may fall under Trump, who has repeatedly criticized the aid to Kyiv and claimed he could end the war."], []),
    # a sentence adverb is not a speaker
    (["Similarly, that Biden called Putin a \u201cwar criminal\u201d throws boulders on the road."], []),
    # "called for" / "urged" with a noun phrase: a speech act (GOLD_FORMAT rule 2); with words: a statement
    (["Russia called for an immediate ceasefire in the south."], []),
    (["Putin urged dialogue to end the uprising."], []),
    (["Putin urged Kyiv to accept the terms."], ["Putin"]),
    # "That's according to X" with nothing before it in the text attributes nothing
    (["That\u2019s according to the Institute for the Study of War, Ukrinform reports."], []),
])
def test_what_is_not_a_statement(paragraphs, want):
    assert [g[0] for g in _st(paragraphs)] == want


def test_continued_is_a_tag_only_next_to_a_quote():
    assert _st(["Blinken echoed that pledge of continued support in a separate statement."]) == []
    assert _st(["In September the group reached a deal, but the fighting continued in the east."]) == []
    assert _st(["\u201cWe will not stop,\u201d he continued."])[0][1] == "\u201cWe will not stop,\u201d"


def test_more_cue_layouts():
    # "added during a briefing ... that": an adjunct, then the clause
    got = _st(["Sabrina Singh spoke at the Pentagon. She added during a briefing that the package "
               "underscores the commitment."])
    assert got == [("Sabrina Singh", "the package underscores the commitment.")]
    # a paragraph that ends with a colon after its statement: the quote below continues it
    got = _turns(["In his speech, Shoigu mentioned that the reserve is about 25 million people:",
                  "\"The number of those mobilized is slightly more than 1% of this figure.\""])
    assert [(g[0], g[1]) for g in got] == [("Shoigu", "mentioned"), ("Shoigu", "(continues quote)")]
    # "X, role, did something, and said, '...'": the name before the appositive
    got = _st(["Andrii Yermak, Head of the Office of the President, shared the footage, and said, "
               "\u201cAmong the survivors are the defenders of the plant.\u201d"])
    assert got == [("Andrii Yermak", "\u201cAmong the survivors are the defenders of the plant.\u201d")]
    # "shared" attributes only a quote, past an adverb and an adjunct
    got = _st(["EU foreign policy chief Josep Borrell similarly shared on social media, \u201cThe Fund will "
               "allow us to step up our support.\u201d", "He shared the footage of the strike."])
    assert got == [("Josep Borrell", "\u201cThe Fund will allow us to step up our support.\u201d")]
    # "What Putin said is not true": a noun clause
    assert _st(["What Putin said is not true because the attack came first."]) == []


def test_you_have_said_in_a_hosts_turn_is_the_interviewees():
    got = _turns(["Anna Berg: (00:00)", "Welcome, minister.", "Petro Koval: (00:10)", "Thank you for having me.",
                  "Anna Berg: (00:20)", "I know you have said you were involved from the start. How did it begin?"])
    assert ("Petro Koval", "said", "you were involved from the start.") in got
    assert ("Anna Berg", "(speaker label)", "How did it begin?") in got


@pytest.mark.parametrize(("paragraphs", "want"), [
    (["President Recep Tayyip Erdo\u011fan said the deal holds.", "Erdo\u011fan said it would be renewed."],
     [("Recep Tayyip Erdo\u011fan", "President"), ("Recep Tayyip Erdo\u011fan", "President")]),
    (["Prime Minister Denys \u0160myhal said the grid was stable."], [("Denys \u0160myhal", "Prime Minister")]),
])
def test_names_with_letters_outside_ascii(paragraphs, want):
    # found by reading round 4's held-out half after its one scoring run: "Erdo\u011fan" was cut at the "\u011f"
    assert [(s.speaker.name, s.speaker.role) for s in extract_statements(paragraphs)] == want
