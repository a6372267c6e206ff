"""transforms.language must give py3langid's answer, whatever the text."""

import py3langid
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SEEDS
from transforms.language import detect_language, identify_language

SAMPLES = {
    "en": "The council voted on Tuesday to approve the new budget for the city's schools and parks.",
    "de": "Der Stadtrat hat am Dienstag den neuen Haushalt für die Schulen und Parks der Stadt beschlossen.",
    "pt": "A câmara municipal aprovou na terça-feira o novo orçamento para as escolas e parques da cidade.",
    "ru": "Городской совет во вторник утвердил новый бюджет для школ и парков города.",
    "ja": "市議会は火曜日、市内の学校と公園のための新しい予算を承認した。",
    "ko": "시의회는 화요일 시내 학교와 공원을 위한 새 예산을 승인했다.",
}


def test_identifies_the_language_of_plain_sentences():
    for lang, text in SAMPLES.items():
        assert identify_language(text) == lang


def test_agrees_with_py3langid_on_every_stretch_of_the_seeds():
    stretches = [text[k:k + 1000] for path in sorted(SEEDS.iterdir())
                 for text in [path.read_text(encoding="utf-8")] for k in range(0, len(text), 700)]
    assert len(stretches) > 30
    assert [identify_language(s) for s in stretches] == [py3langid.classify(s)[0] for s in stretches]


@given(st.text(max_size=300))
def test_agrees_with_py3langid_on_any_text(text):
    assert identify_language(text) == py3langid.classify(text)[0]


def test_upper_case_text_is_read_as_lower_case():
    assert identify_language(SAMPLES["de"].upper()) == "de"


def test_detect_language_needs_some_text():
    assert detect_language("Hi there") is None
    assert detect_language(SAMPLES["pt"]) == "pt"


def test_automaton_depth_is_the_farthest_breadth_first_distance():
    import numpy as np

    from transforms.language import _automaton_depth

    table = np.zeros((3, 256), dtype=np.uint32)  # state s uses row s; every byte leads back to the start ...
    table[0, ord("a")] = 1  # ... except 'a' from the start and 'b' after it: start -a-> 1 -b-> 2
    table[1, ord("b")] = 2
    table[2, ord("a")] = 1
    assert _automaton_depth(table, np.arange(3)) == 2
