"""Tests for transforms.parse: small inline fixtures per rule, then the real seeds/ files."""

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from transforms.decode import decode
from transforms.parse import (
    CREDIT_MAX_CHARS, PLAIN_TEXT, ParsedArticle, dateline_of, is_headline_shaped, parse, plain_text, runs,
)
from transforms.dates import lines_with_four_digits
from transforms.pattern_data import read_patterns

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ANSWERS = json.loads((ROOT / "tests" / "answers" / "seeds.json").read_text(encoding="utf-8"))

REUTERS_PAIR = """\
Turkey and Iran leaders to meet in Istanbul

Iran's President Hassan Rouhani attends a news conference in Sochi, Russia November 22, 2017.

ANKARA (Reuters) – The leaders agreed on Wednesday to meet.

The date would be set in coming weeks.

(Reporting by Tulay Karadeniz; Editing by Dominic Evans)

Putin must nudge Syria into peace deal, mediator says

Putin must nudge Syria into peace deal, mediator says

By Stephanie Nebehay

GENEVA (Reuters) – The U.N. envoy urged Russia on Wednesday to act.

FLAG ROW

The envoy said the talks would go on.
"""


FIXTURES = Path(__file__).with_name("fixtures") / "segment"


def only(text: str) -> ParsedArticle:
    """Parse text that must hold exactly one article."""
    articles = parse(text)
    assert len(articles) == 1
    return articles[0]


# --- paragraphs and datelines -------------------------------------------------------------


def test_every_non_blank_line_is_a_paragraph():
    (run,) = runs("One.\nTwo.\n\n\nThree.\n")
    assert [(para.first_line, para.text) for para in run] == [(0, "One."), (1, "Two."), (4, "Three.")]


def test_nbsp_and_tabs_become_plain_spaces():
    assert [para.text for run in runs("  talks on\u00a0Syria\t \n") for para in run] == ["talks on Syria"]


@pytest.mark.parametrize("line", [
    "".join(map(chr, range(128))),  # every ASCII character, the control characters included
    " WASHINGTON, March 12 - The Treasury said ",
    "talks\u200b on\u00a0Syria\u3000now",
])
def test_plain_text_is_the_translation_of_every_line(line):
    assert plain_text(line) == line.translate(PLAIN_TEXT)


def test_dateline_city_is_the_printed_city_without_region():
    assert dateline_of("SOCHI, Russia (Reuters) – A Syrian peace conference") == ("SOCHI", "Reuters")


def test_dateline_accepts_a_plain_hyphen():
    assert dateline_of("GENEVA (Reuters) - U.N. Special Envoy") == ("GENEVA", "Reuters")


def test_mixed_case_place_is_not_a_dateline():
    assert dateline_of("Moscow (Reuters) – text") is None


# --- article boundaries -------------------------------------------------------------------


def test_article_starts_at_the_headline_before_a_dateline():
    articles = parse(REUTERS_PAIR)
    assert [a.headline for a in articles] == [
        "Turkey and Iran leaders to meet in Istanbul",
        "Putin must nudge Syria into peace deal, mediator says",
    ]
    assert [a.ordinal for a in articles] == [0, 1]


def test_headline_printed_twice_counts_once():
    second = parse(REUTERS_PAIR)[1]
    assert second.headline == "Putin must nudge Syria into peace deal, mediator says"
    assert "Putin must nudge" not in second.body and second.dek is None


def test_article_without_headline_starts_at_its_dateline():
    article = only("GENEVA (Reuters) - The envoy spoke.\nHe said more.")
    assert article.headline is None
    assert article.body == "GENEVA (Reuters) - The envoy spoke.\n\nHe said more."
    assert "no headline" in article.warnings


def test_plain_paragraph_between_headline_and_dateline_is_a_dek():
    article = only("Envoy urges Russia to act\n\nThe U.N. wants a deal.\n\nGENEVA (Reuters) – Text.")
    assert (article.headline, article.dek, article.body) == (
        "Envoy urges Russia to act",
        "The U.N. wants a deal.",
        "GENEVA (Reuters) – Text.",
    )


def test_text_without_dateline_is_one_article_with_headline_first():
    article = only("Russia hosts UN envoy\n\nThe envoy visited.\n\nHe stressed talks.")
    assert article.headline == "Russia hosts UN envoy"
    assert article.body == "The envoy visited.\n\nHe stressed talks."


def test_text_with_only_blank_lines_gives_no_articles():
    assert parse("\n  \n\n") == []


def test_text_with_only_boilerplate_gives_no_articles():
    assert parse("3 min read\n") == []


def test_form_feed_starts_a_new_article_even_without_headline_or_dateline():
    articles = parse("Envoy visits Moscow\n\nThe envoy came.\n\f\nTalks went on for hours.\n\nMore.")
    assert [(a.first_line, a.headline) for a in articles] == [(0, "Envoy visits Moscow"), (4, None)]


def test_rule_line_separates_articles_and_is_kept_as_boilerplate_of_the_first():
    first, second = parse("Envoy visits Moscow\n\nThe envoy came.\n\n----\n\nTalks end\n\nThey ended.\n\nMore.")
    assert first.boilerplate == ("----",) and first.body == "The envoy came."
    assert (second.first_line, second.headline) == (6, "Talks end")


def test_signature_after_a_sentence_ends_the_article():
    first, second = parse("Envoy visits Moscow\n\nThe envoy came.\n\nReuter\n\nTalks end\n\nThey ended.\n\nMore.")
    assert (first.agency, first.boilerplate) == ("Reuters", ("Reuter",))
    assert second.headline == "Talks end"


def test_credits_line_ends_the_article_before_a_headless_one():
    first, second = parse("GENEVA (Reuters) - Talks.\n(Editing by Peter Graff)\nThe envoy left on Friday.\nMore.")
    assert first.credits == "(Editing by Peter Graff)"
    assert (second.first_line, second.headline, second.body) == (2, None, "The envoy left on Friday.\n\nMore.")


def test_second_signature_after_the_ending_one_is_boilerplate_of_the_article():
    article = only(
        "MONTREAL, March 4 - Shr 11 cts vs nine cts\n    Net 2.1 mln vs 1.6 mln\n"
        "    Note: period ended January 31.\nREUTER\n Reuter\n"
    )
    assert article.boilerplate == ("REUTER", "Reuter")
    assert article.body.endswith("Note: period ended January 31.") and article.warnings == ("no headline",)


def test_signature_after_a_credits_line_gives_the_article_its_agency():
    article = only("Envoy visits Moscow\n\nThe envoy came.\n\n(Editing by Peter Graff)\n\n— AFP")
    assert (article.credits, article.boilerplate, article.agency) == ("(Editing by Peter Graff)", ("— AFP",), "AFP")


def test_lone_agency_signature_is_not_headline_shaped():
    assert not is_headline_shaped("Reuter")


def test_company_in_parentheses_before_a_headline_is_headline_shaped():
    assert is_headline_shaped("(G.T.C. TRANSCONTINENTAL GROUP LTD) 1ST QTR NET")


@pytest.mark.parametrize(
    "line", ["(CORRECTED) - MOBIL <MOB> TO UPGRADE REFINERY UNIT", "(CORRECTED)-<AMERICAN VARIETY INTERNATIONAL INC>"]
)
def test_dash_after_a_bracketed_prefix_keeps_the_line_headline_shaped(line):
    assert is_headline_shaped(line)


def test_square_bracketed_prefix_before_a_headline_is_headline_shaped():
    assert is_headline_shaped("[UPDATE 1] Oil rises on supply fears")


def test_credits_line_is_not_headline_shaped():
    assert not is_headline_shaped("(Reporting by Tulay Karadeniz; Editing by Dominic Evans)")


@pytest.mark.parametrize("line", ["[photo]", "(Corrects figure)"])
def test_wholly_bracketed_line_is_not_headline_shaped(line):
    assert not is_headline_shaped(line)


def test_unclosed_bracket_is_not_headline_shaped():
    assert not is_headline_shaped("(Corrects dollar/mark exchange rate to 1.8250 and makes")


@pytest.mark.parametrize(
    "line", ["(GATT) does not give high priority to agricultural trade reform", "(3,647), soybean 104,314 (56,901)"]
)
def test_bracket_followed_by_a_wrapped_sentence_is_not_headline_shaped(line):
    assert not is_headline_shaped(line)


def test_bracketed_prefix_before_a_byline_is_not_headline_shaped():
    assert not is_headline_shaped("(CORRECTED) - By Jack Stubbs")


def test_parenthesised_company_headline_heads_its_story():
    article = only(
        "(G.T.C. TRANSCONTINENTAL GROUP LTD) 1ST QTR NET\n\n"
        "    MONTREAL, March 4 - Shr 11 cts vs nine cts\n    Net 2.1 mln vs 1.6 mln\nREUTER\n"
    )
    assert (article.first_line, article.headline, article.dateline, article.warnings) == (
        0, "(G.T.C. TRANSCONTINENTAL GROUP LTD) 1ST QTR NET", "MONTREAL", ()
    )
    assert article.body.startswith("MONTREAL, March 4 - ")


def test_credits_line_above_a_headless_dateline_stays_credits_of_the_article_before():
    first, second = parse("GENEVA (Reuters) - Talks went on\n(Editing by Peter Graff)\nPARIS (Reuters) - Talks ended.")
    assert first.credits == "(Editing by Peter Graff)"
    assert (second.first_line, second.headline) == (2, None)


def test_agency_line_under_a_headline_does_not_end_the_article():
    article = only("Envoy visits Moscow\n\nReuters\n\nThe envoy came.\n\nMore.")
    assert article.headline == "Envoy visits Moscow"


def test_first_line_is_the_input_line_of_the_headline():
    assert [a.first_line for a in parse(REUTERS_PAIR)] == [0, 10]


def test_dateline_without_agency_gives_the_city():
    assert dateline_of("WASHINGTON, March 12 - It could be months before aid.") == ("WASHINGTON", None)


def test_dateline_with_dash_and_no_region_gives_the_city():
    assert dateline_of("LONDON — Britain’s defence minister warned.") == ("LONDON", None)


def test_upper_case_headline_with_a_dash_is_not_a_dateline():
    assert dateline_of("OPEC - OIL PRICES FALL") is None


def test_sentence_with_a_dash_after_a_capitalised_word_is_not_a_dateline():
    assert dateline_of("IBM, the company - which had denied it - said so.") is None


def test_article_with_agencyless_dateline_starts_at_its_headline():
    first, second = parse(
        "TALKS END\n\nPARIS, March 3 - Talks ended.\n\nEXPORTS TO RISE IN U.S.\n\nROME, March 4 - Exports rise."
    )
    assert (second.first_line, second.headline, second.dateline) == (4, "EXPORTS TO RISE IN U.S.", "ROME")


def test_headline_only_text_before_a_datelined_story_is_its_header():
    article = only(
        "USDA LIFTS CROSS-COMPLIANCE FOR 1987 CROP OATS\n    REPEAT FROM LATE FRIDAY\n"
        "    WASHINGTON, Feb 27 - The USDA said it is lifting the\nlimited cross-compliance requirement.\n"
    )
    assert (article.first_line, article.headline, article.dek, article.dateline) == (
        0, "USDA LIFTS CROSS-COMPLIANCE FOR 1987 CROP OATS", "REPEAT FROM LATE FRIDAY", "WASHINGTON"
    )
    assert article.body.startswith("WASHINGTON, Feb 27 - ") and article.warnings == ()


def test_furniture_under_a_headline_only_header_stays_with_the_story():
    article = only("Talks end\n\nBy Jack Stubbs\n\nMORE TALKS SET\n\nPARIS, March 3 - Talks ended.")
    assert (article.headline, article.byline, article.dek) == ("Talks end", "By Jack Stubbs", "MORE TALKS SET")


def test_headline_only_text_before_a_hard_break_stays_an_article_without_body():
    first, second = parse("Envoy visits Moscow\n\f\nGENEVA (Reuters) - Talks ended.")
    assert (first.headline, first.body, first.warnings) == ("Envoy visits Moscow", "", ("no body text",))
    assert (second.first_line, second.headline) == (2, None)


def test_agency_named_in_a_byline_is_the_agency_not_an_author():
    article = only("Talks end\n\nBY TED D'AFFLISIO, Reuters\n\nPARIS, March 3 - Talks ended.")
    assert (article.authors, article.agency) == (("TED D'AFFLISIO",), "Reuters")


# --- header fields ------------------------------------------------------------------------


def test_caption_between_headline_and_dateline_is_moved_out_of_body():
    first = parse(REUTERS_PAIR)[0]
    caption = "Iran's President Hassan Rouhani attends a news conference in Sochi, Russia November 22, 2017."
    assert first.captions == (caption,)
    assert first.body.startswith("ANKARA (Reuters) – ")


def test_byline_names_split_on_and_become_authors():
    article = only("Talks resume\n\nBy Andrew Osborn and Jack Stubbs\n\nMOSCOW (Reuters) – Text.")
    assert article.byline == "By Andrew Osborn and Jack Stubbs"
    assert article.authors == ("Andrew Osborn", "Jack Stubbs")


def test_a_writer_s_role_in_a_byline_is_not_an_author():
    article = only("Talks resume\n\nBy Hannah Okoro, Health Correspondent\n\nMOSCOW (Reuters) – Text.")
    assert article.authors == ("Hannah Okoro",)


def test_agency_in_byline_is_not_an_author_but_the_agency():
    article = only("Envoy visits\n\nBy: AP | Moscow | Published: June 8, 2017 7:16:54 pm\n\nThe envoy came.\n\nMore.")
    assert (article.authors, article.agency, article.dateline) == ((), "AP", "Moscow")


def test_lower_case_byline_above_a_dateline_gives_authors_and_agency():
    article = only(
        "U.S. MARCH LEADING INDEX SIGNALS MODEST GROWTH\n\nby Kathleen Hays, Reuters\n\n"
        "NEW YORK, April 29 - A 0.4 pct rise in the March index points to moderate growth, economists said."
    )
    assert (article.byline, article.authors, article.agency, article.dek) == (
        "by Kathleen Hays, Reuters", ("Kathleen Hays",), "Reuters", None
    )


def test_body_line_starting_with_lower_case_by_and_names_is_not_a_byline():
    article = only(
        "BRANIFF GETS MEXICO ROUTES\n    The company said the recommendation must still be approved\n"
        "by Elizabeth Dole and James Baker\nbefore the routes open.\n"
    )
    assert (article.byline, article.authors) == (None, ())
    assert "\n\nby Elizabeth Dole and James Baker\n\n" in article.body


def test_published_date_is_read_from_the_byline():
    article = only("Envoy visits\n\nBy: AP | Moscow | Published: June 8, 2017 7:16:54 pm\n\nThe envoy came.\n\nMore.")
    assert article.published_at == datetime(2017, 6, 8, 19, 16, 54)


def test_bare_date_line_gives_published_at_and_goes_to_boilerplate():
    article = only("Russia hopes for talks\n10 January, 2018\n\nThere are hopes.\n\nMore hopes.")
    assert article.published_at == datetime(2018, 1, 10)
    assert article.boilerplate == ("10 January, 2018",)


def test_caption_dates_are_not_publication_dates():
    assert parse(REUTERS_PAIR)[0].published_at is None


def test_bullets_under_headline_form_the_dek():
    article = only(
        "Lavrov Meets UN Envoy\n\n  • Lavrov sees envoy\n  • Assad holds stance\n\nRussia’s diplomat met.\n\nMore."
    )
    assert article.dek == "• Lavrov sees envoy\n• Assad holds stance"
    assert article.body == "Russia’s diplomat met.\n\nMore."


def test_reading_time_is_boilerplate():
    article = only("Russia hopes for talks\n3 min read\n\nThere are hopes.\n\nMore hopes.")
    assert article.boilerplate == ("3 min read",)
    assert "3 min read" not in article.body


def test_a_relative_time_stamp_is_boilerplate_and_dates_nothing():
    article = only("Council keeps weekly bins\nBy Sarah Mitchell\nPublished 3 hours ago\n\nCouncillors voted.\n\nMore.")
    assert article.boilerplate == ("Published 3 hours ago",)
    assert (article.body, article.published_at) == ("Councillors voted.\n\nMore.", None)


def test_a_share_button_label_closing_a_story_is_boilerplate():
    article = only("Council keeps weekly bins\n\nCouncillors voted.\n\nMore.\n\nShare this article")
    assert (article.body, article.boilerplate) == ("Councillors voted.\n\nMore.", ("Share this article",))


def test_a_date_line_printing_the_time_first_gives_published_at():
    article = only("Police appeal after crash\nBy Sarah Mitchell\nUpdated 14:32, 12 March 2024\n\nA cyclist was hurt.\n\nMore.")
    assert (article.published_at, article.boilerplate) == (datetime(2024, 3, 12), ("Updated 14:32, 12 March 2024",))


def test_a_caption_closed_by_an_agency_photographer_credit_is_a_caption():
    caption = "The treasurer speaks to the media in Canberra. (AAP Image/Lukas Coch)"
    article = only(f"Treasurer flags surplus\n\nThe treasurer will release the outlook on Wednesday.\n\n{caption}\n\nMore.")
    assert (article.captions, article.body) == ((caption,), "The treasurer will release the outlook on Wednesday.\n\nMore.")


def test_a_read_also_link_in_title_case_is_boilerplate():
    link = "Also Read: States Flag Storage Shortfall As Wheat Procurement Crosses Record"
    article = only(f"Ration scheme extended\n\nThe scheme was extended on Friday.\n\nIt feeds millions.\n\n{link}\n\nMore.")
    assert (article.boilerplate, article.body) == ((link,), "The scheme was extended on Friday.\n\nIt feeds millions.\n\nMore.")


def test_a_writer_named_with_a_role_and_no_by_is_the_byline():
    article = only("Drought bites\n\nEmma Collins, Regional Affairs Reporter\n\nThe dams are empty this year.\n\nMore.")
    assert (article.byline, article.authors) == ("Emma Collins, Regional Affairs Reporter", ("Emma Collins",))


def test_a_masthead_above_the_first_story_is_boilerplate_and_not_its_headline():
    article = only("Hillcrest Gazette — 14 March edition\n\nHospital parking charges to rise\n\nVisitors will pay more.\n\nMore.")
    assert (article.headline, article.boilerplate) == ("Hospital parking charges to rise", ("Hillcrest Gazette — 14 March edition",))


def test_a_section_heading_starts_no_story_of_its_own():
    text = (FIXTURES / "riverside_courier_week.txt").read_text(encoding="utf-8")
    articles = parse(text)
    assert "In brief" not in [article.headline for article in articles]
    assert any("In brief" in article.boilerplate for article in articles)


def test_plain_paragraph_followed_by_caption_is_body_not_dek():
    article = only("Russia hopes for talks\n\nThere are hopes.\n\nMoscow led the talks [Getty]\n\nMore hopes.")
    assert article.dek is None
    assert article.body == "There are hopes.\n\nMore hopes."
    assert article.captions == ("Moscow led the talks [Getty]",)


def test_keyword_tag_run_before_caption_goes_to_boilerplate():
    article = only(
        "Envoy visits\n\nBy: AP | Moscow\n"
        "Russia hosts UN Envoy, Syria news, UN news, Latest news, International news "
        "Sergey Lavrov talks to the envoy. (Source: AP)\n\nThe envoy came.\n\nMore."
    )
    assert article.captions == ("Sergey Lavrov talks to the envoy. (Source: AP)",)
    assert article.boilerplate == ("Russia hosts UN Envoy, Syria news, UN news, Latest news, International news",)


# --- body fields --------------------------------------------------------------------------


def test_credits_line_is_moved_out_of_body():
    first = parse(REUTERS_PAIR)[0]
    assert first.credits == "(Reporting by Tulay Karadeniz; Editing by Dominic Evans)"
    assert "Reporting by" not in first.body


def test_subheading_stays_in_body_and_is_listed():
    second = parse(REUTERS_PAIR)[1]
    assert second.subheadings == ("FLAG ROW",)
    assert "\n\nFLAG ROW\n\n" in second.body


def test_title_case_subheading_is_listed():
    article = only("Lavrov Meets Envoy\n\nRussia’s diplomat met.\n\nAssad’s Stance\n\nAssad showed no sign.")
    assert article.subheadings == ("Assad’s Stance",)


def test_caption_printed_twice_in_body_is_caption():
    text = (
        "GENEVA (Reuters) – Text.\n\nAn interior view of a supermarket is seen on December 28, 2017.\n\n"
        "An interior view of a supermarket is seen on December 28, 2017. Handout via REUTERS\n\nMore text."
    )
    article = only(text)
    assert article.body == "GENEVA (Reuters) – Text.\n\nMore text."
    assert len(article.captions) == 2


def test_every_caption_credit_ends_its_paragraph_within_the_characters_searched():
    """is_caption searches only a paragraph's last CREDIT_MAX_CHARS characters (and one more)."""
    for row in read_patterns("captions.jsonl"):
        assert row["pattern"].endswith("$") and re._parser.parse(row["pattern"]).getwidth()[1] <= CREDIT_MAX_CHARS


def test_credit_after_a_long_caption_still_makes_it_a_caption():
    caption = "Workers " + "carry sandbags along the flooded river bank " * 8 + "in Dresden. REUTERS/Fabian Bimmer"
    article = only(f"GENEVA (Reuters) – Text.\n\n{caption}\n\nMore text.")
    assert article.captions == (caption,)


def test_date_stamp_alone_does_not_make_a_body_paragraph_a_caption():
    article = only("GENEVA (Reuters) – Text.\n\nThe bomb went off on December 28, 2017.")
    assert article.captions == ()


def test_promo_line_goes_to_boilerplate_and_names_the_agency():
    article = only("Lavrov Meets Envoy\n\nRussia’s diplomat met.\n\nBefore it's here, it's on the Bloomberg Terminal.")
    assert article.boilerplate == ("Before it's here, it's on the Bloomberg Terminal.",)
    assert article.agency == "Bloomberg"


def test_trailing_agency_signature_gives_agency():
    article = only("Envoy visits\n\nThe envoy came.\n\nMore.\n\n— AFP")
    assert (article.agency, article.boilerplate, article.body) == ("AFP", ("— AFP",), "The envoy came.\n\nMore.")


def test_body_paragraphs_are_joined_by_a_blank_line():
    assert only("GENEVA (Reuters) - One.\nTwo.").body == "GENEVA (Reuters) - One.\n\nTwo."


def test_language_is_detected_from_the_body():
    assert parse(REUTERS_PAIR)[0].language == "en"


def test_too_little_text_has_undetermined_language():
    assert only("GENEVA (Reuters) - Yes.").language == "und"


def test_stripped_apostrophes_are_warned_about():
    article = only("GENEVA (Reuters) - A visit to Russia s base in Assad s favor.")
    assert any("apostrophes look stripped" in warning for warning in article.warnings)


@pytest.mark.parametrize("body", [
    "GENEVA (Reuters) - A visit to Russia s base in Assad s.",  # the second one ends the text
    "GENEVA (Reuters) - A visit to Russia s, then Assad s: a base.",
])
def test_stripped_apostrophes_before_punctuation_are_warned_about(body):
    assert any("apostrophes look stripped" in warning for warning in only(body).warnings)


# --- seeds/ -------------------------------------------------------------------------------


def parse_seed(name: str) -> list[ParsedArticle]:
    """Decode and parse one file of seeds/."""
    return parse(decode((ROOT / "seeds" / name).read_bytes()).text)


def as_answer(article: ParsedArticle) -> dict:
    """Project an article onto the fields of tests/answers/seeds.json."""
    return {
        "first_line": article.first_line,
        "headline": article.headline,
        "dek": article.dek,
        "byline": article.byline,
        "authors": list(article.authors),
        "dateline": article.dateline,
        "agency": article.agency,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "body_start": article.body[:60],
        "caption_count": len(article.captions),
        "credits": article.credits,
        "subheadings": list(article.subheadings),
        "boilerplate": list(article.boilerplate),
    }


def test_seeds_hold_fourteen_articles():
    assert sum(len(parse_seed(path.name)) for path in SEEDS) == 14


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_articles_match_hand_labelled_answers(path):
    assert [as_answer(article) for article in parse_seed(path.name)] == ANSWERS[path.name]


def test_stripped_apostrophes_stay_in_the_body_of_000():
    (article,) = parse_seed("000_d24fb50e498e2310.txt")
    assert "Russia s Hmeymim" in article.body


def test_repeated_caption_inside_a_001_body_is_caption():
    article = parse_seed("001_0df5ebf0a88efb3e.txt")[5]
    assert "An interior view of a supermarket" not in article.body
    assert sum(c.startswith("An interior view of a supermarket") for c in article.captions) == 2


def test_subheadings_of_001_stay_inside_their_article():
    article = parse_seed("001_0df5ebf0a88efb3e.txt")[7]
    assert "\n\nSYRIA ROLE\n\n" in article.body and "\n\nPOLICY INTERVENTIONS\n\n" in article.body


def test_image_caption_of_002_ends_with_its_source():
    (article,) = parse_seed("002_129274b56b2bef6b.txt")
    assert article.captions[0].startswith("Russian Foreign Minister Sergey Lavrov, right,")
    assert article.captions[0].endswith("(Source: AP)")


def test_caption_of_004_ends_with_getty_tag():
    (article,) = parse_seed("004_e5dbe2a19b4d9aac.txt")
    assert article.captions == ("Moscow has spearheaded the talks in Astana over the last year [Getty]",)


def _output_lines(article: ParsedArticle) -> list[str]:
    """Return every line the parser put anywhere in an article."""
    lines = [article.headline] if article.headline else []
    for multi_line in (article.dek, article.byline, article.credits):
        lines += multi_line.split("\n") if multi_line else []
    lines += article.body.split("\n\n") if article.body else []
    return lines + list(article.captions) + list(article.boilerplate)


def _squash(line: str) -> str:
    """Compare lines by their stripped words, whatever the spaces between them."""
    return " ".join(line.split())


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_every_seed_line_is_accounted_for_exactly_once(path):
    articles = parse_seed(path.name)
    given = Counter(_squash(line) for line in decode(path.read_bytes()).text.split("\n") if line.strip())
    placed = Counter(_squash(line) for article in articles for line in _output_lines(article))
    for article in articles:
        # A caption that had a keyword-tag run cut off its front was one input line.
        for tags in article.boilerplate:
            for caption in article.captions:
                joined = f"{tags} {caption}"
                if given[joined]:
                    placed.subtract([tags, caption])
                    placed[joined] += 1
        # A headline printed twice is kept once.
        if article.headline and given[_squash(article.headline)] == placed[_squash(article.headline)] + 1:
            placed[_squash(article.headline)] += 1
    assert +given == +placed


# --- transforms.dates ---------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "1987 first\nnone here\n\nTuesday, March 10, 1987\n12 345 and 2024-03-12\nends on 1999",
    "no digits at all\n",
    "\n2001\n\n20020\n",
])
def test_lines_with_four_digits_are_those_of_the_text_in_order(text):
    expected = [line for line in text.split("\n") if re.search(r"\d{4}", line)]
    assert list(lines_with_four_digits(text)) == expected
