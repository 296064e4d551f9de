import os
import subprocess
import sys
from pathlib import Path

from knowledge.excerpts import EXCERPT_BUDGET, is_near_duplicate, make_excerpt
from knowledge.models import Passage, Source

SOURCE = Source(id="s", title="T", text="")


def excerpt(text: str, *terms: str, rank: int = 1):
    passage = Passage(id="s#0", source_id="s", position=0, text=text)
    return make_excerpt(passage, SOURCE, {t: 1.0 for t in terms}, rank, 1.0)


def test_picks_the_sentences_with_the_matching_terms():
    text = (
        "Talks opened in spring with long speeches by every delegation present. "
        "Weather delayed the second day of meetings in the old palace by some hours. "
        "Russia demanded the withdrawal of Ukrainian forces from Donetsk and Luhansk. "
        "Ukraine rejected this at once. Observers left the hall before lunch on Friday."
    )
    result = excerpt(text, "withdraw", "donetsk")
    assert "Russia demanded the withdrawal of Ukrainian forces from Donetsk" in result.text
    assert "Talks opened" not in result.text
    assert [result.text[s:e] for s, e in result.highlights] == ["withdrawal", "Donetsk"]


def test_of_windows_with_the_same_words_the_one_about_them_wins():
    passing = "Ukraine raised Crimea in passing, among many other points on the long agenda "
    about = "Ukraine considers Crimea its own, and Ukraine says no talks can trade Crimea away "
    filler = "The delegations met for several hours in a hall of the old palace by the river "
    text = f"{passing}of that day. {filler}on Monday. {about}for anything. {filler}on Tuesday."
    result = excerpt(text, "ukrain", "crimea")
    assert "Ukraine considers Crimea its own" in result.text
    assert "in passing" not in result.text


def test_the_excerpt_holds_the_sentence_closest_in_meaning_when_told():
    text = (
        "Talks opened in spring with long speeches by every delegation present. "
        "Weather delayed the second day of meetings in the old palace by some hours. "
        "Russia demanded the withdrawal of Ukrainian forces from Donetsk and Luhansk. "
        "Ukraine rejected this at once. Observers left the hall before lunch on Friday."
    )
    passage = Passage(id="s#0", source_id="s", position=0, text=text)
    focus = "Observers left the hall before lunch on Friday."
    result = make_excerpt(passage, SOURCE, {"talk": 1.0}, 1, 1.0, focus)
    assert focus in result.text
    assert "Talks opened" not in result.text  # the matched word alone no longer decides
    unknown = make_excerpt(passage, SOURCE, {"talk": 1.0}, 1, 1.0, "Not in the passage.")
    assert unknown.text.startswith("Talks opened")


def test_a_long_sentence_is_trimmed_around_the_match_with_ellipses():
    text = "word " * 200 + "Istanbul meeting " + "word " * 200 + "end."
    result = excerpt(text.strip(), "istanbul")
    assert len(result.text) <= EXCERPT_BUDGET + 2
    assert result.text.startswith("…") and result.text.endswith("…")
    assert "Istanbul" in result.text


def test_short_excerpt_takes_a_neighbour_for_context():
    text = "Minsk failed. It lacked enforcement and trust between the parties, analysts say."
    assert excerpt(text, "minsk").text == text


def test_near_duplicates_are_detected():
    a = excerpt("Turkey offered to mediate between the two sides in Istanbul.", "turkey")
    b = excerpt("Turkey offered to mediate between both sides in Istanbul.", "turkey")
    c = excerpt("The OSCE monitored the line of contact in the east.", "osce")
    assert is_near_duplicate(a, b)
    assert not is_near_duplicate(a, c)


# Two sentences whose matched weights are equal: 0.1 + 0.2 + 0.3 against 0.6. Summed in set
# order, the first is 0.6000000000000001 for most orders, so which one is shown depended on
# the process's hash seed: the same question got another excerpt after a restart.
_TIED = """
import sys
from knowledge.excerpts import make_excerpt
from knowledge.models import Passage, Source
filler = " and then some more words about nothing in particular" * 5
text = "Alpha bravo charlie" + filler + ". Delta" + filler[:250] + "."
passage = Passage(id="s#0", source_id="s", position=0, text=text)
weights = {"alpha": 0.1, "bravo": 0.2, "charli": 0.3, "delta": 0.6}
print(make_excerpt(passage, Source(id="s", title="T", text=""), weights, 1, 1.0).text[:5])
"""


def test_equal_windows_choose_alike_whatever_the_hash_seed():
    root = Path(__file__).resolve().parents[2]
    shown = {
        subprocess.run(
            [sys.executable, "-c", _TIED],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(root)},
        ).stdout.strip()
        for seed in range(6)
    }
    assert shown == {"Delta"}  # equal weight: the shorter window


def test_a_lead_in_brings_the_items_it_introduces():
    text = (
        "Aid must follow the talks. International donors can:\n"
        "- Fund demining of farmland.\n"
        "- Rebuild schools near the front.\n"
        "- Pay for winter heating."
    )
    result = excerpt(text, "donor")
    assert result.text.startswith("International donors can:\n- Fund demining")
    assert result.text.endswith("- Pay for winter heating.")


def test_a_short_sentence_widened_onto_a_lead_in_brings_its_items_too():
    text = "Aid must follow the talks. Donors can:\n- Fund demining.\n- Rebuild schools."
    assert excerpt(text, "aid").text.endswith("- Rebuild schools.")


def test_items_join_only_within_the_budget():
    items = "\n".join(f"- Item {i} of a long list that goes on and on." for i in range(30))
    result = excerpt(f"Donors can:\n{items}", "donor")
    assert result.text.startswith("Donors can:\n- Item 0")
    assert "- Item 5 " in result.text  # the items joined, as many as the budget holds
    assert len(result.text) <= EXCERPT_BUDGET


def test_a_sentence_that_refers_back_brings_the_one_it_refers_to():
    named = "For years Turkey stayed neutral between the two capitals and their armies. "
    hosting = "They hosted several rounds of talks early in the war, in Istanbul and Antalya. "
    text = f"{named}{hosting}Weather was mild that spring across the whole of the region."
    result = excerpt(text, "host", "talk", "round")
    assert result.text.startswith("For years Turkey stayed neutral"), result.text
    assert "They hosted several rounds" in result.text


def test_referring_back_keeps_to_three_sentences_and_the_budget():
    filler = "Filler words fill this sentence up to a good length for the test here. "
    three = (
        "They hosted talks in the spring of that year in a palace on the shore. "
        "Mediators came from many capitals to sit in on the long sessions. "
        "Envoys signed a short memo at the end of the week."
    )
    assert excerpt(filler * 2 + three, "host", "mediat", "envoy").text == three
    long = "Long " * 110 + "sentence. "
    assert excerpt(f"{long}They hosted talks in spring.", "host").text == (
        "They hosted talks in spring."
    )


def test_list_items_come_with_the_line_that_introduces_them():
    text = (
        "Expected outcomes are cautiously optimistic. Among the potential milestones are:\n"
        "- Clear frameworks for ceasefire enforcement\n"
        "- Agreed humanitarian corridors to ease civilian suffering\n"
        "- Preliminary agreements on de-escalation"
    )
    result = excerpt(text, "humanitarian", "corridor")
    assert result.text.startswith("Among the potential milestones are:\n- Clear frameworks")
    assert "Agreed humanitarian corridors" in result.text


def test_a_pronoun_after_a_short_lead_brings_the_sentence_it_refers_to():
    text = (
        "Russia's demands have shifted over time. "
        "Initially, they sought guarantees that Ukraine would never join NATO, alongside the "
        "demilitarisation of its army and limits on foreign weapons deliveries to Kyiv. "
        "Observers left the hall before lunch on Friday."
    )
    result = excerpt(text, "nato", "guarante")
    assert result.text.startswith("Russia's demands have shifted over time. Initially, they")


def test_a_passage_opening_by_referring_back_takes_the_last_sentence_before_it():
    passage = Passage(id="s#1", source_id="s", position=1, text="This covers Donetsk and Crimea.")
    before = "Talks began in May. Russia demanded that Ukraine leave four regions."
    result = make_excerpt(passage, SOURCE, {"crimea": 1.0}, 1, 1.0, before=before)
    assert (
        result.text
        == "Russia demanded that Ukraine leave four regions. This covers Donetsk and Crimea."
    )
    alone = make_excerpt(passage, SOURCE, {"crimea": 1.0}, 1, 1.0)
    assert alone.text == "This covers Donetsk and Crimea."


DEMAND = (
    "A demand that Ukrainian troops leave every area Russia has taken since the spring of "
    "2022 was the first and most divisive point of the plan that Moscow handed over. "
)
COVERS = (
    "This covers areas including Donetsk, Luhansk and Crimea, which have been central to the "
    "struggle since the first incursions of 2014 and through the full-scale invasion of 2022. "
)
CLAIMED = (
    "Ukraine has long said that these areas are a natural part of its sovereign territory and "
    "has refused to recognise the claims made over them by the other side in these talks."
)


def test_the_sentence_referred_to_takes_the_place_of_a_last_one_that_adds_little():
    result = excerpt(DEMAND + COVERS + CLAIMED, "crimea", "central", "struggl", "territori")
    assert len(DEMAND + COVERS + CLAIMED) > EXCERPT_BUDGET
    assert result.text == (DEMAND + COVERS).strip()


def test_a_last_sentence_with_weighty_question_words_keeps_its_place():
    result = excerpt(DEMAND + COVERS + CLAIMED, "crimea", "sovereign", "territori")
    assert result.text == (COVERS + CLAIMED).strip()


def test_a_passage_opening_by_referring_back_makes_room_for_the_sentence_before_it():
    passage = Passage(id="s#1", source_id="s", position=1, text=COVERS + CLAIMED)
    weights = {"crimea": 1.0, "central": 1.0, "struggl": 1.0, "territori": 1.0}
    result = make_excerpt(passage, SOURCE, weights, 1, 1.0, before="Talks began. " + DEMAND)
    assert result.text == (DEMAND + COVERS).strip()
