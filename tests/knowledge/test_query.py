import pytest

from knowledge.errors import KnowledgeError
from knowledge.index import BM25Index
from knowledge.language.tokenize import tokenize, words
from knowledge.query import QueryAnalyzer, load_synonyms

DOCS = [
    "Russia demanded the withdrawal of troops from Donetsk as its first demand.",
    "Turkey acted as a neutral mediator in Istanbul.",
    "A prisoner exchange was agreed in the second round.",
    "Observers monitored the agreement along the line.",
    "The economy suffered and markets reacted to each development.",
]


def analyzer(synonyms=()) -> QueryAnalyzer:
    index = BM25Index.build([tokenize(d) for d in DOCS])
    surface = {w.lower() for d in DOCS for w in d.replace(".", "").split()}
    return QueryAnalyzer(index, lambda: surface, synonyms)


def analyze(qa: QueryAnalyzer, question: str):
    return qa.analyze((w, question[w.start : w.end]) for w in words(question))


def test_typos_are_corrected_to_corpus_words():
    query = analyze(analyzer(), "what did russa demnd")
    assert query.terms == ("russia", "demand")


def test_the_question_can_be_respelt_as_the_sources_write_it():
    question = "What did Russa demnd, and why?"
    query = analyze(analyzer(), question)
    assert query.respelt == {"Russa": "russia", "demnd": "demand"}
    assert query.respell(question) == "What did russia demand, and why?"
    unchanged = "markets reached"
    assert analyze(analyzer(), unchanged).respell(unchanged) == unchanged


def test_a_typo_in_a_possessive_is_corrected_and_keeps_its_ending():
    question = "What was Rusia's first demnd?"
    query = analyze(analyzer(), question)
    assert query.terms == ("russia", "first", "demand")
    assert query.respell(question) == "What was russia's first demand?"
    assert analyze(analyzer(), "Tukey’s mediator").respelt == {"Tukey’s": "turkey’s"}


def test_everyday_words_are_not_respelt_into_corpus_words():
    query = analyze(analyzer(), "markets reached")  # "reached" is one edit from "reacted"
    assert query.terms == ("market", "reach")
    assert "reach" not in query.known
    assert analyze(analyzer(), "markets reactd").terms == ("market", "react")


def test_variants_join_words_of_one_family():
    query = analyze(analyzer(), "agreements")
    assert "agre" in query.variants["agreement"]


def test_a_place_matches_the_adjective_the_sources_use():
    index = BM25Index.build([tokenize("The European security architecture must change.")])
    qa = QueryAnalyzer(index, lambda: {"european", "security"})
    query = analyze(qa, "Europe's security")
    assert query.variants["europ"] == ("european",)


def test_synonyms_reach_the_words_the_sources_use():
    query = analyze(analyzer(synonyms=[frozenset(tokenize("swap exchange"))]), "prisoner swap")
    assert "exchang" in query.variants["swap"]
    assert "swap" in query.known


def test_unknown_words_weigh_most():
    query = analyze(analyzer(), "russian grammar lessons")
    assert query.weights["grammar"] >= max(query.weights.values())
    assert query.known == {"russian"}
    assert 0.6 < query.unknown_share < 1.0


def test_a_word_common_in_everyday_use_weighs_less_in_ranking():
    from knowledge.features import PRODUCT

    qa = analyzer()
    query = analyze(qa, "development donetsk")
    assert query.ranking_weight("donetsk") == query.weights["donetsk"]  # a rare word: its idf
    assert query.ranking_weight("develop") < query.weights["develop"]  # "development": common
    plain = PRODUCT.without("rarity")
    assert query.ranking_weight("develop", plain) == query.weights["develop"]


def test_coverage_is_the_idf_weighted_share_a_passage_matches():
    query = analyze(analyzer(), "turkey mediator economy")
    found = query.matched(set(tokenize(DOCS[1])))
    assert sorted(found) == ["mediat", "turkey"]
    assert query.share(found) == pytest.approx(
        (query.weights["turkey"] + query.weights["mediat"]) / sum(query.weights.values())
    )
    assert query.matched(set()) == [] and query.share([]) == 0.0


def test_shipped_synonyms_load_as_stem_groups():
    groups = load_synonyms()
    assert any({"demand", "want"} <= g for g in groups)


def test_a_bad_synonyms_file_is_a_knowledge_error_with_its_line(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text("- [truce, ceasefire]\n- [" + "9" * 5000 + "]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_synonyms(path)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (str(path), 2)
    path.write_text("truce: ceasefire\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="expected a list of lists"):
        load_synonyms(path)


def test_a_synonym_of_several_search_words_is_a_problem_at_its_line(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text("- [truce, ceasefire]\n- [halt,\n   cease-fire, the]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_synonyms(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "1.1: 'cease-fire' is 2 search words: a synonym is one word"),
        (3, "1.2: 'the' is a stopword: a synonym is one word"),
    ]


def test_a_long_question_is_clipped_at_a_word_boundary():
    from knowledge.query import MAX_QUESTION_CHARS, clipped

    question = "ceasefire " * (MAX_QUESTION_CHARS // 10) + "grammar"
    assert clipped(question).endswith("ceasefire")
    assert len(clipped(question)) <= MAX_QUESTION_CHARS
    assert clipped("x" * (MAX_QUESTION_CHARS + 5)) == "x" * MAX_QUESTION_CHARS  # one long word
    assert clipped("talks in Istanbul") == "talks in Istanbul"
