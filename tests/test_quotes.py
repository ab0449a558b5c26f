"""Quote finding and speaker attribution on small real-shaped sentences."""

from transforms.quotes import Person, find_quotes


def person(body: str, name: str, canonical: str | None = None) -> Person:
    start = body.index(name)
    return Person(start, start + len(name), canonical or name, f"PERSON:{(canonical or name).lower()}")


def test_speaker_named_after_the_quote_with_told():
    body = "“It cannot be called anything but an ideal example,” Peskov told reporters."
    [quote] = find_quotes(body, [person(body, "Peskov", "Dmitry Peskov")])
    assert (quote.speaker, quote.text) == ("Dmitry Peskov", "It cannot be called anything but an ideal example,")
    assert body[quote.start:quote.end] == quote.text


def test_said_before_the_speaker_names_the_speaker():
    body = "“Nothing awful happened at the talks,” said Naumkin."
    [quote] = find_quotes(body, [person(body, "Naumkin", "Vitaly Naumkin")])
    assert quote.speaker == "Vitaly Naumkin"


def test_he_said_is_the_nearest_preceding_person():
    body = "Williamson spoke to the paper. “This is the real threat that we face,” he said."
    [quote] = find_quotes(body, [person(body, "Williamson", "Gavin Williamson")])
    assert quote.speaker == "Gavin Williamson"


def test_straight_quotes_are_quotations_too():
    body = 'Nebenzia said the talks "will be more fruitful than before" in Geneva.'
    [quote] = find_quotes(body, [person(body, "Nebenzia")])
    assert quote.speaker == "Nebenzia"


def test_a_scare_quote_of_few_words_is_not_a_quotation():
    assert find_quotes("It was “a tragic page” in its history.", []) == []


def test_a_listener_after_told_is_not_the_speaker():
    body = "“They are not under sufficient pressure to do so,” the diplomat told Reuters."
    start = body.index("Reuters")
    [quote] = find_quotes(body, [Person(start, start + 7, "Reuters", "ORG:reuters")])
    assert quote.speaker is None


def test_a_name_the_ner_missed_after_the_quote_is_found_by_its_other_mention():
    body = "De Mistura spoke. “That is regrettable but diplomacy has many means,” De Mistura said."
    [quote] = find_quotes(body, [Person(0, 10, "Staffan de Mistura", "PERSON:staffan de mistura")])
    assert quote.speaker == "Staffan de Mistura"


def test_he_added_before_the_quote_is_the_nearest_person_before_the_pronoun():
    body = ("At the meeting with Lavrov, de Mistura lauded the efforts. He added that the talks "
            "“need to be nurtured constantly to keep them going.”")
    people = [person(body, "Lavrov", "Sergei Lavrov"), person(body, "de Mistura", "Staffan de Mistura")]
    [quote] = find_quotes(body, people)
    assert quote.speaker == "Staffan de Mistura"


def test_a_pronoun_prefers_the_person_who_spoke_to_a_nearer_one_who_did_not():
    body = ("Ongpin said the plan was ready. It would cover land seized from Ferdinand Marcos.\n\n"
            "“If we get a good reception in the hearings, it will pass,” he said.")
    people = [person(body, "Ongpin", "Jaime Ongpin"), person(body, "Ferdinand Marcos")]
    [quote] = find_quotes(body, people)
    assert quote.speaker == "Jaime Ongpin"


def test_a_pronoun_standing_for_an_unnamed_source_gives_no_speaker():
    body = ("Sprinkel spoke on Monday.\n\nOne dealer noted the dollar eased. "
            "“They were obviously regarded as being negative,” he said.")
    [quote] = find_quotes(body, [person(body, "Sprinkel", "Beryl Sprinkel")])
    assert quote.speaker is None


def test_a_second_quote_in_the_paragraph_has_the_first_ones_speaker():
    body = "“Nothing awful happened at all,” said Naumkin. “Nobody is fighting anyone else.”"
    quotes = find_quotes(body, [person(body, "Naumkin", "Vitaly Naumkin")])
    assert [q.speaker for q in quotes] == ["Vitaly Naumkin", "Vitaly Naumkin"]


def test_a_paragraph_that_is_only_a_quote_continues_the_previous_speaker():
    body = ("“The ministry is the leading department here,” Maria Zakharova said.\n\n"
            "“Foreign policy making has long become a complex process.”")
    quotes = find_quotes(body, [person(body, "Maria Zakharova")])
    assert [q.speaker for q in quotes] == ["Maria Zakharova", "Maria Zakharova"]


def test_a_quote_continued_over_paragraphs_keeps_its_speaker():
    body = "“The first part of the long quote\n\n“and the second part ends here,” Putin said."
    quotes = find_quotes(body, [person(body, "Putin", "Vladimir Putin")])
    assert [(q.text, q.speaker) for q in quotes] == [("The first part of the long quote", "Vladimir Putin"),
                                                     ("and the second part ends here,", "Vladimir Putin")]


def test_a_straight_quote_wrapped_over_lines_is_one_quotation():
    body = 'Sondra McCarty said: "We categorically deny that the United\n\nStates is selling weapons."'
    [quote] = find_quotes(body, [person(body, "Sondra McCarty")])
    assert quote.text.startswith("We categorically") and quote.speaker == "Sondra McCarty"


def test_text_between_two_straight_quotes_is_not_a_quotation():
    body = 'She said: "We deny it all." She added that Washington was "not doing anything wrong at all."'
    assert [q.text for q in find_quotes(body, [])] == ["We deny it all.", "not doing anything wrong at all."]


def test_the_spokesman_is_the_person_who_spoke_before():
    body = "Peskov said the cooperation was efficient. “This was very meaningful information,” the spokesman told reporters."
    [quote] = find_quotes(body, [person(body, "Peskov", "Dmitry Peskov")])
    assert quote.speaker == "Dmitry Peskov"


def test_a_name_that_speaks_wins_over_a_nearer_name_in_its_apposition():
    body = "De Mistura, speaking on Swiss television station RTS, said it could lead to “a fragmentation of Syria now”."
    start = body.index("RTS")
    people = [person(body, "De Mistura", "Staffan de Mistura"), Person(start, start + 3, "RTS", "ORG:rts")]
    [quote] = find_quotes(body, people)
    assert quote.speaker == "Staffan de Mistura"


def test_wrapped_lines_inside_a_paragraph_do_not_end_it():
    body = "“The Fed will view this as a caution flag,”\n\nStephen Roach of Morgan Stanley\n\nsaid."
    [quote] = find_quotes(body, [person(body, "Stephen Roach")])
    assert quote.speaker == "Stephen Roach"
