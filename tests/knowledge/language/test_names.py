"""Names in a question: capitalised inside a sentence, or in camel case."""

from knowledge.language.names import name_tokens


def test_names_are_capitalised_words_not_opening_a_sentence():
    assert name_tokens("What did Erdogan say? Ask Kyiv. I'm sure") == {"erdogan", "kyiv"}
    assert name_tokens("Where is the NATO summit") == {"nato"}
    assert name_tokens("хто виграв Євробачення", "uk") == {"евробачен"}


def test_camel_case_words_are_names_wherever_they_stand():
    assert name_tokens("iPhone release date") == {"iphon"}
    assert name_tokens("Is the eBay listing real?") == {"ebay"}
    assert name_tokens("iphone release date") == set()  # all lower case: no name
