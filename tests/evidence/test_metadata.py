"""Title and date (issue 15 item 7): found where the text states them, stated by the user
where it does not, and shown as "(not stated)" rather than blank."""

from __future__ import annotations

import json

import pytest

from ceasefire.cli import main
from ceasefire.evidence.pipeline import process_file

from .helpers import seeds_dir


def run(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_header_after_a_menu_line_gives_title_and_date(tmp_path):
    """A scraped page header: a menu line of glued words, the headline, a date line. The
    three lines are not joined as hard-wrapped text; the menu is dropped, the headline is the
    title (although it is not the first line) and the date line is the date."""
    p = tmp_path / "page.txt"
    p.write_text("WorldBusiness MarketsLegal Breakingviews Technology Investigations More\n"
                 "Kremlin says talks on grain corridor will resume next week\n"
                 "March 14, 2023 / 9:16 AM / Updated an hour ago\n\n"
                 "MOSCOW, March 14 (Reuters) - The Kremlin said on Tuesday that talks on the grain corridor "
                 "would resume next week, after a pause of 12 days.\n\n"
                 "\"We are ready to talk,\" Kremlin spokesman Dmitry Peskov told reporters.\n", encoding="utf-8")
    ev = process_file(p)
    assert ev.title == "Kremlin says talks on grain corridor will resume next week"
    assert ev.date == "2023-03-14"
    rules = {d.rule for d in ev.dropped}
    assert {"paywall", "title", "date", "dateline"} <= rules
    assert ev.paragraphs[0].startswith("The Kremlin said on Tuesday")


def test_sofrep_seed_states_no_title_or_date_and_the_user_can(tmp_path, capsys):
    """The SOFREP seed's text (a scrape of the article body and the paywall) states neither a
    title nor a date: nothing is made up, `list` says "(not stated)", and `add --title/--date`
    records what the user knows, with a warning saying where it came from."""
    seed = seeds_dir() / "000_e7d0cf1533a8b985.txt"
    ev = process_file(seed)
    assert ev.title is None and ev.date is None
    db = str(tmp_path / "ev.sqlite")
    code, out, err = run(capsys, "evidence", "add", str(seed), "--db", db)
    assert code == 0
    code, out, _ = run(capsys, "evidence", "list", "--db", db)
    assert code == 0 and out.count("(not stated)") == 2
    db2 = str(tmp_path / "ev2.sqlite")
    code, out, err = run(capsys, "evidence", "add", str(seed), "--db", db2, "--title", "Milley sees a window",
                         "--date", "2022-11-14", "--json")
    assert code == 0
    warnings = json.loads(out)["added"][0]["warnings"]
    assert any("--title" in w for w in warnings) and any("--date" in w for w in warnings)
    code, out, _ = run(capsys, "evidence", "list", "--db", db2, "--json")
    assert (json.loads(out)[0]["title"], json.loads(out)[0]["date"]) == ("Milley sees a window", "2022-11-14")
    code, out, _ = run(capsys, "evidence", "reindex", "--all", "--db", db2, "--json")
    code, out, _ = run(capsys, "evidence", "list", "--db", db2, "--json")
    assert json.loads(out)[0]["title"] == "Milley sees a window"  # re-extraction keeps it


def test_metadata_options_are_checked(tmp_path, capsys):
    seeds = seeds_dir()
    db = str(tmp_path / "ev.sqlite")
    code, _, err = run(capsys, "evidence", "add", str(seeds / "000_e7d0cf1533a8b985.txt"), "--date", "14/11/22",
                       "--db", db)
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run(capsys, "evidence", "add", str(seeds), "--title", "x", "--db", db)
    assert code == 2 and "one document" in err
    # the text's own title wins over --title, with a warning
    code, out, _ = run(capsys, "evidence", "add", str(seeds / "003_68245a0a8fc4f493.txt"), "--title", "Other",
                       "--db", db, "--json")
    added = json.loads(out)["added"][0]
    assert code == 0 and any("kept it rather than --title" in w for w in added["warnings"])
