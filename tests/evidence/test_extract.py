"""Noise rules, figures and attributed statements on invented sentences, one pattern each."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from ceasefire.evidence.clean import clean_paragraphs
from ceasefire.evidence.figures import extract_figures, words_to_number
from ceasefire.evidence.statements import extract_statements


# -- noise -------------------------------------------------------------------------
@pytest.mark.parametrize("line, rule", [
    ("You have reached your monthly free article limit.", "paywall"),
    ("TRY 30 DAYS FREE Already a member? Sign in", "paywall"),
    ("COMMENTS", "paywall"),
    ("Sign up for our weekly newsletter", "paywall"),
    ("Editor's note: Ana Ruiz covers energy markets. The views here are her own.", "editor_note"),
    ("Soldiers walk past a damaged tank near the village on October 4, 2023.", "caption"),
    ("Smoke rises over the port. (Photo: Ivan Hale/Getty Images)", "caption"),
])
def test_noise_line_is_dropped_with_its_rule(line, rule):
    body = "The regional governor said the evacuation would continue for at least another week, officials said."
    c = clean_paragraphs([body, line, body.replace("week", "month")])
    assert [d.rule for d in c.dropped] == [rule]
    assert c.dropped[0].text == line
    assert len(c.paragraphs) == 2


def test_repeated_and_nearly_repeated_paragraphs_are_dropped():
    a = "Heavy rain slowed the advance along the river on Monday, and both armies dug in for the winter."
    b = "Heavy rain slowed the advance along the river on Monday, and both armies dug in for winter."
    c = clean_paragraphs([a, "Some other fully different paragraph about prices and grain exports to Egypt.", a, b])
    assert [d.rule for d in c.dropped] == ["duplicate", "duplicate"]
    assert "repeats paragraph 1" in c.dropped[0].reason
    assert len(c.paragraphs) == 2


def test_header_lines_move_to_metadata():
    c = clean_paragraphs(["Winter test for the grid", "By Tom Arden and Lea Finch", "Updated 10:05 AM, November 21, 2022",
                          "KHARKIV, Ukraine (AP) - Crews restored power to 3,000 homes overnight, the utility said.",
                          "More text follows here with enough words to be a body paragraph of the story."])
    assert c.title == "Winter test for the grid"
    assert c.byline == "Tom Arden and Lea Finch"
    assert c.date == "2022-11-21"  # normalised to ISO 8601
    assert c.paragraphs[0].startswith("Crews restored power")
    assert [d.rule for d in c.dropped] == ["title", "byline", "date", "dateline"]


def test_article_prose_about_subscriptions_is_kept():
    p = ("Analysts said the number of subscribers to the state broadcaster fell by a third after the "
         "channel was taken off satellite, a loss the ministry has not explained.")
    assert clean_paragraphs([p]).paragraphs == [p]


# -- figures -----------------------------------------------------------------------
def _one(text):
    figs = extract_figures(text)
    assert len(figs) == 1, figs
    return figs[0]


@pytest.mark.parametrize("text, value, qualifier, unit", [
    ("Officials counted more than 12,500 displaced families in the district.", 12500, "more than", "families"),
    ("The strikes knocked out up to 30 percent of the city's water supply.", 30, "up to", "percent"),
    ("The budget deficit reached 7.5% of GDP last year.", 7.5, "exact", "percent"),
    ("The new rockets have a 150-kilometer range.", 150, "exact", "km"),
    ("Around 40 tanks were lost in the crossing.", 40, "about", "tanks"),
    ("At least twenty-three villages were shelled.", 23, "at least", "villages"),
    ("Nearly a million people left the region.", 1e6, "nearly", "people"),
    ("The aid package is worth $1.2 billion.", 1.2e9, "exact", "USD"),
    ("Each brigade fires fewer than 900 shells a day.", 900, "less than", "shells"),
])
def test_figure_value_qualifier_unit(text, value, qualifier, unit):
    f = _one(text)
    assert f.value == pytest.approx(value)
    assert (f.qualifier, f.unit) == (qualifier, unit)


def test_ranges_and_rates():
    f = _one("The army holds between 300 and 450 artillery pieces in reserve.")
    assert (f.low, f.high, f.qualifier, f.unit) == (300, 450, "range", "pieces")
    f = _one("Satellite images show 60-80 burned vehicles.")
    assert (f.low, f.high) == (60, 80)
    f = _one("The plant now runs three or four shifts a week.")
    assert (f.low, f.high, f.unit, f.per) == (3, 4, "shifts", "week")


def test_dates_years_codes_and_ordinals_are_not_figures():
    text = ("On March 5, 2023, at the G-7 summit, the second round of talks on the T-72 deliveries "
            "since 2014 opened; it was one of the longest sessions of World War II scholarship.")
    assert extract_figures(text) == []


def test_plural_magnitude_and_fraction():
    f = _one("Thousands of volunteers joined the defense units.")
    assert (f.value, f.qualifier, f.unit) == (1000, "more than", "volunteers")
    f = _one("Two-thirds of the bridges were destroyed.")
    assert f.value == pytest.approx(2 / 3) and f.unit == "fraction"


@given(st.integers(min_value=1, max_value=999_999))
def test_number_words_round_trip(n):
    ones = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    def say(k: int) -> str:
        parts = []
        if k >= 100:
            parts.append(ones[k // 100] + " hundred")
            k %= 100
        if k >= 20:
            parts.append(tens[k // 10] + ("-" + ones[k % 10] if k % 10 else ""))
        elif k:
            parts.append(ones[k])
        return " ".join(parts)

    words = (say(n // 1000) + " thousand " if n >= 1000 else "") + say(n % 1000)
    assert words_to_number(words.strip()) == n


# -- statements --------------------------------------------------------------------
def _speakers(paragraphs):
    return [(s.speaker.name, s.kind, s.cue) for s in extract_statements(paragraphs)]


def test_quote_then_speaker_said_and_role_in_apposition():
    ss = extract_statements(['"The bridge will not reopen before spring," Lena Borg, the deputy mayor of '
                             'Tarnow, told reporters.'])
    assert len(ss) == 1
    assert ss[0].speaker.name == "Lena Borg" and ss[0].speaker.role == "deputy mayor of Tarnow"
    assert ss[0].kind == "direct" and ss[0].quotes == ["The bridge will not reopen before spring,"]


def test_said_x_and_according_to_and_reported_speech():
    paras = ['"We need more trucks," said Omar Feld, a logistics officer.',
             "According to the Central Statistics Office, exports fell by a fifth.",
             "Feld warned that fuel stocks would last only until March.",
             "The shortage will get worse, Feld believes."]
    assert [(n, c) for n, _, c in _speakers(paras)] == [
        ("Omar Feld", "said"), ("Central Statistics Office", "according to"), ("Omar Feld", "warned"),
        ("Omar Feld", "believes")]


def test_short_name_resolves_to_fullest_name_and_role_even_misspelt():
    paras = ["Professor Irena Kowalczyk, director of the Baltic Defence Centre, has studied the war for years.",
             '"Nobody is ready for a long war," Kowalczyk said.',
             '"Not even the allies," Kowalcyzk added.']
    ss = extract_statements(paras)
    assert [s.speaker.name for s in ss] == ["Irena Kowalczyk", "Irena Kowalczyk"]
    assert "director of the Baltic Defence Centre" in ss[0].speaker.role


def test_pronoun_resolves_only_when_unambiguous():
    one = extract_statements(["Minister Rui Santos visited the port.", '"We will rebuild it," he said.'])
    assert one[0].speaker.name == "Rui Santos"
    two = extract_statements(['General Ada Mohr met Colonel Ivo Brandt at the front. "We hold," he said.'])
    assert two[0].speaker.name == "he" and two[0].speaker.kind == "unresolved"


def test_quote_continuing_across_paragraphs():
    ss = extract_statements(['"The grid held this week," said Ilona Varga, who runs the utility. "But the next '
                             "wave will be bigger.",
                             '"We have no spare transformers left."'])
    assert [s.kind for s in ss] == ["direct", "continued"]
    assert ss[1].speaker.name == "Ilona Varga"


def test_machine_translated_attributions():
    ss = extract_statements(['Prime Minister Karl Dahl spoke first. "We will not trade land for peace," he said. '
                             'said summit in Oslo on Friday.',
                             '"Talks must start now," former Foreign Minister Ewa Lis. said Chatham House on Monday.',
                             "On Monday, the Ministry of Health, which publishes weekly figures, informed that "
                             '"hospitals are full."'])
    names = [s.speaker.name for s in ss]
    assert names == ["Karl Dahl", "Ewa Lis", "Ministry of Health"]
    assert all("summit" not in n for n in names)


def test_scare_quotes_and_author_claims_are_not_statements():
    assert extract_statements(['The so-called "special operation" dragged on into a second winter.',
                               "The claims of a quick win proved hollow."]) == []
    # but naming words with a quotation is an attribution
    ss = extract_statements(['The government calls it a "special operation" and expects victory by summer.'])
    assert [(s.speaker.name, s.quotes) for s in ss] == [("government", ["special operation"])]


def test_ratios_minutes_and_parenthetical_conversions():
    f = _one("One in five residents has left.")
    assert f.value == pytest.approx(0.2) and f.unit == "fraction"
    f = _one("The generators need 15-20 minutes to start.")
    assert (f.low, f.high, f.unit) == (15, 20, "minute")
    a, b = extract_figures("The front is 30 km (19 miles) from the center.")
    assert (a.value, a.unit, b.value, b.unit) == (30, "km", 19, "mile")
    assert "from the center" in b.measure


def test_spokesperson_anonymous_official_and_published_by():
    ss = extract_statements([
        "A spokesperson for the Ministry of Energy said repairs would take a week.",
        '"Nobody believes it," one official, who asked not to be named, told the newspaper.',
        "Spending will rise by 20%, according to the draft budget published by the Finance Ministry on Friday.",
    ])
    assert [s.speaker.name for s in ss] == ["Ministry of Energy", "official", "Finance Ministry"]


def test_news_style_quote_over_several_paragraphs_and_present_tense_says():
    ss = extract_statements(['"We began with two printers," says Ana Kovac, who runs the lab.',
                             '"Then the orders came. We could not keep up.',
                             '"Now we have a waiting list."'])
    assert [(s.kind, s.speaker.name) for s in ss] == [("direct", "Ana Kovac"), ("continued", "Ana Kovac"),
                                                      ("continued", "Ana Kovac")]
    # a paragraph that is only a quote after narration (no direct statement before it) is not attributed
    assert extract_statements(["The lab opened in May.", '"Now we have a waiting list."']) == []


def test_compound_fractions_and_bare_counts():
    f = _one("The grant was worth a quarter of a million dollars.")
    assert (f.value, f.unit) == (250_000, "USD")
    f = _one("The workshop is now employing 140.")
    assert f.value == 140 and f.unit is None
    assert extract_figures("Anna Berg, 45, a teacher, said the school had closed.") == []
    f = _one("Casualties fell by two-thirds.")
    assert f.value == pytest.approx(2 / 3)


def test_british_single_quotes_and_role_then_name_subject():
    ss = extract_statements(["\u2018We are ready for a long winter,\u2019 the mayor\u2019s spokeswoman, Olga Reva, said.",
                             "Putin's spokesman, Dmitry Peskov, said the talks were 'not on the agenda'.",
                             "Kyiv\u2019s allies\u2019 patience is not endless, the paper wrote."])
    assert [(s.speaker.name, s.speaker.role) for s in ss[:2]] == [("Olga Reva", "mayor's spokeswoman"),
                                                                   ("Dmitry Peskov", "Putin's spokesman")]
    assert ss[0].quotes == ["We are ready for a long winter,"]
    assert ss[2].speaker.name == "paper" and ss[2].quotes == []  # apostrophes are not quotes


@pytest.mark.parametrize("text, low, high", [
    ("Ukraine will receive 10-15 thousand shells per month.", 1e4, 1.5e4),
    ("between 1.5 and 2 million people fled", 1.5e6, 2e6),
    ("two to three million people fled", 2e6, 3e6),
    ("from $5bn to $7bn in aid", 5e9, 7e9),
])
def test_a_scale_written_once_applies_to_both_ends_of_a_range(text, low, high):
    f = _one(text)
    assert (f.qualifier, f.low, f.high) == ("range", low, high)


def test_reuters_conventions():
    c = clean_paragraphs(["KYIV, Nov 30 (Reuters) - The air force said on Thursday that 40 of 42 drones were downed.",
                          "Reporting by Ann Lee; Editing by Tom Fox",
                          "Our Standards: The Thomson Reuters Trust Principles."])
    assert c.paragraphs == ["The air force said on Thursday that 40 of 42 drones were downed."]
    assert [d.rule for d in c.dropped] == ["dateline", "byline", "paywall"]
    ss = extract_statements(["Two officials, who spoke on condition of anonymity, said talks had stalled.",
                             "Al Jazeera's Rita Long, reporting from Kyiv, said the alerts lasted all night.",
                             "Ukraine downed most of the drones, the air force said on Friday, adding that one hit a depot."])
    assert [s.speaker.name for s in ss] == ["officials", "Rita Long", "air force"]
    assert ss[2].text.startswith("Ukraine downed most of the drones")
    a, b = extract_figures("The air force said 40 of 42 attack drones were shot down.")
    assert (a.value, a.unit, b.value, b.unit) == (40, "drones", 42, "drones")


def test_institution_after_name_question_quotes_and_transcripts():
    ss = extract_statements(['"We must do more," said Dr. Ines Moreau of the Sorbonne.',
                             '"Why now?" Moreau asked. "Because the window is closing."',
                             '"We are tired," Kaja Tamm told reporters, according to a transcript released by her office.',
                             "Two officials said Kyiv had asked Washington for more air defence systems."])
    assert [(s.speaker.name, s.cue) for s in ss] == [("Ines Moreau", "said"), ("Ines Moreau", "asked"),
                                                     ("Kaja Tamm", "told"), ("officials", "said")]
    assert ss[0].speaker.role == "Dr., of the Sorbonne"
    assert "Because the window is closing." in ss[1].text


def test_name_particles_polls_fractions_and_author_bio():
    ss = extract_statements(["As Carl von Clausewitz wrote, war is politics by other means.",
                             "A poll by the Levada Center found that 20% of Russians back talks.",
                             "Mobilisation is unpopular, the survey found."])
    # "the survey" is the organisation whose poll was just cited
    assert [s.speaker.name for s in ss] == ["Carl von Clausewitz", "Levada Center", "Levada Center"]
    f = _one("Refineries cut output by nearly a tenth.")
    assert (f.value, f.qualifier, f.unit) == (pytest.approx(0.1), "nearly", "fraction")
    c = clean_paragraphs(["The war entered its third winter with no talks in sight, diplomats in Vienna said.",
                          "The author is a senior fellow at the Atlantic Institute."])
    assert [d.rule for d in c.dropped] == ["editor_note"]


def test_dialogue_dashes_passive_by_and_within():
    ss = extract_statements(["The army took the village. This was announced by the spokesperson of the Southern "
                             "Command Natalia Humeniuk during a telethon.",
                             "\u2014 The enemy is retreating, \u2014 Humeniuk said.",
                             "- A bullet point about prices"])
    assert [(s.speaker.name, s.kind) for s in ss] == [("Natalia Humeniuk", "reported"), ("Natalia Humeniuk", "direct")]
    assert ss[1].quotes == ["The enemy is retreating,"] and ss[1].text.startswith("The enemy")
    f = _one("Power will be back within two weeks.")
    assert (f.value, f.qualifier, f.unit) == (2, "up to", "week")


def test_more_reporting_verbs_and_contrasting_clauses():
    ss = extract_statements([
        "Putin has stated that Russia is open to talks, but Kremlin spokesman Dmitry Peskov reiterated on Monday "
        "that any talks must recognise new realities.",
        "Zelensky vowed to retake every town, including Crimea, and pledged to hold elections.",
        "Lithuania's foreign minister, Gabrielius Landsbergis, called for a faster delivery of missiles.",
        "Kyiv demands reparations and tribunals.",
    ])
    # round 4: "called for" + a noun phrase is a speech act with no words, as the real-article corpus's
    # gold has it in every round (GOLD_FORMAT rule 2); "called for X to do Y" still attributes
    assert [(s.speaker.name, s.cue) for s in ss] == [("Putin", "stated"), ("Dmitry Peskov", "reiterated"),
                                                     ("Zelensky", "vowed")]
    assert [s.speaker.name for s in extract_statements(
        ["Gabrielius Landsbergis called for allies to deliver missiles faster."])] == ["Gabrielius Landsbergis"]
    assert ss[0].text == "Russia is open to talks"
    assert ss[2].text.startswith("to retake every town")
    f = _one("Orban threatened to block the EU's 50-billion-euro support fund.")
    assert (f.value, f.unit) == (50e9, "EUR")


def test_participle_cues_take_the_main_clause_subject():
    ss = extract_statements(["The ministry issued a statement on Friday, saying the strikes hit 12 towns.",
                             "On Monday, Zelensky addressed the parliament, warning that winter would be hard.",
                             "Running out of shells, the army retreated."])
    assert [(s.speaker.name, s.cue, s.text) for s in ss] == [
        ("ministry", "saying", "the strikes hit 12 towns."), ("Zelensky", "warning", "winter would be hard.")]
