"""Ukrainian/Russian words: the shipped respelling stemmer against two lemmatizers.

    pip install pymorphy3 pymorphy3-dicts-uk pymorphy3-dicts-ru simplemma
    python tools/lemmatizer_check.py QUESTIONS.yaml [...]

The product turns a uk/ru word into its glossary key by respelling Ukrainian into Russian
letters and stemming with Russian Snowball (``knowledge.language.stem``). This check puts
the lemmatizers the field uses next to it: pymorphy3 (its uk/ru dictionaries, first parse)
and simplemma. For each, the key becomes the stem of the word's lemma:

- ``lemma`` (lemmatize both the glossary and the question): the glossary's words of
  different meanings that then share a key, a load error, so this way cannot ship as is;
- ``lemma fallback`` (a word the stemmed glossary misses is looked up by its lemma): every
  Ukrainian and Russian question of the sets asked through ``Knowledge.ask``, with hit@1,
  hit@3, out-of-scope refused and answerable refused next to the shipped way's, and how
  many unknown words the lemma found.

Also the time to load each lemmatizer. Measurement only: the bot imports neither library.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from knowledge.evaluation import evaluate, load_questions
from knowledge.language import stem as stem_module
from knowledge.language import translate
from knowledge.loading import load
from knowledge.taxonomy.loader import check_taxonomy

Lemmatizer = Callable[[str, str], str]


def pymorphy3_lemmatizer() -> Lemmatizer:
    """pymorphy3's first parse, with the uk or ru dictionary."""
    import pymorphy3

    analyzers = {lang: pymorphy3.MorphAnalyzer(lang=lang) for lang in ("uk", "ru")}
    return lambda word, lang: analyzers[lang].parse(word)[0].normal_form


def simplemma_lemmatizer() -> Lemmatizer:
    """simplemma's lemma (its dictionaries load at the first word)."""
    import simplemma

    simplemma.lemmatize("слово", lang="uk"), simplemma.lemmatize("слово", lang="ru")
    return lambda word, lang: simplemma.lemmatize(word, lang=lang)


def collisions(lemma: Lemmatizer) -> int:
    """Glossary words of different meanings sharing a key once every word is lemmatized."""
    shipped = stem_module.stem_cyrillic.__wrapped__

    def key(word: str, language: str = "ru") -> str:
        lang = language if language in ("uk", "ru") else "ru"
        return shipped(lemma(word.casefold(), lang), language)

    with mock.patch.object(stem_module, "stem_cyrillic", key):
        stem_module.stem.cache_clear()
        problems = check_taxonomy()
    stem_module.stem.cache_clear()
    return sum("stems like" in p.message for p in problems)


def ask_all(paths: list[Path], lemma: Lemmatizer | None) -> str:
    """hit@1, hit@3 and refusals of the uk/ru questions, with ``lemma`` as the fallback."""
    shipped, found = translate._misspelt, [0, 0]

    def misspelt(surface: str, language: str, taxonomy) -> str | None:
        found[1] += 1
        table = taxonomy.foreign_phrases(language)
        key = (stem_module.stem_cyrillic(lemma(surface, language), language),) if lemma else ()
        if key in table:
            found[0] += 1
            return table[key]
        return shipped(surface, language, taxonomy)

    items = [i for p in paths for i in load_questions(p) if i.style in ("ukrainian", "russian")]
    with mock.patch.object(translate, "_misspelt", misspelt):
        m = evaluate(items, load().ask).metrics
    return (
        f"{len(items)} questions: hit@1 {m['hit@1']:.3f} hit@3 {m['hit@3']:.3f} "
        f"out-of-scope refused {m['no_answer_accuracy']:.3f} "
        f"answerable refused {m['answer_refused']:.3f}; unknown words {found[1]}, "
        f"found by lemma {found[0]}"
    )


def main(argv: list[str]) -> None:
    """Print one block per way of keying uk/ru words."""
    paths = [Path(a) for a in argv]
    print(f"respelling + Snowball (shipped): {ask_all(paths, None)}")
    for name, make in (("pymorphy3", pymorphy3_lemmatizer), ("simplemma", simplemma_lemmatizer)):
        started = time.perf_counter()
        lemma = make()
        loaded = time.perf_counter() - started
        print(f"{name} (loads in {loaded:.2f} s)")
        print(f"  lemma: {collisions(lemma)} glossary words of different meanings collide")
        print(f"  lemma fallback: {ask_all(paths, lemma)}")


if __name__ == "__main__":
    main(sys.argv[1:])
