//! Colours for everyone: the KL-gap colour, the lower-bound colour and the ten component colours stay apart
//! in normal vision and in simulated deuteranopia, protanopia and tritanopia, and the components also differ
//! by dash and marker so a greyscale printout tells them apart.
//!
//! Colour-blindness is simulated with the Machado, Oliveira & Fernandes (2009) matrices at severity 1.0,
//! applied in linear RGB (sRGB decode → matrix → clamp to [0, 1] → encode); colours are compared in CIELAB
//! (D65) by CIEDE2000, implemented here and checked against Sharma, Wu & Dalal (2005).
//!
//! Ten mutually distinguishable colours at ΔE ≥ 10 under all three simulations turned out to be possible
//! (with the gap colour as an eleventh), so every pair is asserted. The measured minima (see
//! `report_the_minima`, run with `--nocapture`): component pairs 16.8 normal, 12.5 deuteranopia,
//! 12.3 protanopia, 10.9 tritanopia (Okabe–Ito reddish purple vs orange); gap vs components 20.6, 17.2,
//! 13.5, 17.0; gap vs bound 26.0, 24.2, 33.5, 17.3.

use emlab::figures::style::{
    component_dash, component_marker, hex, palette_hex, Marker, BOUND, GAP, INK, PALETTE,
};
use plotters::style::RGBColor;

/// The smallest CIEDE2000 difference the figures allow between two colours that must be told apart.
const MIN_DELTA_E: f64 = 10.0;

/// A way of seeing: its name and its Machado et al. (2009) matrix at severity 1.0 (None: normal vision).
type Vision = (&'static str, Option<[[f64; 3]; 3]>);

/// Normal vision and the three dichromacies.
const VISIONS: [Vision; 4] = [
    ("normal", None),
    (
        "deuteranopia",
        Some([
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]),
    ),
    (
        "protanopia",
        Some([
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]),
    ),
    (
        "tritanopia",
        Some([
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]),
    ),
];

/// An sRGB channel (0–255) in linear light.
fn decode(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// A linear channel back to sRGB (0–1), clamped.
fn encode(c: f64) -> f64 {
    let c = c.clamp(0.0, 1.0);
    if c <= 0.003_130_8 {
        12.92 * c
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    }
}

/// The sRGB colour (0–1 channels) a person with `vision` sees for `c`.
fn simulate(c: RGBColor, vision: &Vision) -> [f64; 3] {
    let lin = [decode(c.0), decode(c.1), decode(c.2)];
    match vision.1 {
        None => lin.map(encode),
        Some(m) => {
            let row = |r: [f64; 3]| r[0] * lin[0] + r[1] * lin[1] + r[2] * lin[2];
            [row(m[0]), row(m[1]), row(m[2])].map(encode)
        }
    }
}

/// CIELAB (D65 white) of an sRGB colour with 0–1 channels.
fn lab(srgb: [f64; 3]) -> [f64; 3] {
    let lin = srgb.map(|c| {
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    let [r, g, b] = lin;
    let x = 0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b;
    let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b;
    let z = 0.019_333_9 * r + 0.119_192_0 * g + 0.950_304_1 * b;
    let (xn, yn, zn) = (0.950_47, 1.0, 1.088_83);
    let f = |t: f64| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x / xn), f(y / yn), f(z / zn));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// The CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1), after Sharma, Wu & Dalal (2005).
fn ciede2000(p: [f64; 3], q: [f64; 3]) -> f64 {
    let ([l1, a1, b1], [l2, a2, b2]) = (p, q);
    let c_bar = 0.5 * (a1.hypot(b1) + a2.hypot(b2));
    let pow7 = |c: f64| c.powi(7);
    let g = 0.5 * (1.0 - (pow7(c_bar) / (pow7(c_bar) + pow7(25.0))).sqrt());
    let (a1p, a2p) = ((1.0 + g) * a1, (1.0 + g) * a2);
    let (c1p, c2p) = (a1p.hypot(b1), a2p.hypot(b2));
    let hue = |a: f64, b: f64| {
        if a == 0.0 && b == 0.0 {
            0.0
        } else {
            b.atan2(a).to_degrees().rem_euclid(360.0)
        }
    };
    let (h1p, h2p) = (hue(a1p, b1), hue(a2p, b2));
    let chroma_zero = c1p * c2p == 0.0;

    let dl = l2 - l1;
    let dc = c2p - c1p;
    let dh = if chroma_zero {
        0.0
    } else if (h2p - h1p).abs() <= 180.0 {
        h2p - h1p
    } else if h2p - h1p > 180.0 {
        h2p - h1p - 360.0
    } else {
        h2p - h1p + 360.0
    };
    let d_big_h = 2.0 * (c1p * c2p).sqrt() * (0.5 * dh).to_radians().sin();

    let l_bar = 0.5 * (l1 + l2);
    let cp_bar = 0.5 * (c1p + c2p);
    let hp_bar = if chroma_zero {
        h1p + h2p
    } else if (h1p - h2p).abs() <= 180.0 {
        0.5 * (h1p + h2p)
    } else if h1p + h2p < 360.0 {
        0.5 * (h1p + h2p + 360.0)
    } else {
        0.5 * (h1p + h2p - 360.0)
    };
    let cos = |deg: f64| deg.to_radians().cos();
    let t =
        1.0 - 0.17 * cos(hp_bar - 30.0) + 0.24 * cos(2.0 * hp_bar) + 0.32 * cos(3.0 * hp_bar + 6.0)
            - 0.20 * cos(4.0 * hp_bar - 63.0);
    let d_theta = 30.0 * (-((hp_bar - 275.0) / 25.0).powi(2)).exp();
    let rc = 2.0 * (pow7(cp_bar) / (pow7(cp_bar) + pow7(25.0))).sqrt();
    let l50 = (l_bar - 50.0).powi(2);
    let sl = 1.0 + 0.015 * l50 / (20.0 + l50).sqrt();
    let sc = 1.0 + 0.045 * cp_bar;
    let sh = 1.0 + 0.015 * cp_bar * t;
    let rt = -(2.0 * d_theta).to_radians().sin() * rc;
    let (tl, tc, th) = (dl / sl, dc / sc, d_big_h / sh);
    (tl * tl + tc * tc + th * th + rt * tc * th).sqrt()
}

/// ΔE between `a` and `b` as seen with `vision`.
fn delta_e(a: RGBColor, b: RGBColor, vision: &Vision) -> f64 {
    ciede2000(lab(simulate(a, vision)), lab(simulate(b, vision)))
}

#[test]
fn ciede2000_matches_sharma_wu_dalal() {
    // (L1, a1, b1), (L2, a2, b2), ΔE00: eleven of the 34 pairs of their Table 1.
    let pairs = [
        ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
        ([50.0, -1.3802, -84.2814], [50.0, 0.0, -82.7485], 1.0000),
        ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
        ([50.0, 2.5, 0.0], [50.0, 0.0, -2.5], 4.3065),
        ([50.0, 2.5, 0.0], [50.0, 3.2592, 0.3350], 1.0000),
        ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
        ([50.0, 2.5, 0.0], [56.0, -27.0, -3.0], 31.9030),
        (
            [60.2574, -34.0099, 36.2677],
            [60.4626, -34.1751, 39.4387],
            1.2644,
        ),
        (
            [35.0831, -44.1164, 3.7933],
            [35.0232, -40.0716, 1.5901],
            1.8645,
        ),
        (
            [90.8027, -2.0831, 1.4410],
            [91.1528, -1.6435, 0.0447],
            1.4441,
        ),
        (
            [2.0776, 0.0795, -1.1350],
            [0.9033, -0.0636, -0.5514],
            0.9082,
        ),
    ];
    for (p, q, expected) in pairs {
        let got = ciede2000(p, q);
        assert!(
            (got - expected).abs() < 1e-4,
            "{p:?} {q:?}: {got} ≠ {expected}"
        );
        assert!((ciede2000(q, p) - expected).abs() < 1e-4, "symmetric");
    }
}

#[test]
fn simulation_keeps_greys_and_white() {
    for vision in &VISIONS {
        let white = simulate(RGBColor(255, 255, 255), vision);
        assert!(white.iter().all(|c| (c - 1.0).abs() < 1e-3), "{}", vision.0);
        let l = lab(white);
        assert!((l[0] - 100.0).abs() < 0.1 && l[1].abs() < 0.5 && l[2].abs() < 0.5);
    }
}

/// The smallest ΔE over `pairs` with `vision`, and the pair where it is.
fn smallest(pairs: &[(String, RGBColor, String, RGBColor)], vision: &Vision) -> (f64, String) {
    pairs
        .iter()
        .map(|(an, a, bn, b)| (delta_e(*a, *b, vision), format!("{an} vs {bn}")))
        .min_by(|x, y| x.0.total_cmp(&y.0))
        .expect("pairs")
}

/// Every pair of component colours.
fn component_pairs() -> Vec<(String, RGBColor, String, RGBColor)> {
    let mut pairs = Vec::new();
    for (i, &a) in PALETTE.iter().enumerate() {
        for (j, &b) in PALETTE.iter().enumerate().skip(i + 1) {
            pairs.push((format!("component {i}"), a, format!("component {j}"), b));
        }
    }
    pairs
}

/// The gap colour against every component colour.
fn gap_pairs() -> Vec<(String, RGBColor, String, RGBColor)> {
    (0..PALETTE.len())
        .map(|k| ("gap".to_string(), GAP, format!("component {k}"), PALETTE[k]))
        .collect()
}

#[test]
fn the_gap_colour_stands_apart_from_every_component_and_the_bound() {
    for vision in &VISIONS {
        let (d, pair) = smallest(&gap_pairs(), vision);
        assert!(d >= MIN_DELTA_E, "{}: {pair} ΔE = {d:.2}", vision.0);
        let d = delta_e(GAP, BOUND, vision);
        assert!(d >= MIN_DELTA_E, "{}: gap vs bound ΔE = {d:.2}", vision.0);
    }
}

#[test]
fn all_ten_component_colours_stand_apart() {
    for vision in &VISIONS {
        let (d, pair) = smallest(&component_pairs(), vision);
        assert!(d >= MIN_DELTA_E, "{}: {pair} ΔE = {d:.2}", vision.0);
    }
}

#[test]
fn components_and_the_gap_stand_apart_from_the_mixture_ink() {
    for vision in &VISIONS {
        for (k, &c) in PALETTE.iter().chain([&GAP]).enumerate() {
            let d = delta_e(c, INK, vision);
            assert!(
                d >= MIN_DELTA_E,
                "{}: colour {k} vs ink ΔE = {d:.2}",
                vision.0
            );
        }
    }
}

#[test]
fn report_the_minima() {
    for vision in &VISIONS {
        let (c, cp) = smallest(&component_pairs(), vision);
        let (g, gp) = smallest(&gap_pairs(), vision);
        let b = delta_e(GAP, BOUND, vision);
        println!(
            "{:>12}: components {c:.2} ({cp}), gap {g:.2} ({gp}), gap vs bound {b:.2}",
            vision.0
        );
    }
}

#[test]
fn the_page_gets_the_palette_as_hex_strings() {
    let hexes = palette_hex();
    assert_eq!(hexes.len(), PALETTE.len());
    assert_eq!(hexes[0], "#0072B2");
    for (h, c) in hexes.iter().zip(PALETTE) {
        assert_eq!(h.len(), 7);
        let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap();
        assert_eq!(RGBColor(byte(1), byte(3), byte(5)), c, "{h}");
        assert_eq!(*h, hex(&c));
        assert_eq!(*h, h.to_uppercase());
    }
}

#[test]
fn components_differ_by_dash_and_marker_for_a_greyscale_printout() {
    assert_eq!(component_dash(0), None, "component 1 is solid");
    let dashes: Vec<_> = (0..PALETTE.len()).map(component_dash).collect();
    let markers: Vec<Marker> = (0..PALETTE.len()).map(component_marker).collect();
    for i in 0..PALETTE.len() {
        for j in i + 1..PALETTE.len() {
            assert_ne!(dashes[i], dashes[j], "dashes {i} and {j}");
            assert_ne!(markers[i], markers[j], "markers {i} and {j}");
        }
        if let Some((dash, gap)) = dashes[i] {
            assert!(dash > 0.0 && gap > 0.0);
            assert!(
                dash + gap <= emlab::figures::style::LEGEND_SWATCH * 0.66,
                "the legend swatch shows a gap of pattern {i}"
            );
        }
        let outline = markers[i].outline(6);
        assert!(outline.len() >= 3, "{:?}", markers[i]);
        assert!(
            outline.iter().all(|&(x, y)| x.abs() <= 9 && y.abs() <= 9),
            "{:?} stays near its size",
            markers[i]
        );
    }
    assert_eq!(component_dash(PALETTE.len()), component_dash(0), "wraps");
}
