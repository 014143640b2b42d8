"""The block-model experiments' page features (tools/html_stage2_cv.py): the context of a
block's score among its neighbours."""
from __future__ import annotations

import numpy as np

from tools.html_stage2_cv import CONTEXT_NAMES, _window_mean, context_features


def test_window_mean_leaves_the_block_itself_out():
    v = np.array([1.0, 0.0, 1.0, 0.0])
    got = _window_mean(v, np.ones(4), 1)
    assert got.tolist() == [0.0, 1.0, 0.0, 1.0]


def test_context_sees_neighbours_and_runs_of_like_blocks():
    # columns: words (log), held by the rules, depth, two own-tag flags
    X = np.array([[np.log1p(10), 1, 3, 1, 0],
                  [np.log1p(10), 1, 3, 1, 0],
                  [np.log1p(10), 0, 5, 0, 1],
                  [np.log1p(10), 0, 5, 0, 1]], dtype=float)
    q = np.array([0.9, 0.7, 0.1, 0.3])
    C = context_features(X, q, held_col=1, words_col=0, depth_col=2, tag_cols=[3, 4])
    col = {n: C[:, i] for i, n in enumerate(CONTEXT_NAMES)}
    assert C.shape == (4, len(CONTEXT_NAMES))
    assert col["s1_prev"].tolist() == [0.0, 0.9, 0.7, 0.1]
    assert col["s1_next"].tolist() == [0.7, 0.1, 0.3, 0.0]
    assert np.allclose(col["s1_run"], [0.8, 0.8, 0.2, 0.2])  # two runs: (depth 3, tag a), (depth 5, tag b)
    assert np.allclose(col["s1_page"], 0.5)
    assert np.allclose(col["s1_page_kept"], 0.5)


def test_card_features_tell_item_cards_and_spec_rows_from_a_menu():
    from lxml import html as lxml_html

    from deboil.cleaners.html.blocks import walk_blocks
    from tools.html_types_cv import CARD_NAMES, card_features

    cards = "".join(f'<div class="card"><h3>Kettle {i}</h3><p>Steel body, 1.7 litres</p><p>$ {20 + i}.99</p></div>'
                    for i in range(3))
    page = ('<html><body><ul class="menu"><li><a href="/a">Home</a></li><li><a href="/b">Shop</a></li>'
            f'<li><a href="/c">Help</a></li></ul><div class="grid">{cards}</div>'
            '<table><tr><th>Weight</th><td>1.2 kg</td></tr><tr><th>Power</th><td>2200 W</td></tr></table>'
            '</body></html>')
    tree = lxml_html.fromstring(page)
    blocks = walk_blocks(tree)
    rows = {b.text: dict(zip(CARD_NAMES, f)) for b, f in zip(blocks, card_features(tree, blocks))}
    menu, card, price = rows["Home"], rows["Kettle 1"], rows["$ 21.99"]
    assert menu["card_found"] == card["card_found"] == 1.0  # both repeat among their siblings
    assert card["card_heading"] == 1.0 and card["card_price"] == 1.0 and card["card_up"] == 1.0
    assert menu["card_heading"] == 0.0 and menu["card_price"] == 0.0 and menu["card_link_share"] == 1.0
    assert price["has_price"] == 1.0 and card["has_price"] == 0.0
    weight = next(r for t, r in rows.items() if t.startswith("Weight"))
    assert weight["table_rows"] > 0 and weight["row_cells"] > 0 and card["table_rows"] == 0.0


def test_type_features_name_the_hand_type_and_its_best_rival():
    from deboil.cleaners.html.pagetype import TYPES
    from tools.html_typeprob_cv import COLUMNS, type_features, with_type

    margins = np.zeros((2, len(TYPES)))
    margins[0, TYPES.index("listing")] = 3.0  # looks like a listing
    margins[1, TYPES.index("service")] = 2.0
    F = type_features(margins, ["service", "service"])
    p_listing, p_service = 1 / (1 + np.exp(-3.0)), 1 / (1 + np.exp(-2.0))
    assert np.allclose(F[:, :len(TYPES)], 1 / (1 + np.exp(-margins)))
    assert np.allclose(F[:, len(TYPES)], [0.5, p_service])  # the hand type's probability
    assert np.allclose(F[:, len(TYPES) + 1], [p_listing, 0.5])  # the best other type's
    assert F[:, COLUMNS["own"]].shape == (2, 2) and F[:, COLUMNS["all"]].shape == (2, len(TYPES) + 1)
    page = {"X": np.ones((3, 4), dtype=np.float32), "y": np.zeros(3)}
    got = with_type(page, F[0, COLUMNS["own"]])["X"]
    assert got.shape == (3, 6) and np.allclose(got[:, 4:], F[0, COLUMNS["own"]])  # every block, same values
    empty = {"X": np.zeros((0, 0)), "y": np.zeros(0)}
    assert with_type(empty, F[0])["X"].shape == (0, 0)


def test_position_features_tell_article_paragraphs_from_a_teaser_list_after_them():
    from lxml import html as lxml_html

    from deboil.cleaners.html.blocks import walk_blocks
    from tools.html_teaser_cv import POSITION_NAMES, position_features

    paras = "".join(f"<p>Paragraph {i} of the story, told at some length.</p>" for i in range(4))
    teasers = "".join(f'<li><a href="/s{i}">Another story {i}</a></li>' for i in range(3))
    page = f'<html><body><article><div class="body">{paras}</div></article><ul class="more">{teasers}</ul></body></html>'
    tree = lxml_html.fromstring(page)
    blocks = walk_blocks(tree)
    held = np.array([i < 3 for i in range(len(blocks))])  # the rules stopped before the last paragraph
    rows = {b.text: dict(zip(POSITION_NAMES, f)) for b, f in zip(blocks, position_features(tree, blocks, held))}
    last, teaser = rows["Paragraph 3 of the story, told at some length."], rows["Another story 1"]
    assert last["up_to_read"] == 1.0 and last["parent_read_share"] == 0.75 and last["family_read_share"] == 0.75
    assert teaser["up_to_read"] > last["up_to_read"] and teaser["family_read_share"] == 0.0
    assert last["after_last"] == teaser["after_last"] == 1.0 and last["gap_blocks"] < teaser["gap_blocks"]
    assert teaser["words_after_last"] > last["words_after_last"] == 0.0
