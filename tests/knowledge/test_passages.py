from knowledge import passages as passages_module
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


class _Recorder:
    """Wraps a compiled pattern and records the length of every text searched."""

    def __init__(self, pattern):
        self.pattern, self.lengths = pattern, []

    def search(self, text, *args):
        self.lengths.append(len(text))
        return self.pattern.search(text, *args)


def _words(text: str) -> list[str]:
    return text.split()


def test_a_megabyte_paragraph_is_cut_into_capped_passages_with_bounded_work(monkeypatch):
    recorder = _Recorder(passages_module._ABBREVIATION)
    monkeypatch.setattr(passages_module, "_ABBREVIATION", recorder)
    sentence = "Dr. Smith said the U.S. envoys met Russian and Ukrainian delegates again. "
    text = sentence * (1_000_000 // len(sentence))
    passages = split_passages(source(text))
    assert len(passages) > 1000
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in passages)
    assert [w for p in passages for w in _words(p.text)] == _words(text)
    assert recorder.lengths and max(recorder.lengths) <= 64  # a bounded tail per break


def test_text_without_sentence_ends_is_cut_at_spaces_under_the_cap():
    text = " ".join(f"word{i}" for i in range(40_000))  # ~300 kB, not one full stop
    passages = split_passages(source(text))
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in passages)
    assert all(len(p.text) >= MAX_PASSAGE_CHARS // 2 for p in passages[:-1])
    assert [w for p in passages for w in _words(p.text)] == _words(text)


def test_a_word_longer_than_the_cap_is_cut_hard():
    text = "x" * (3 * MAX_PASSAGE_CHARS + 5)
    passages = split_passages(source(text))
    assert [len(p.text) for p in passages] == [MAX_PASSAGE_CHARS] * 3 + [5]
    assert "".join(p.text for p in passages) == text


def test_words_before_a_url_longer_than_the_cap_are_not_cut_in_a_word():
    url = "https://example.org/" + "a/" * MAX_PASSAGE_CHARS
    text = f"The lighthouse commission listed {url} as its archive"
    passages = split_passages(source(text))
    assert passages[0].text == "The lighthouse commission listed"
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in passages)
    assert "".join(p.text for p in passages[1:]).replace(" ", "") == f"{url}asitsarchive"


def test_a_passage_keeps_its_ref_when_other_passages_of_its_source_change():
    before = split_passages(source("First words here.\n\nRussia demands neutrality.", "art"))
    after = split_passages(source("New lead.\n\nMore.\n\nRussia demands neutrality.", "art"))
    assert before[1].text == after[2].text and before[1].id != after[2].id
    assert before[1].ref == after[2].ref and len(before[1].ref) == 16
    assert len({p.ref for p in before + after}) == 4  # other texts, other refs
    elsewhere = split_passages(source("Russia demands neutrality.", "other"))[0]
    assert elsewhere.ref != before[1].ref  # the same words in another source
