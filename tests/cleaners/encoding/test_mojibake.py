"""Undoing mojibake (UTF-8 read as a legacy charset), on real bench captures, and leaving clean text alone."""
from __future__ import annotations

import pytest

from deboil.cleaners.encoding.mojibake import fix_mojibake, repair_mojibake
from deboil.models import CleanPage, Context
from tests.support.bench_data import LANGUAGES, encoding_dir, encoding_truth, language_lines

MOJIBAKE = {"cp1252", "latin-1", "cp1251", "koi8-r", "cp1256", "mac_roman"}


@pytest.mark.shared
@pytest.mark.parametrize("codec", sorted(MOJIBAKE))
def test_each_codecs_mojibake_is_restored(codec):
    truth = encoding_truth()
    keys = [k for k, v in truth.items() if v.get("mojibake") == codec]
    restored = 0
    for key in keys:
        text = (encoding_dir() / "captures" / f"{key}.txt").read_text(encoding="utf-8")
        page = fix_mojibake(CleanPage(url=key, kind="text", document=text), Context())
        assert page.issues["mojibake_fixed"] > 0
        assert any(code.startswith("mojibake_fixed:") for code in page.issues)
        restored += page.document.strip() == truth[key]["body"].strip()
    # one cp1251 truth body quotes a Czech sentence that is itself mojibake, which we repair too
    assert restored >= len(keys) - 1


def test_koi8_and_cp1256_mojibake_by_name():
    text = "Московская область"
    fixed, layers = repair_mojibake(text.encode("utf-8").decode("koi8-r"))
    assert fixed == text and layers[0][0] == "koi8_r"
    text = "مرحبا بالعالم"
    fixed, layers = repair_mojibake(text.encode("utf-8").decode("cp1256"))
    assert fixed == text and layers[0][0] == "cp1256"


def test_two_layers_undone():
    twice = "Déjà vu à Montréal".encode("utf-8").decode("cp1252").encode("utf-8").decode("cp1252")
    fixed, layers = repair_mojibake(twice)
    assert fixed == "Déjà vu à Montréal" and len(layers) == 2


def _mojibake_signatures() -> set[str]:
    """How accented letters and U+FFFD look after UTF-8 was read as cp1252/cp1250/cp1251."""
    sigs = set()
    for cp in list(range(0xC0, 0x180)) + [0xFFFD]:
        for codec in ("cp1252", "cp1250", "cp1251"):
            sig = chr(cp).encode("utf-8").decode(codec, "replace")
            if "\ufffd" not in sig:
                sigs.add(sig)
    return sigs


SIGNATURES = _mojibake_signatures()


@pytest.mark.shared
@pytest.mark.parametrize("lang", LANGUAGES)
def test_clean_multilingual_text_untouched(lang):
    # A few bench lines carry mojibake of their own (bench README); a line may change only
    # if it visibly holds such a sequence. Word pairs must never change.
    for line in language_lines("word-pairs", lang):
        assert repair_mojibake(line)[0] == line
    for line in language_lines("sentences", lang):
        if repair_mojibake(line)[0] != line:
            assert any(sig in line for sig in SIGNATURES), line


@pytest.mark.parametrize("inner", ["Ã©tÃ©", "Ð¿Ñ€Ð¸", "zÅ‘Ж", "a\u00a0b\x01Ã\u0301"])
def test_long_tokens_cost_what_the_character_walk_gives(inner):
    """Tokens past QUIET_RUN skip their costless ASCII runs in one step: the same cost and
    bigrams as the same characters in tokens short enough to be walked one by one."""
    from deboil.cleaners.encoding.plausibility import QUIET_RUN, _word_cost

    def cost(filler: int) -> tuple:
        grams: list[str] = []
        pad = "x" * filler
        word = f"{pad}({inner}){pad}Q{inner}{pad}"
        return (*_word_cost(word, grams), grams)

    short, long_ = cost(2), cost(QUIET_RUN * 20)
    assert len("xx(" + inner) < QUIET_RUN
    assert long_ == short  # the Latin filler only adds to the majority script


def test_a_page_of_minified_script_is_repaired_in_one_piece():
    """A token of hundreds of thousands of ASCII characters around a few mojibake ones."""
    blob = "self.__next_f.push([1,\"" + "a:I[3916,[\\\"static/chunks/x.js\\\"]]," * 20_000
    text = f"<p>Ã‰tÃ© chez nous</p><script>{blob}Ã©tÃ©\"])</script>"
    fixed, layers = repair_mojibake(text)
    assert fixed.startswith("<p>Été chez nous</p>") and fixed.endswith("été\"])</script>")
    assert [codec for codec, _ in layers] == ["cp1252"]


def test_wide_runs_skipping_ascii_chunks_match_the_whole_page_encoded():
    """Only the stretches outside all-ASCII chunks are encoded: the runs must be those of
    the whole text, runs across chunk edges and lone surrogates included."""
    import random

    from deboil.cleaners.encoding.mojibake import _ASCII_TO_SPACE, ASCII_CHUNK, _wide_runs

    def whole(text):
        runs = text.encode("utf-8", "surrogatepass").translate(_ASCII_TO_SPACE).split()
        return b" ".join(runs).decode("utf-8", "surrogatepass")

    rnd = random.Random(3)
    pieces = ["a" * (ASCII_CHUNK - 1), "x" * ASCII_CHUNK, "b c\n", "Ã©", "’", "\xa0", "\ud800", "€", "Ð¿", " "]
    for _ in range(400):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        assert _wide_runs(text) == whole(text), text


def test_words_glued_to_markup_judged_without_it():
    # "<body><p>اچ‌دی": scored with its tags, the cp1256 reading "Ǎ‌دی" looked better
    for sentence in ("اچ\u200cدی ۱۵۵۳۴۱ یک ستاره است که در صورت فلکی آتشدان قرار دارد.",
                     "Бидејќи ентропијата се зголемува со температурата, многу реакции се одвиваат."):
        page = f"<html><head><title>Notes</title></head><body><p>{sentence}</p></body></html>"
        assert repair_mojibake(page) == (page, [])
    assert repair_mojibake("<p>Ð¿Ñ€Ð¸Ð²ÐµÑ‚ Ð¼Ð¸Ñ€</p>")[0] == "<p>привет мир</p>"
