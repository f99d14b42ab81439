//! Figures drawn natively to SVG: what a person would see, asserted on the drawing itself.

use emlab::core::em::Em;
use emlab::core::gmm1d::{random_start, Gmm1d};
use emlab::core::options::Options;
use emlab::core::presets::preset_1d;
use emlab::core::sample::rng;
use emlab::figures::histogram::{densities, draw_histogram, x_range, HistogramView};
use emlab::figures::Style;
use emlab::text::Lang;
use plotters::prelude::*;

fn heights_em(k: usize) -> Em<Gmm1d> {
    let p = preset_1d("heights").unwrap();
    let model = Gmm1d::new(p.data);
    let start = random_start(&model, k, &mut rng(4));
    Em::new(model, start, Options::default()).unwrap()
}

fn svg_of(em: &Em<Gmm1d>, view: &HistogramView, style: &Style) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 500)).into_drawing_area();
        draw_histogram(&root, em, view, style).unwrap();
        root.present().unwrap();
    }
    svg
}

/// True when the SVG has a text element whose whole content is `s`.
fn has_text(svg: &str, s: &str) -> bool {
    svg.contains(&format!(">\n{s}\n</text>"))
}

/// Polylines drawn in the given colour with the given stroke width (curves, not legend swatches).
fn curves(svg: &str, color: &str) -> usize {
    svg.lines()
        .filter(|l| l.contains("<polyline") && l.contains(&format!("stroke=\"{color}\"")))
        .filter(|l| l.matches(',').count() > 100)
        .count()
}

#[test]
fn histogram_has_title_axes_and_one_curve_per_component_plus_mixture() {
    for k in 1..=3 {
        let mut em = heights_em(k);
        em.step().unwrap();
        let svg = svg_of(&em, &HistogramView::default(), &Style::default());
        assert!(has_text(&svg, "Histogram and mixture"));
        assert!(has_text(&svg, "x") && has_text(&svg, "density"));
        assert!(svg.contains("mixture p(x)"));
        for c in 0..k {
            let hex = {
                let RGBColor(r, g, b) = emlab::figures::style::component_color(c);
                format!("#{r:02X}{g:02X}{b:02X}")
            };
            assert_eq!(curves(&svg, &hex), 1, "k={k} component {c} ({hex})");
            assert!(svg.contains(&format!("π{} N(x | μ{}, σ{}²)", c + 1, c + 1, c + 1)));
        }
        assert_eq!(curves(&svg, "#191919"), 1, "one mixture curve");
    }
}

#[test]
fn histogram_speaks_the_page_language() {
    let em = heights_em(2);
    let style = Style {
        scale: 2.0,
        lang: Lang::Zh,
    };
    let svg = svg_of(&em, &HistogramView::default(), &style);
    assert!(svg.contains("直方图与混合分布") && svg.contains("密度"));
    assert!(!svg.contains("Histogram and mixture"));
}

#[test]
fn histogram_densities_integrate_to_one_and_transform_maps_pixels_back() {
    let em = heights_em(2);
    let data = em.model().data();
    let range = x_range(data);
    let d = densities(data, range, 37);
    let area: f64 = d.iter().sum::<f64>() * (range.1 - range.0) / 37.0;
    assert!((area - 1.0).abs() < 1e-12);

    let mut svg = String::new();
    let root = SVGBackend::with_string(&mut svg, (900, 500)).into_drawing_area();
    let t = draw_histogram(&root, &em, &HistogramView::default(), &Style::default()).unwrap();
    assert_eq!(t.x, range);
    let (x, _) = t.to_data(f64::from(t.px.0), 0.0);
    assert!((x - range.0).abs() < 1e-9);
    let mid = f64::from(t.px.0 + t.px.1) / 2.0;
    let (x, _) = t.to_data(mid, f64::from(t.py.0));
    assert!((x - (range.0 + range.1) / 2.0).abs() < (range.1 - range.0) / 800.0);
    assert!(t.px.0 > 0 && t.px.1 < 900 && t.py.1 > 0 && t.py.0 < 500);
}
