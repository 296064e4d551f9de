from knowledge.models import Source
from knowledge.passages import MAX_PASSAGE_CHARS, sentence_spans, split_passages


def source(text: str, id: str = "s") -> Source:
    return Source(id=id, title="T", text=text)


def test_sentences_respect_abbreviations_and_quotes():
    text = 'Dr. Smith met U.S. envoys. "We agree." Talks end.'
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Dr. Smith met U.S. envoys.",
        '"We agree."',
        "Talks end.",
    ]


def test_headings_become_sections_and_ids_are_stable():
    text = (
        "Intro paragraph that opens the piece.\nKey Demands\nRussia demands neutrality of Ukraine."
    )
    passages = split_passages(source(text, "art"))
    assert [(p.id, p.section, p.text) for p in passages] == [
        ("art#0", None, "Intro paragraph that opens the piece."),
        ("art#1", "Key Demands", "Russia demands neutrality of Ukraine."),
    ]
    assert split_passages(source(text, "art")) == passages


def test_long_paragraph_is_cut_between_sentences_and_nothing_is_lost():
    sentences = [f"Sentence number {i} says something about the talks." for i in range(80)]
    text = " ".join(sentences)
    passages = split_passages(source(text))
    assert len(passages) > 4
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in passages)
    assert all(p.text.endswith(".") and p.text[0].isupper() for p in passages)
    assert " ".join(p.text for p in passages) == text


def test_bullets_stay_with_their_lead_in():
    text = (
        "Key issues include:\n- Ceasefire agreements: a halt.\n- Prisoner exchanges: swaps.\nAfter."
    )
    passages = split_passages(source(text))
    assert (
        passages[0].text
        == "Key issues include:\n- Ceasefire agreements: a halt.\n- Prisoner exchanges: swaps."
    )
    assert passages[1].text == "After."
