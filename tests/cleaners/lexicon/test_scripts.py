"""Word counts across scripts: spaced scripts by spaces, unspaced ones by word units."""
from __future__ import annotations

from deboil.cleaners.lexicon.scripts import spaced_words


def test_spaced_scripts_count_by_spaces():
    assert spaced_words("Home News World") == 3
    assert spaced_words("Городской совет утвердил новый бюджет.") == 5
    assert spaced_words("l'équipe a gagné — encore") == len("l'équipe a gagné — encore".split())


def test_unspaced_scripts_count_word_units():
    japanese = "市議会は来年度の新しい予算を承認しました。"  # one "word" by spaces
    assert spaced_words(japanese) >= 10
    assert spaced_words("市议会昨天批准了明年的新预算。") >= 8
    assert spaced_words("สภาเมืองอนุมัติงบประมาณใหม่สำหรับปีหน้าแล้ว") >= 8
