"""Each cleanup step on images whose truth is known by construction."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from digitize.cleanup import CleanupOptions, clean
from digitize.cleanup.background import background
from digitize.cleanup.border import page_box
from digitize.cleanup.context import CleanupContext
from digitize.cleanup.contrast import contrast
from digitize.cleanup.denoise import denoise, noise_sigma
from digitize.cleanup.deskew import estimate_angle
from digitize.cleanup.measure import glyph_height
from digitize.cleanup.negative import is_negative, negative
from digitize.cleanup.rescale import rescale

from .conftest import typed_page


def ctx_for(img: np.ndarray) -> CleanupContext:
    return CleanupContext(options=CleanupOptions(), original_size=(img.shape[1], img.shape[0]))


def rotate(img: np.ndarray, angle: float) -> np.ndarray:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REPLICATE)


def test_negative_is_detected_and_inverted(page):
    neg = 255 - page
    assert not is_negative(page)
    assert is_negative(neg)
    ctx = ctx_for(neg)
    out = negative(neg, ctx)
    assert ctx.negative and np.array_equal(out, page)


def test_faded_positive_is_not_negative(page):
    faded = (page.astype(float) * 0.25 + 150).astype(np.uint8)  # grey ground, light grey ink
    assert not is_negative(faded)
    assert is_negative(255 - faded)


@pytest.mark.parametrize("angle", [-4.0, -1.5, 0.7, 3.2])
def test_deskew_finds_the_angle(page, angle):
    skewed = rotate(page, angle)
    assert estimate_angle(skewed) == pytest.approx(-angle, abs=0.25)


def test_deskew_leaves_straight_page(page):
    assert abs(estimate_angle(page)) < 0.15


def test_border_crop_finds_the_page(page):
    framed = np.full((page.shape[0] + 160, page.shape[1] + 200), 20, np.uint8)
    framed[90 : 90 + page.shape[0], 110 : 110 + page.shape[1]] = page
    x0, y0, x1, y1 = page_box(framed)
    assert abs(x0 - 110) <= 6 and abs(y0 - 90) <= 6
    assert abs(x1 - (110 + page.shape[1])) <= 6 and abs(y1 - (90 + page.shape[0])) <= 6
    assert page_box(page) is None  # no border: nothing cropped


def test_background_division_flattens_vignetting(page):
    h, w = page.shape
    yy, xx = np.mgrid[0:h, 0:w]
    light = 1.0 - 0.55 * (((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2) * 4
    vignetted = (page.astype(float) * np.clip(light, 0.3, 1)).astype(np.uint8)
    out = background(vignetted, ctx_for(vignetted))
    paper = page > 200
    # The paper's brightness spread across the page shrinks a lot.
    assert np.std(out[paper]) < 0.4 * np.std(vignetted[paper])


def test_rescale_brings_small_text_to_target():
    small = typed_page(size=13, width=700, height=330)
    ctx = ctx_for(small)
    out = rescale(small, ctx)
    assert out.shape[0] > small.shape[0] * 1.5
    assert glyph_height(out) == pytest.approx(CleanupOptions().text_height[0], rel=0.2)
    assert ctx.matrix[0, 0] == pytest.approx(out.shape[1] / small.shape[1], rel=0.01)


def test_denoise_only_when_noisy(page):
    ctx = ctx_for(page)
    assert denoise(page, ctx) is page
    rng = np.random.default_rng(0)
    noisy = np.clip(page + rng.normal(0, 25, page.shape), 0, 255).astype(np.uint8)
    assert noise_sigma(noisy) > noise_sigma(page) + 10
    out = denoise(noisy, ctx)
    assert noise_sigma(out) < 0.5 * noise_sigma(noisy)


def test_contrast_stretches_faded_ink(page):
    faded = (page.astype(float) * 0.3 + 140).astype(np.uint8)
    out = contrast(faded, ctx_for(faded))
    ink = page < 100
    assert out[ink].mean() < 60 and out[~ink].mean() > 200


def test_boxes_map_back_to_the_original(page):
    """A box on the cleaned (rescaled, deskewed, cropped) image lands on the same ink in the original."""
    skewed = rotate(typed_page(size=16, width=800, height=420), 2.5)
    framed = np.full((skewed.shape[0] + 80, skewed.shape[1] + 80), 15, np.uint8)
    framed[40:-40, 40:-40] = skewed
    cleaned, ctx = clean(framed, CleanupOptions())
    assert ctx.matrix[0, 0] != 1.0  # rescaled and rotated
    ink_clean = cv2.findNonZero((cleaned < 110).astype(np.uint8))
    x, y, w, h = cv2.boundingRect(ink_clean)
    x0, y0, x1, y1 = ctx.to_original((x, y, x + w, y + h))
    ink_orig = cv2.findNonZero(((framed < 110) & (framed > 18)).astype(np.uint8))
    ox, oy, ow, oh = cv2.boundingRect(ink_orig)
    assert abs(x0 - ox) < 25 and abs(y0 - oy) < 25 and abs(x1 - (ox + ow)) < 25 and abs(y1 - (oy + oh)) < 25


def test_every_step_can_be_switched_off(page):
    neg = 255 - page
    out, ctx = clean(neg, CleanupOptions.without("negative", "border", "rescale", "deskew", "background", "denoise", "contrast"))
    assert np.array_equal(out, neg) and not ctx.negative
    with pytest.raises(ValueError, match="unknown cleanup step"):
        CleanupOptions.without("sharpen")
