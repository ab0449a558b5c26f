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
