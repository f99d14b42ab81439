//! The 2-D and coin figures drawn natively to SVG: what a person would see, asserted on the drawing itself.
//! Every SVG is also written to `target/tmp/figures2d/` so it can be looked at.

mod common;

use common::{svg_attr, svg_points};
use emlab::core::coins::{coin_preset, Coins};
use emlab::core::coins_csv::{parse_coins, CoinData};
use emlab::core::em::Em;
use emlab::core::gmm2d::{random_start, CovarianceType, Gmm2d};
use emlab::core::kmeans::{assignments, KMeans, KMeansParams};
use emlab::core::options::Options;
use emlab::core::presets2d::preset_2d;
use emlab::core::sample::rng;
use emlab::figures::coins::{
    coin_credits, draw_coin_path, draw_coin_sets, heads_fraction, identifiability_segment,
    rows_shown, MAX_ROWS,
};
use emlab::figures::scatter::{draw_scatter, scatter_extent, ScatterView, MAX_DRAWN, PAD};
use emlab::figures::style::{clip_polyline, component_color, BOUND};
use emlab::figures::{PlotTransform, Style};
use emlab::text::Lang;
use plotters::prelude::*;

const SIZE: (u32, u32) = (900, 600);

// ---------------------------------------------------------------------------------------------------------
// Reading the SVG

/// Writes `svg` to target/tmp/figures2d/`name`.svg for looking at.
fn save(name: &str, svg: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("figures2d");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.svg")), svg).unwrap();
}

/// True when the SVG has a text element whose whole content is `s`.
fn has_text(svg: &str, s: &str) -> bool {
    svg.contains(&format!(">\n{s}\n</text>"))
}

/// True when the coin table shows the M-step's update `head = value`: on one line, or as `head` over
/// `= value` where one line would not fit its column.
fn shows_update(svg: &str, head: &str, value: &str) -> bool {
    has_text(svg, &format!("{head} = {value}"))
        || (has_text(svg, head) && has_text(svg, &format!("= {value}")))
}

/// "#RRGGBB" as the SVG backend writes colours.
fn hex(c: RGBColor) -> String {
    let RGBColor(r, g, b) = c;
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// The lines of the SVG that are `<tag …>` elements.
fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    svg.lines().filter(|l| l.starts_with(&open)).collect()
}

/// The value of attribute `name` of an element line.
fn attr<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = line.find(&key)? + key.len();
    Some(&line[start..start + line[start..].find('"')?])
}

/// The `points` of a polyline or polygon.
fn points(line: &str) -> Vec<(f64, f64)> {
    attr(line, "points")
        .unwrap_or("")
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// The pixel of data point (x, y) under transform `t` (the inverse of `to_data`).
fn to_pixel(t: &PlotTransform, (x, y): (f64, f64)) -> (f64, f64) {
    let fx = (x - t.x.0) / (t.x.1 - t.x.0);
    let fy = (y - t.y.0) / (t.y.1 - t.y.0);
    (
        f64::from(t.px.0) + fx * f64::from(t.px.1 - t.px.0),
        f64::from(t.py.0) + fy * f64::from(t.py.1 - t.py.0),
    )
}

/// Mahalanobis radius √(dᵀ Σ⁻¹ d) of (x, y) from `mean`.
fn mahalanobis(p: (f64, f64), mean: [f64; 2], cov: &[[f64; 2]; 2]) -> f64 {
    let (u, v) = (p.0 - mean[0], p.1 - mean[1]);
    let (a, b, d) = (cov[0][0], cov[0][1], cov[1][1]);
    let det = a * d - b * b;
    ((d * u * u - 2.0 * b * u * v + a * v * v) / det).sqrt()
}

/// The centres of the polygons filled with `color`.
fn polygon_centres(svg: &str, color: &str) -> Vec<(f64, f64)> {
    elements(svg, "polygon")
        .into_iter()
        .filter(|l| attr(l, "fill") == Some(color))
        .map(|l| {
            let p = points(l);
            let n = p.len() as f64;
            (
                p.iter().map(|q| q.0).sum::<f64>() / n,
                p.iter().map(|q| q.1).sum::<f64>() / n,
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// The scatter

fn faithful_em(k: usize, seed: u64) -> Em<Gmm2d> {
    let p = preset_2d("old-faithful").unwrap();
    let model = Gmm2d::new(p.data, CovarianceType::Full);
    let start = random_start(&model, k, &mut rng(seed));
    Em::new(model, start, Options::default()).unwrap()
}

fn scatter_svg(
    data: &[f64],
    q: &[f64],
    means: &[[f64; 2]],
    covs: Option<&[[[f64; 2]; 2]]>,
    view: &ScatterView,
    style: &Style,
) -> (String, PlotTransform) {
    scatter_svg_sized(SIZE, data, q, means, covs, view, style)
}

/// [`scatter_svg`] in a figure of `size` pixels.
fn scatter_svg_sized(
    size: (u32, u32),
    data: &[f64],
    q: &[f64],
    means: &[[f64; 2]],
    covs: Option<&[[[f64; 2]; 2]]>,
    view: &ScatterView,
    style: &Style,
) -> (String, PlotTransform) {
    let mut svg = String::new();
    let t = {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let extent = emlab::core::gmm2d::extent_2d(data);
        let t = draw_scatter(&root, data, extent, q, means, covs, view, style).unwrap();
        root.present().unwrap();
        t
    };
    (svg, t)
}

fn gmm_svg(em: &Em<Gmm2d>, view: &ScatterView, style: &Style) -> (String, PlotTransform) {
    let p = em.params();
    scatter_svg(
        em.model().data(),
        em.q(),
        &p.means,
        Some(&p.covariances),
        view,
        style,
    )
}

/// Where the SVG's text element whose whole content is `s` is anchored.
fn text_at(svg: &str, s: &str) -> Option<(f64, f64)> {
    let lines: Vec<&str> = svg.lines().collect();
    let i = lines.iter().position(|l| *l == s)?;
    let open = lines[i.checked_sub(1)?];
    let number = |name| attr(open, name)?.parse::<f64>().ok();
    Some((number("x")?, number("y")?))
}

#[test]
fn the_scatter_legend_goes_beside_the_plane_where_equal_scales_leave_room_at_its_sides() {
    let em = faithful_em(2, 1);
    let style = Style::default();
    let view = ScatterView::new(false, "fig-scatter", &style);
    let p = em.params();
    let draw = |size| {
        let data = em.model().data();
        let covs = Some(&p.covariances[..]);
        scatter_svg_sized(size, data, em.q(), &p.means, covs, &view, &style)
    };
    // A projector's wide, short figure: the plane (equal scales) cannot use the width, so the legend is a
    // column right of it and the plane takes the height a band would have taken.
    let (wide, w) = draw((1400, 460));
    save("scatter-legend-beside", &wide);
    // A narrow figure: the width limits the plane, so the legend is a band between the title and the plane.
    let (narrow, n) = draw((480, 560));
    save("scatter-legend-band", &narrow);
    let top = |t: &PlotTransform| t.py.0.min(t.py.1) as f64;
    for label in ["mean μ1", "mean μ2", "1σ ellipse", "2σ ellipse"] {
        let (x, y) = text_at(&wide, label).unwrap_or_else(|| panic!("{label}"));
        assert!(
            x > w.px.1 as f64 + 40.0,
            "{label} at x = {x}, right of the plane (to {})",
            w.px.1
        );
        assert!(
            y < 460.0 / 2.0,
            "{label} at y = {y}: the column starts at the top"
        );
        let (_, y) = text_at(&narrow, label).unwrap_or_else(|| panic!("{label}"));
        assert!(
            y < top(&n),
            "{label} at y = {y}, above the plane (from {})",
            top(&n)
        );
    }
    // No band under the wide figure's title: its plane starts a legend row (25 px) higher.
    assert!(
        top(&w) + 20.0 < top(&n),
        "plane tops {} and {}",
        top(&w),
        top(&n)
    );
}

#[test]
fn gmm2d_scatter_has_title_axes_a_cross_per_mean_and_two_ellipses_per_component() {
    for k in [2, 3] {
        let mut em = faithful_em(k, 1);
        em.run(200).unwrap();
        let style = Style::default();
        let view = ScatterView {
            hard: false,
            title_id: "fig-scatter",
            axis_names: (
                "eruptions (standardised)".into(),
                "waiting (standardised)".into(),
            ),
            selected: None,
            ..ScatterView::new(false, "fig-scatter", &Style::default())
        };
        let (svg, t) = gmm_svg(&em, &view, &style);
        save(&format!("gmm2d-k{k}"), &svg);
        assert!(has_text(&svg, "Data coloured by responsibilities"));
        assert!(
            has_text(&svg, "eruptions (standardised)") && has_text(&svg, "waiting (standardised)")
        );
        assert!(has_text(&svg, "1σ ellipse") && has_text(&svg, "2σ ellipse"));
        assert_eq!(elements(&svg, "circle").len(), 272, "one dot per eruption");

        let p = em.params();
        for j in 0..k {
            let color = hex(component_color(j));
            assert!(has_text(&svg, &format!("mean μ{}", j + 1)));
            // One cross at the mean (the other polygon of this colour is its legend swatch).
            let centres = polygon_centres(&svg, &color);
            assert_eq!(centres.len(), 2, "component {j}: marker and legend swatch");
            let at = to_pixel(&t, (p.means[j][0], p.means[j][1]));
            let on_mean = centres
                .iter()
                .filter(|c| (c.0 - at.0).hypot(c.1 - at.1) < 2.0)
                .count();
            assert_eq!(
                on_mean, 1,
                "component {j}: one cross at its mean {at:?}, got {centres:?}"
            );

            // Every line in the component colour lies on its 1σ or 2σ contour: one solid 1σ polyline and a dashed 2σ.
            let (mut solid, mut dashes, mut other) = (Vec::new(), 0, 0);
            for line in elements(&svg, "polyline") {
                if attr(line, "stroke") != Some(color.as_str()) {
                    continue;
                }
                let radii: Vec<f64> = points(line)
                    .into_iter()
                    .map(|(x, y)| mahalanobis(t.to_data(x, y), p.means[j], &p.covariances[j]))
                    .collect();
                // Within the rounding of whole pixels on an ellipse a few dozen pixels across (the
                // plane has equal scales, so a thin ellipse stays thin).
                if radii.iter().all(|r| (r - 1.0).abs() < 0.2) {
                    solid.push(radii.len());
                } else if radii.iter().all(|r| (r - 2.0).abs() < 0.2) {
                    dashes += 1;
                } else {
                    other += 1;
                }
            }
            assert_eq!(solid.len(), 1, "component {j}: one solid 1σ ellipse");
            assert!(
                solid[0] > 90,
                "component {j}: the 1σ ellipse has ~100 points"
            );
            assert!(
                dashes >= 12,
                "component {j}: the 2σ ellipse is dashed ({dashes} dashes)"
            );
            assert_eq!(other, 0, "component {j}: no other lines in its colour");
        }
    }
}

#[test]
fn kmeans_scatter_has_hard_colours_one_cross_per_centre_and_no_ellipses() {
    let p = preset_2d("three-blobs").unwrap();
    let model = KMeans::new(p.data);
    let start = KMeansParams {
        centres: vec![[0.0, 3.0], [2.0, 2.0], [4.0, 3.0]],
    };
    let mut em = Em::new(model, start, Options::default()).unwrap();
    em.run(100).unwrap();
    let style = Style::default();
    let view = ScatterView::new(true, "fig-kmeans", &style);
    let centres = em.params().centres.clone();
    let (svg, t) = scatter_svg(em.model().data(), em.q(), &centres, None, &view, &style);
    save("kmeans", &svg);
    assert!(has_text(&svg, "k-means: hard assignments"));
    assert!(has_text(&svg, "x₁") && has_text(&svg, "x₂"));
    assert!(!svg.contains("ellipse"), "no ellipse legend");
    let labels = assignments(&em);
    for (j, c) in centres.iter().enumerate() {
        let color = hex(component_color(j));
        assert!(has_text(&svg, &format!("centre μ{}", j + 1)));
        let at = to_pixel(&t, (c[0], c[1]));
        let centres_px = polygon_centres(&svg, &color);
        assert_eq!(centres_px.len(), 2, "marker and legend swatch");
        assert_eq!(
            centres_px
                .iter()
                .filter(|p| (p.0 - at.0).hypot(p.1 - at.1) < 2.0)
                .count(),
            1
        );
        let lines = elements(&svg, "polyline");
        assert!(
            !lines
                .iter()
                .any(|l| attr(l, "stroke") == Some(color.as_str())),
            "no ellipse for k-means"
        );
        // Every point is drawn in the colour of its cluster.
        let dots = elements(&svg, "circle")
            .into_iter()
            .filter(|l| attr(l, "fill") == Some(color.as_str()));
        assert_eq!(dots.count(), labels.iter().filter(|&&l| l == j).count());
    }
    assert_eq!(elements(&svg, "circle").len(), 450);
}

#[test]
fn soft_colours_blend_and_hard_colours_pick_the_argmax() {
    let mut em = faithful_em(2, 3);
    em.e_step().unwrap();
    let style = Style::default();
    let palette: Vec<String> = (0..2).map(|j| hex(component_color(j))).collect();
    let fills = |svg: &str| -> Vec<String> {
        elements(svg, "circle")
            .iter()
            .map(|l| attr(l, "fill").unwrap().to_string())
            .collect()
    };
    let (soft, _) = gmm_svg(&em, &ScatterView::new(false, "fig-scatter", &style), &style);
    let blended = fills(&soft).iter().filter(|f| !palette.contains(f)).count();
    assert!(
        blended > 0,
        "uncertain points get a blend of the two colours"
    );

    let (hard, _) = gmm_svg(
        &em,
        &ScatterView::new(true, "fig-scatter-hard", &style),
        &style,
    );
    save("gmm2d-hard", &hard);
    assert!(has_text(
        &hard,
        "Data coloured by hard assignment (argmax q)"
    ));
    let hard_fills = fills(&hard);
    assert_eq!(hard_fills.len(), 272);
    for (i, f) in hard_fills.iter().enumerate() {
        let q = em.q_row(i);
        let best = usize::from(q[1] > q[0]);
        assert_eq!(f, &palette[best], "point {i}, q = {q:?}");
    }
}

#[test]
fn scatter_speaks_the_page_language() {
    let mut em = faithful_em(2, 1);
    em.step().unwrap();
    let style = Style {
        scale: 2.0,
        lang: Lang::Zh,
        ..Style::default()
    };
    let (svg, _) = gmm_svg(&em, &ScatterView::new(false, "fig-scatter", &style), &style);
    save("gmm2d-zh", &svg);
    assert!(has_text(&svg, "按响应度着色的数据"));
    assert!(has_text(&svg, "均值 μ1") && has_text(&svg, "1σ 椭圆") && has_text(&svg, "2σ 椭圆"));
    assert!(!svg.contains("Data coloured"));
    let (svg, _) = scatter_svg(
        &[0.0, 0.0, 1.0, 1.0],
        &[1.0, 0.0],
        &[[0.5, 0.5]],
        None,
        &ScatterView::new(true, "fig-kmeans", &style),
        &style,
    );
    assert!(has_text(&svg, "k 均值：硬分配") && has_text(&svg, "中心 μ1"));
}

#[test]
fn the_chosen_point_is_ringed_on_the_scatter() {
    // The Jensen figure and the formulas describe one point; the 1-D figures mark it, the scatter did not.
    let mut em = faithful_em(2, 2);
    em.step().unwrap();
    let style = Style::default();
    let rings = |svg: &str| -> Vec<(f64, f64)> {
        elements(svg, "circle")
            .iter()
            .filter(|c| attr(c, "fill") == Some("none"))
            .filter_map(|c| Some((attr(c, "cx")?.parse().ok()?, attr(c, "cy")?.parse().ok()?)))
            .collect()
    };
    let plain = ScatterView::new(false, "fig-scatter", &style);
    let (svg, _) = gmm_svg(&em, &plain, &style);
    assert!(rings(&svg).is_empty());
    let data = em.model().data();
    for i in [0, 17, data.len() / 2 - 1] {
        let view = ScatterView {
            selected: Some(i),
            ..plain.clone()
        };
        let (svg, t) = gmm_svg(&em, &view, &style);
        let found = rings(&svg);
        assert_eq!(found.len(), 2, "a halo and a ring: {found:?}");
        for (cx, cy) in found {
            let (x, y) = t.to_data(cx, cy);
            let pixel = (t.x.1 - t.x.0) / f64::from(t.px.1 - t.px.0);
            assert!(
                (x - data[2 * i]).abs() <= 1.5 * pixel
                    && (y - data[2 * i + 1]).abs() <= 1.5 * pixel,
                "ring at ({x}, {y}), point {i} at ({}, {})",
                data[2 * i],
                data[2 * i + 1]
            );
        }
    }
    // An index past the data draws no ring (and no panic).
    let view = ScatterView {
        selected: Some(data.len()),
        ..plain
    };
    assert!(rings(&gmm_svg(&em, &view, &style).0).is_empty());
}

#[test]
fn a_mean_at_the_edge_of_a_small_data_set_is_drawn_whole() {
    // Eight typed points on a 447×309 figure (1280×720): μ at the lowest point sat 14 px above the x axis,
    // and its × (16 px across) was cut in half.
    use emlab::figures::scatter::KEEP_PX;
    let data = [
        1.0, 2.0, 1.5, 2.2, 0.8, 1.7, 5.0, 6.0, 5.5, 6.3, 4.8, 5.9, 9.0, 1.0, 9.2, 1.4,
    ];
    let means = [[9.1, 1.0], [0.8, 6.3]];
    let q = vec![0.5; 16];
    let style = Style::default();
    let view = ScatterView::new(false, "fig-scatter", &style);
    for size in [(447, 309), (360, 260), (900, 500)] {
        let mut svg = String::new();
        let t = {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            let extent = emlab::core::gmm2d::extent_2d(&data);
            let t = draw_scatter(&root, &data, extent, &q, &means, None, &view, &style).unwrap();
            root.present().unwrap();
            t
        };
        let to_px = |x: f64, y: f64| {
            (
                f64::from(t.px.0) + (x - t.x.0) / (t.x.1 - t.x.0) * f64::from(t.px.1 - t.px.0),
                f64::from(t.py.0) + (y - t.y.0) / (t.y.1 - t.y.0) * f64::from(t.py.1 - t.py.0),
            )
        };
        for m in means {
            let (px, py) = to_px(m[0], m[1]);
            let room = (px - f64::from(t.px.0))
                .min(f64::from(t.px.1) - px)
                .min(f64::from(t.py.0) - py)
                .min(py - f64::from(t.py.1));
            assert!(
                room >= KEEP_PX - 1.0,
                "{size:?}: μ {m:?} {room} px from an edge"
            );
        }
    }
}

#[test]
fn scatter_transform_maps_pixel_corners_back_to_the_padded_data_ranges() {
    let mut em = faithful_em(2, 2);
    em.step().unwrap();
    let style = Style::default();
    let (svg, t) = gmm_svg(&em, &ScatterView::new(false, "fig-scatter", &style), &style);
    let data = em.model().data();
    let xs = || data.iter().step_by(2).copied();
    let ys = || data.iter().skip(1).step_by(2).copied();
    let (lo, hi) = (
        xs().fold(f64::INFINITY, f64::min),
        xs().fold(f64::NEG_INFINITY, f64::max),
    );
    let (ylo, yhi) = (
        ys().fold(f64::INFINITY, f64::min),
        ys().fold(f64::NEG_INFINITY, f64::max),
    );
    // The padded data ranges lie inside the plane; one of them fills it (the other is widened so that
    // both axes have the same scale).
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * (1.0 + b.abs());
    let (px0, px1) = (lo - PAD * (hi - lo), hi + PAD * (hi - lo));
    assert!(t.x.0 <= px0 + 1e-9 && t.x.1 >= px1 - 1e-9, "{:?}", t.x);
    let x_fills = close(t.x.0, px0) && close(t.x.1, px1);
    let (py0, py1) = (ylo - PAD * (yhi - ylo), yhi + PAD * (yhi - ylo));
    assert!(t.y.0 <= py0 + 1e-9 && t.y.1 >= py1 - 1e-9, "{:?}", t.y);
    let y_fills = close(t.y.0, py0) && close(t.y.1, py1);
    assert!(
        x_fills || y_fills,
        "one axis is the padded data range: {t:?}"
    );
    let extent = emlab::core::gmm2d::extent_2d(data);
    // The means too, with their padding.
    let pad = |(lo, hi): (f64, f64)| (lo - PAD * (hi - lo), hi + PAD * (hi - lo));
    let (x, y) = scatter_extent(extent, &em.params().means);
    let ((sx0, sx1), (sy0, sy1)) = (pad(x), pad(y));
    let within = |a: f64, b: f64| a <= b + 1e-12 * (1.0 + b.abs());
    assert!(within(t.x.0, sx0) && within(sx1, t.x.1) && within(t.y.0, sy0) && within(sy1, t.y.1));

    // Bottom-left and top-right pixels of the plotting area are the corners of the data ranges.
    let (x, y) = t.to_data(f64::from(t.px.0), f64::from(t.py.0));
    assert!(
        close(x, t.x.0) && close(y, t.y.0),
        "bottom-left → ({x}, {y})"
    );
    let (x, y) = t.to_data(f64::from(t.px.1), f64::from(t.py.1));
    assert!(close(x, t.x.1) && close(y, t.y.1), "top-right → ({x}, {y})");
    assert!(t.px.0 > 0 && t.px.1 < SIZE.0 as i32 && t.py.1 > 0 && t.py.0 < SIZE.1 as i32);
    assert!(t.contains(
        f64::from(t.px.0 + t.px.1) / 2.0,
        f64::from(t.py.0 + t.py.1) / 2.0,
        0.0
    ));

    // A click on a drawn dot maps back to that data point, to within two pixels' worth of data (plotters
    // rounds down to whole pixels and maps the ranges' ends to the last pixel inside the area).
    for i in [0, 7, 100, 271] {
        let dot = elements(&svg, "circle")[i];
        let (cx, cy): (f64, f64) = (
            attr(dot, "cx").unwrap().parse().unwrap(),
            attr(dot, "cy").unwrap().parse().unwrap(),
        );
        let (x, y) = t.to_data(cx, cy);
        let per_px = (
            (t.x.1 - t.x.0) / f64::from(t.px.1 - t.px.0),
            (t.y.1 - t.y.0) / f64::from(t.py.0 - t.py.1),
        );
        let (dx, dy) = (
            (x - data[2 * i]) / per_px.0,
            (y - data[2 * i + 1]) / per_px.1,
        );
        assert!(
            dx.abs() <= 2.0 && dy.abs() <= 2.0,
            "point {i}: off by ({dx}, {dy}) pixels"
        );
    }
}

#[test]
fn large_data_is_thinned_and_ellipses_are_clipped_to_the_plot() {
    let mut r = rng(5);
    let big: Vec<f64> = (0..2 * 50_000)
        .map(|_| emlab::core::sample::normal(&mut r, 0.0, 1.0))
        .collect();
    let q = vec![0.5; 50_000 * 2];
    let means = [[-1.0, 0.0], [1.0, 0.0]];
    let covs = [[[9.0, 0.0], [0.0, 9.0]], [[0.5, 0.2], [0.2, 0.5]]];
    let style = Style::default();
    let view = ScatterView::new(false, "fig-scatter", &style);
    let started = std::time::Instant::now();
    let (svg, t) = scatter_svg(&big, &q, &means, Some(&covs), &view, &style);
    eprintln!("50 000 points drawn to SVG in {:?}", started.elapsed());
    let dots = elements(&svg, "circle").len();
    assert!((MAX_DRAWN / 2..=MAX_DRAWN).contains(&dots), "{dots} dots");
    // The wide component's ellipses leave the plot: every drawn point stays inside the plotting area.
    for line in elements(&svg, "polyline") {
        if attr(line, "stroke") == Some(hex(component_color(0)).as_str()) {
            for (x, y) in points(line) {
                assert!(t.contains(x, y, 1.0), "({x}, {y}) outside the plot");
            }
        }
    }

    let ten_k = &big[..20_000];
    let (svg, _) = scatter_svg(ten_k, &q[..20_000], &means, Some(&covs), &view, &style);
    assert_eq!(
        elements(&svg, "circle").len(),
        10_000,
        "10 000 points are all drawn"
    );
}

#[test]
fn clip_polyline_keeps_the_inside_runs() {
    let square = [(-2.0, 0.5), (0.5, 0.5), (0.5, 3.0), (0.8, 3.0), (0.8, 0.2)];
    let runs = clip_polyline(&square, (0.0, 1.0), (0.0, 1.0));
    let expected = [
        vec![(0.0, 0.5), (0.5, 0.5), (0.5, 1.0)],
        vec![(0.8, 1.0), (0.8, 0.2)],
    ];
    assert_eq!(runs.len(), 2, "{runs:?}");
    for (run, want) in runs.iter().zip(&expected) {
        assert_eq!(run.len(), want.len(), "{runs:?}");
        for (a, b) in run.iter().zip(want) {
            assert!(
                (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12,
                "{runs:?}"
            );
        }
    }
    assert!(clip_polyline(&[(2.0, 2.0), (3.0, 3.0)], (0.0, 1.0), (0.0, 1.0)).is_empty());
}

// ---------------------------------------------------------------------------------------------------------
// The coins

fn coin_em(name: &str, start: usize) -> (Em<Coins>, CoinData) {
    let p = coin_preset(name).unwrap();
    let model = Coins::from_data(&p.data, p.fix_weights);
    (
        Em::new(model, p.starts[start].clone(), Options::default()).unwrap(),
        p.data,
    )
}

fn sets_svg(em: &Em<Coins>, sequences: &[Option<String>], style: &Style) -> String {
    sets_svg_sized(em, sequences, style, SIZE)
}

fn sets_svg_sized(
    em: &Em<Coins>,
    sequences: &[Option<String>],
    style: &Style,
    size: (u32, u32),
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_coin_sets(&root, em, sequences, None, style).unwrap();
        root.present().unwrap();
    }
    svg
}

/// The smallest font size (in pixels, as written to the SVG) of any text.
fn smallest_font(svg: &str) -> f64 {
    elements(svg, "text")
        .iter()
        .filter_map(|l| attr(l, "font-size")?.parse::<f64>().ok())
        .fold(f64::INFINITY, f64::min)
}

fn path_svg(em: &Em<Coins>, path: &[(f64, f64)], style: &Style) -> (String, PlotTransform) {
    let mut svg = String::new();
    let t = {
        let root = SVGBackend::with_string(&mut svg, (800, 700)).into_drawing_area();
        let t = draw_coin_path(&root, em, path, style).unwrap();
        root.present().unwrap();
        t
    };
    (svg, t)
}

/// Steps EM `iterations` times, collecting (θ₁, θ₂) at the start and after each M-step.
fn run_path(em: &mut Em<Coins>, iterations: usize) -> Vec<(f64, f64)> {
    let at = |em: &Em<Coins>| (em.params().heads[0], em.params().heads[1]);
    let mut path = vec![at(em)];
    for _ in 0..iterations {
        em.step().unwrap();
        path.push(at(em));
    }
    path
}

#[test]
fn lesson_tables_show_their_sets_on_a_classroom_screen() {
    // The data figure at 1280×720 (911×309 CSS px) and 1024×768 presentation (664×329, scale 1.03): Do &
    // Batzoglou's five sets all shown (one or two were, beside "+4 more sets"), in rows of text ≥ 11.5 px.
    for (size, scale) in [((911, 309), 1.0), ((684, 338), 1.028)] {
        let (mut em, data) = coin_em("five-sets", 0);
        em.e_step().unwrap();
        let style = Style {
            scale,
            ..Style::default()
        };
        let svg = sets_svg_sized(&em, &data.sequences, &style, size);
        save("coin-sets-five-short", &svg);
        assert!(!svg.contains("more sets"), "{size:?}");
        let fifth = svg
            .split("<text ")
            .find(|t| t.contains("T H H H T H H H T H"))
            .and_then(|t| attr(&format!(" {t}"), "font-size")?.parse::<f64>().ok());
        assert!(
            fifth.is_some_and(|f| f >= 11.5 * scale),
            "the fifth set: {fifth:?}, {size:?}"
        );
    }
    assert_eq!(rows_shown(5, 253.0), 5);
    // 8.6 lines of room (the Chinese page at 1024×768, 223 px) hold the five sets' 8.5: three were shown.
    assert_eq!(rows_shown(5, 223.0), 5);
    // Li Hang's ten tosses on the same 1280×720 figure: five rows and "+5 more" (two rows and "+8 more").
    let (mut em, data) = coin_em("three-coins", 0);
    em.e_step().unwrap();
    let svg = sets_svg_sized(&em, &data.sequences, &Style::default(), (911, 309));
    save("coin-sets-three-short", &svg);
    assert!(has_text(&svg, "+5 more sets (counted in the total)"));
    // A long table of your own is still cut at rows of 36 px, not shrunk.
    assert_eq!(rows_shown(25, 544.0), 10);
    // Presentation at 1920×1080 (the data figure 1261×459 CSS px, text 1.43×): Li Hang's ten tosses all
    // shown (five were, beside "+5 more"), the bars' numbers at 10.5 px or more (the sets at 12).
    let style = Style {
        scale: 1.434,
        width: 1261.0,
        ..Style::default()
    };
    let svg = sets_svg_sized(&em, &data.sequences, &style, (1261, 459));
    save("coin-sets-three-presenting", &svg);
    assert!(!svg.contains("more sets"));
    assert!(smallest_font(&svg) >= 10.5, "{}", smallest_font(&svg));
}

#[test]
fn five_sets_table_shows_the_papers_figure_1b() {
    let (mut em, data) = coin_em("five-sets", 0);
    em.e_step().unwrap();
    let svg = sets_svg(&em, &data.sequences, &Style::default());
    save("coin-sets-five", &svg);
    assert!(has_text(&svg, "Which coin tossed each set?"));
    assert!(smallest_font(&svg) >= 13.5, "projector-sized text");
    assert!(has_text(&svg, "q = P(coin | tosses)"));
    assert!(has_text(&svg, "credited to coin 1") && has_text(&svg, "credited to coin 2"));
    for seq in [
        "H T T T H H T H T H",
        "H H H H T H H H H H",
        "H T H H H H H T H H",
        "H T H T T T H H T T",
        "T H H H T H H H T H",
    ] {
        assert!(has_text(&svg, seq), "{seq}");
    }
    // Do & Batzoglou, Fig. 1b: the posteriors, the credited counts, the totals and the new θ.
    for q in [
        "0.45", "0.55", "0.80", "0.20", "0.73", "0.27", "0.35", "0.65",
    ] {
        assert!(has_text(&svg, q), "posterior {q}");
    }
    for credit in [
        "2.2 H, 2.2 T",
        "2.8 H, 2.8 T",
        "7.2 H, 0.8 T",
        "1.8 H, 0.2 T",
        "1.4 H, 2.1 T",
        "2.6 H, 3.9 T",
    ] {
        assert!(has_text(&svg, credit), "{credit}");
    }
    assert!(
        has_text(&svg, "21.3 H, 8.6 T") && has_text(&svg, "11.7 H, 8.4 T"),
        "the paper's totals"
    );
    assert!(
        shows_update(&svg, "θ1 ← 21.3 / 29.9", "0.71")
            && shows_update(&svg, "θ2 ← 11.7 / 20.1", "0.58")
    );
    assert!(has_text(&svg, "π fixed") && has_text(&svg, "total") && has_text(&svg, "M-step"));
    // The new θ on the figure is the one the M-step produces.
    let credits = coin_credits(&em);
    em.m_step().unwrap();
    for j in 0..2 {
        assert!((credits.theta(j).unwrap() - em.params().heads[j]).abs() < 1e-12);
    }
    // One posterior bar per set, stacked in the coin colours: the coin-1 segments are q·width long.
    let blue = hex(component_color(0));
    let segments: Vec<f64> = elements(&svg, "rect")
        .into_iter()
        .filter(|l| attr(l, "fill") == Some(blue.as_str()))
        .map(|l| attr(l, "width").unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        segments.len(),
        5,
        "five bars, no totals bar when the weights are fixed"
    );
    let ratio = segments[1] / segments[0];
    assert!((ratio - 0.80 / 0.45).abs() < 0.05, "{ratio}");
}

#[test]
fn three_coins_table_shows_single_tosses_and_the_learned_weight() {
    let (mut em, data) = coin_em("three-coins", 1);
    em.e_step().unwrap();
    let svg = sets_svg(&em, &data.sequences, &Style::default());
    save("coin-sets-three", &svg);
    for i in 1..=10 {
        assert!(
            has_text(&svg, &i.to_string()),
            "row {i}: all ten tosses fit on a 600-pixel canvas"
        );
    }
    assert!(!svg.contains("more sets") && smallest_font(&svg) >= 13.5);
    assert!(has_text(&svg, "H") && has_text(&svg, "T"));
    // Start (0.4, 0.6, 0.7): a head is coin 1's with q = 0.24 / 0.66, a tail with q = 0.16 / 0.34.
    assert!(has_text(&svg, "0.36 H, 0 T") && has_text(&svg, "0.64 H, 0 T"));
    assert!(has_text(&svg, "0 H, 0.47 T") && has_text(&svg, "0 H, 0.53 T"));
    // π's new value with its rule where it fits (it had the rule alone): Li Hang's π = 0.4064.
    assert!(has_text(&svg, "π ← mean of q = (0.41, 0.59)") || has_text(&svg, "π ← mean of q"));
    let wide = sets_svg_sized(&em, &data.sequences, &Style::default(), (2000, 600));
    assert!(
        has_text(&wide, "π ← mean of q = (0.41, 0.59)"),
        "{}",
        wide.lines()
            .filter(|l| l.contains("π"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        shows_update(&svg, "θ1 ← 2.18 / 4.06", "0.5368")
            && shows_update(&svg, "θ2 ← 3.82 / 5.94", "0.6432"),
        "Li Hang's iteration 1"
    );
    // The totals row has a bar of the mean q: 10 set bars + 1.
    let blue = hex(component_color(0));
    let bars = elements(&svg, "rect")
        .into_iter()
        .filter(|l| attr(l, "fill") == Some(blue.as_str()))
        .count();
    assert_eq!(bars, 11);
    assert!(
        has_text(&svg, "0.41"),
        "the new π = 0.4064 on the totals bar"
    );
}

#[test]
fn coin_sets_show_counts_when_there_is_no_sequence_and_cut_long_tables() {
    let data = parse_coins("5,10\n9 10\nHHT\n").unwrap();
    let em = Em::new(
        Coins::from_data(&data, true),
        coin_preset("five-sets").unwrap().starts[0].clone(),
        Options::default(),
    )
    .unwrap();
    let svg = sets_svg(&em, &data.sequences, &Style::default());
    assert!(
        has_text(&svg, "5 heads / 10") && has_text(&svg, "9 heads / 10") && has_text(&svg, "H H T")
    );

    let text: String = (0..25).map(|i| format!("{},20\n", 5 + i % 10)).collect();
    let data = parse_coins(&text).unwrap();
    let mut em = Em::new(
        Coins::from_data(&data, false),
        coin_preset("three-coins").unwrap().starts[1].clone(),
        Options::default(),
    )
    .unwrap();
    em.e_step().unwrap();
    // On a tall canvas: the first 20 sets and a note for the other 5.
    let svg = sets_svg_sized(&em, &data.sequences, &Style::default(), (900, 1100));
    save("coin-sets-many", &svg);
    assert!(has_text(&svg, &MAX_ROWS.to_string()) && !has_text(&svg, &(MAX_ROWS + 1).to_string()));
    assert!(has_text(&svg, "+5 more sets (counted in the total)"));
    assert!(smallest_font(&svg) >= 13.5, "projector-sized text");
    // On a 600-pixel canvas rows are cut rather than shrunk below a readable size.
    let shown = rows_shown(25, 544.0);
    assert!((8..MAX_ROWS).contains(&shown), "{shown}");
    let svg = sets_svg(&em, &data.sequences, &Style::default());
    save("coin-sets-many-short", &svg);
    assert!(has_text(&svg, &shown.to_string()) && !has_text(&svg, &(shown + 1).to_string()));
    assert!(has_text(
        &svg,
        &format!("+{} more sets (counted in the total)", 25 - shown)
    ));
    assert!(smallest_font(&svg) >= 13.5, "projector-sized text");
    let c = coin_credits(&em);
    let heads: f64 = data.counts.iter().map(|&(h, _)| f64::from(h)).sum();
    assert!(
        (c.totals[0].0 + c.totals[1].0 - heads).abs() < 1e-9,
        "the totals include the hidden sets"
    );

    let long = parse_coins(&"HT".repeat(40)).unwrap();
    let em = Em::new(
        Coins::from_data(&long, true),
        coin_preset("five-sets").unwrap().starts[0].clone(),
        Options::default(),
    )
    .unwrap();
    let svg = sets_svg(&em, &long.sequences, &Style::default());
    assert!(
        svg.contains("HTHTHT") && svg.contains('…'),
        "a long sequence is cut with an ellipsis"
    );
}

#[test]
fn three_coin_path_shows_the_identifiability_line_and_five_sets_does_not() {
    let (mut em, _) = coin_em("three-coins", 1);
    let path = run_path(&mut em, 3);
    let (svg, t) = path_svg(&em, &path, &Style::default());
    save("coin-path-three", &svg);
    assert!(has_text(&svg, "Path of θ over the iterations"));
    assert!(has_text(&svg, "θ1 = P(heads | coin 1)") && has_text(&svg, "θ2 = P(heads | coin 2)"));
    assert!(
        has_text(&svg, "πθ1 + (1−π)θ2 = 0.6"),
        "the non-identifiability line is labelled"
    );
    assert!(
        has_text(&svg, "start")
            && has_text(&svg, "current θ")
            && has_text(&svg, "θ after each M-step")
    );
    assert!((heads_fraction(em.model()) - 0.6).abs() < 1e-15);
    // The dashes lie on πθ1 + (1 − π)θ2 = 0.6 at the current π, and θ (after an M-step) lies on it too.
    let pi = em.params().weights[0];
    let wine = hex(BOUND);
    let (mut dashes, mut swatches) = (0, 0);
    for line in elements(&svg, "polyline")
        .into_iter()
        .filter(|l| attr(l, "stroke") == Some(wine.as_str()))
    {
        let on_line = points(line).into_iter().all(|(x, y)| {
            let (p, q) = t.to_data(x, y);
            (pi * p + (1.0 - pi) * q - 0.6).abs() < 0.01
        });
        if on_line {
            dashes += 1;
        } else {
            swatches += 1;
        }
    }
    assert!(dashes > 20, "{dashes} dashes on the line");
    // The legend swatch is 40 px of a 7 px dash and 5 px gap: at most four dashes.
    assert!(
        swatches <= 4,
        "only the legend swatch's dashes are elsewhere ({swatches})"
    );
    let (p, q) = (em.params().heads[0], em.params().heads[1]);
    assert!((pi * p + (1.0 - pi) * q - 0.6).abs() < 1e-12);
    // The current θ is a filled dot at its pixel.
    let at = to_pixel(&t, (p, q));
    let current = elements(&svg, "circle")
        .into_iter()
        .filter(|l| attr(l, "fill") == Some(wine.as_str()))
        .any(|l| {
            let c: (f64, f64) = (
                attr(l, "cx").unwrap().parse().unwrap(),
                attr(l, "cy").unwrap().parse().unwrap(),
            );
            (c.0 - at.0).hypot(c.1 - at.1) < 1.5
        });
    assert!(current, "current θ marked at {at:?}");
    // The transform's corners are the unit square's.
    assert_eq!(t.to_data(f64::from(t.px.0), f64::from(t.py.0)), (0.0, 0.0));
    assert_eq!(t.to_data(f64::from(t.px.1), f64::from(t.py.1)), (1.0, 1.0));

    let (mut em, _) = coin_em("five-sets", 0);
    let path = run_path(&mut em, 10);
    let (svg, _) = path_svg(&em, &path, &Style::default());
    save("coin-path-five", &svg);
    assert!(has_text(&svg, "Path of θ over the iterations"));
    assert!(
        !svg.contains("πθ1 + (1−π)θ2"),
        "the weights are fixed: no identifiability line"
    );
    assert!(!elements(&svg, "polyline")
        .iter()
        .any(|l| attr(l, "stroke") == Some(wine.as_str())));
}

#[test]
fn identifiability_segment_spans_the_unit_square() {
    let (a, b) = identifiability_segment(0.5, 0.6).unwrap();
    let ends = [a, b];
    assert!(
        ends.iter()
            .any(|e| (e.0 - 0.2).abs() < 1e-12 && (e.1 - 1.0).abs() < 1e-12),
        "{ends:?}"
    );
    assert!(
        ends.iter()
            .any(|e| (e.0 - 1.0).abs() < 1e-12 && (e.1 - 0.2).abs() < 1e-12),
        "{ends:?}"
    );
    // π = 1: the line is p = m̄, vertical.
    let (a, b) = identifiability_segment(1.0, 0.6).unwrap();
    assert!((a.0 - 0.6).abs() < 1e-12 && (b.0 - 0.6).abs() < 1e-12 && (a.1 - b.1).abs() == 1.0);
    assert!(
        identifiability_segment(0.5, 1.5).is_none(),
        "m̄ > 1 never meets the square"
    );
}

#[test]
fn coin_figures_speak_the_page_language() {
    let style = Style {
        scale: 1.5,
        lang: Lang::Zh,
        ..Style::default()
    };
    let (mut em, data) = coin_em("three-coins", 1);
    em.e_step().unwrap();
    let svg = sets_svg(&em, &data.sequences, &style);
    save("coin-sets-zh", &svg);
    assert!(
        has_text(&svg, "每组是哪枚硬币抛的？")
            && has_text(&svg, "记入硬币 1")
            && has_text(&svg, "合计")
    );
    assert!(has_text(&svg, "0.36 正，0 反"));
    assert!(!svg.contains("credited"));
    let path = run_path(&mut em, 2);
    let (svg, _) = path_svg(&em, &path, &style);
    save("coin-path-zh", &svg);
    assert!(
        has_text(&svg, "θ 的迭代路径")
            && has_text(&svg, "θ1 = P(正面 | 硬币 1)")
            && has_text(&svg, "起点")
    );
    assert!(has_text(&svg, "πθ1 + (1−π)θ2 = 0.6"));
}

// ---------------------------------------------------------------------------------------------------------
// Marks as pixels (how the page's canvas draws the scatter's dots and the histogram's strip)

#[test]
fn marks_rasterize_to_discs_and_bars_of_the_right_area_and_colour() {
    use emlab::figures::marks::{Mark, Marks};
    let red = RGBColor(200, 30, 40);
    let blue = RGBColor(10, 20, 230);
    let mut marks = Marks::default();
    marks.push(
        Mark::Disc {
            centre: (20, 20),
            radius: 6,
        },
        red,
    );
    marks.push(
        Mark::Bar {
            from: (50, 10),
            to: (50, 40),
            width: 2,
        },
        blue,
    );
    // A later mark covers an earlier one.
    marks.push(
        Mark::Disc {
            centre: (24, 20),
            radius: 2,
        },
        blue,
    );
    let (origin, size) = marks.extent((100, 100)).unwrap();
    assert!(origin.0 <= 13 && origin.1 <= 10 && origin.0 + size.0 as i32 >= 52);
    let rgba = marks.rasterize(origin, size);
    let at = |x: i32, y: i32| {
        let (px, py) = (x - origin.0, y - origin.1);
        if px < 0 || py < 0 || px >= size.0 as i32 || py >= size.1 as i32 {
            return [0; 4]; // outside the box: nothing there
        }
        let i = ((py * size.0 as i32 + px) * 4) as usize;
        [rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]]
    };
    assert_eq!(at(17, 17), [200, 30, 40, 255], "inside the red disc");
    assert_eq!(
        at(24, 20),
        [10, 20, 230, 255],
        "the blue disc drawn over the red"
    );
    assert_eq!(at(20, 30)[3], 0, "outside every mark");
    assert_eq!(at(49, 25), [10, 20, 230, 255], "the bar's left column");
    assert_eq!(at(50, 25), [10, 20, 230, 255], "the bar's right column");
    assert_eq!(at(51, 25)[3], 0, "a 2 px bar is two columns wide");
    assert_eq!(at(50, 9)[3], 0, "the bar starts at its top end");
    assert_eq!(at(50, 39)[3], 255, "and runs to its bottom end");
    // The red disc alone: its pixels' coverage adds up to its area, πr².
    let mut one = Marks::default();
    one.push(
        Mark::Disc {
            centre: (20, 20),
            radius: 6,
        },
        red,
    );
    let (o, s) = one.extent((100, 100)).unwrap();
    let area: f64 = one
        .rasterize(o, s)
        .chunks(4)
        .map(|p| f64::from(p[3]) / 255.0)
        .sum();
    let exact = std::f64::consts::PI * 36.0;
    assert!(
        (area - exact).abs() < 0.03 * exact,
        "{area} pixels for πr² = {exact}"
    );
    // Marks off the canvas are clipped to it; none at all have no extent.
    let mut off = Marks::default();
    off.push(
        Mark::Disc {
            centre: (-50, -50),
            radius: 3,
        },
        red,
    );
    assert_eq!(off.extent((100, 100)), None);
    assert_eq!(Marks::default().extent((100, 100)), None);

    // The page's largest scatter: MAX_DRAWN dots of radius 3 over a 700 × 500 plot.
    let mut many = Marks::with_capacity(MAX_DRAWN);
    for i in 0..MAX_DRAWN as i32 {
        many.push(
            Mark::Disc {
                centre: (50 + (i * 37) % 700, 50 + (i * 101) % 500),
                radius: 3,
            },
            red,
        );
    }
    let started = std::time::Instant::now();
    let (o, s) = many.extent((800, 600)).unwrap();
    let pixels = many.rasterize(o, s);
    eprintln!("{MAX_DRAWN} dots rasterized in {:?}", started.elapsed());
    assert!(pixels.chunks(4).filter(|p| p[3] == 255).count() > 50_000);
}

/// A disc is painted the same whether it lies wholly inside the box (painted without a check per pixel)
/// or reaches its edge (each pixel checked): overlapping translucent-edged discs rasterized in a tight box
/// and again in a box 20 px larger on every side agree on every pixel they share.
#[test]
fn discs_inside_the_box_and_at_its_edge_paint_the_same_pixels() {
    use emlab::figures::marks::{Mark, Marks};
    let mut marks = Marks::default();
    use rand::RngExt;
    let mut r = rng(5);
    for i in 0..3_000 {
        let centre = (r.random_range(0..120), r.random_range(0..80));
        let color = RGBColor(
            (i * 7 % 256) as u8,
            (i * 13 % 256) as u8,
            (i * 29 % 256) as u8,
        );
        marks.push(
            Mark::Disc {
                centre,
                radius: 1 + (i % 4) as u32,
            },
            color,
        );
    }
    let (origin, size) = marks.extent((1000, 1000)).unwrap();
    let tight = marks.rasterize(origin, size);
    let (wide_origin, wide_size) = ((origin.0 - 20, origin.1 - 20), (size.0 + 40, size.1 + 40));
    let wide = marks.rasterize(wide_origin, wide_size);
    let mut edge_pixels = 0;
    for y in 0..size.1 as usize {
        for x in 0..size.0 as usize {
            let a = &tight[(y * size.0 as usize + x) * 4..][..4];
            let b = &wide[((y + 20) * wide_size.0 as usize + x + 20) * 4..][..4];
            assert_eq!(a, b, "pixel ({x}, {y})");
            edge_pixels += usize::from((x < 5 || y < 5) && a[3] > 0);
        }
    }
    assert!(
        edge_pixels > 100,
        "discs reach the tight box's edge: {edge_pixels}"
    );
}

/// Coloured hard, a point with no assignment yet (a uniform q: k-means' start) is grey, not the first
/// component's colour; a point with an assignment gets its component's colour, and soft colouring blends.
#[test]
fn a_point_without_an_assignment_is_grey_when_coloured_hard() {
    use emlab::figures::scatter::point_color;
    use emlab::figures::style::{component_color, BAR};
    assert_eq!(point_color(&[1.0 / 3.0; 3], true), BAR);
    assert_eq!(point_color(&[0.5, 0.5], true), BAR);
    assert_eq!(point_color(&[0.0, 1.0, 0.0], true), component_color(1));
    assert_eq!(point_color(&[0.6, 0.4], true), component_color(0));
    assert_ne!(point_color(&[0.5, 0.5], false), BAR);
}

#[test]
fn the_chinese_coin_table_writes_tosses_as_its_credits_do() {
    // The tosses were "H T T T H …" beside credits in 正 / 反 ("2.2 正，2.2 反").
    let (mut em, data) = coin_em("five-sets", 0);
    em.e_step().unwrap();
    let style = Style {
        lang: emlab::text::Lang::Zh,
        ..Style::default()
    };
    let svg = sets_svg(&em, &data.sequences, &style);
    assert!(
        has_text(&svg, "正 反 反 反 正 正 反 正 反 正"),
        "the first set"
    );
    assert!(has_text(&svg, "2.2 正，2.2 反"));
    assert!(!svg.contains("H T T"));
    let en = sets_svg(&em, &data.sequences, &Style::default());
    assert!(has_text(&en, "H T T T H H T H T H"));
    // The Jensen figure's title names the set the same way ("4 H / 10" in Chinese before).
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        emlab::figures::jensen::draw_jensen(&root, &em, 3, &style).unwrap();
        root.present().unwrap();
    }
    assert!(svg.contains("(4 正 / 10)"), "the title");
    // Ten Chinese tosses need ten ems: in 9.5 they are cut with "…" (a Chinese character was taken as 0.8 em
    // wide, and in presentation at 1024×768 the last toss ran under the q bar).
    let size = 14.0;
    let seq = data.sequences[0].as_deref();
    let label = emlab::figures::coins::toss_label(seq, data.counts[0], 9.5 * size, size, &style);
    assert!(
        label.ends_with('…') && label.chars().count() <= 10,
        "{label}"
    );
    let label = emlab::figures::coins::toss_label(seq, data.counts[0], 10.5 * size, size, &style);
    assert_eq!(label, "正反反反正正反正反正");
    assert_eq!(
        emlab::core::em::Mixture::describe(em.model(), 3, emlab::text::Lang::En),
        "4 H / 10"
    );
}

#[test]
fn a_y_description_made_smaller_to_fit_leaves_the_x_description_its_size() {
    // The k-means trace on ever shorter figures: "J: sum of squared distances" is set smaller where it is
    // longer than the plot is tall, down to 85 % of its size, and below that it reads "objective J" (a
    // lone "J" beside a projector's tick labels looked like a stray glyph). The x
    // description "iteration (assignments at ½)" keeps its size throughout (plotters gives both descriptions
    // one font, and it shrank with the y one: smaller than its tick labels at 1024×768).
    let p = preset_2d("old-faithful").unwrap();
    let model = KMeans::new(p.data);
    let centres = vec![[-1.0, -1.0], [1.0, 1.0]];
    let mut em = Em::new(model, KMeansParams { centres }, Options::default()).unwrap();
    em.step().unwrap();
    let style = Style::default();
    let (long, short, x_text) = (
        "J: sum of squared distances",
        "objective J",
        "iteration (assignments at ½)",
    );
    let (mut full, mut smaller, mut shortened) = (0, 0, 0);
    let mut x_size = None;
    for h in (200..=600).step_by(8) {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (488, h)).into_drawing_area();
            emlab::figures::trace::draw_trace(&root, &em, &style).unwrap();
            root.present().unwrap();
        }
        let lines: Vec<&str> = svg.lines().collect();
        let tag_of = |text: &str| {
            let i = lines.iter().position(|l| *l == text)?;
            Some(lines[i - 1])
        };
        let x = attr_f(tag_of(x_text).expect("the x description"), "font-size");
        assert_eq!(
            *x_size.get_or_insert(x),
            x,
            "h = {h}: the x description keeps its size"
        );
        assert!(
            x > attr_f(tag_of("0").unwrap(), "font-size"),
            "h = {h}: larger than the ticks"
        );
        let (tag, is_long) = match (tag_of(long), tag_of(short)) {
            (Some(tag), None) => (tag, true),
            (None, Some(tag)) => (tag, false),
            other => panic!("h = {h}: one y description, got {other:?}"),
        };
        assert!(
            tag.contains("rotate(270"),
            "h = {h}: turned along the axis: {tag}"
        );
        let y = attr_f(tag, "font-size");
        if !is_long {
            shortened += 1;
            assert!(
                y >= 0.6 * x - 1e-9,
                "h = {h}: \"objective J\" at {y} of {x}"
            );
        } else if y < x {
            smaller += 1;
            assert!(
                y >= 0.85 * x - 1e-9,
                "h = {h}: the long description at {y} of {x}"
            );
        } else {
            full += 1;
            assert_eq!(y, x);
        }
    }
    assert!(
        full > 0 && smaller > 0 && shortened > 0,
        "{full} / {smaller} / {shortened}"
    );
}

#[test]
fn the_converged_mark_keeps_clear_of_a_fast_runs_curves() {
    // Three coins from the lesson's first start converge in two iterations: the word "converged", halfway up
    // left of the mark, had the steep first segment of ℓ through it (1024×768, presentation).
    let (mut em, _) = coin_em("three-coins", 0);
    while !em.converged() {
        em.step().unwrap();
    }
    let (w, h) = (325u32, 325u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let style = Style {
            width: f64::from(w),
            ..Style::default()
        };
        emlab::figures::trace::draw_trace(&root, &em, &style).unwrap();
        root.present().unwrap();
    }
    let label = svg
        .split("<text ")
        .find(|t| t.contains(">\nconverged\n") || t.contains(">converged<"))
        .expect("the converged mark");
    let tag = format!("<text {label}");
    let (x, y, size) = (
        attr_f(&tag, "x"),
        attr_f(&tag, "y"),
        attr_f(&tag, "font-size"),
    );
    // About 0.55 em a letter, right of the mark ("start") where there is room.
    let w = 0.55 * size * 9.0;
    let (left, right) = if tag.contains("text-anchor=\"start\"") {
        (x, x + w)
    } else {
        (x - w, x)
    };
    let (top, bottom) = (y - 0.6 * size, y + 0.6 * size);
    for l in svg.lines().filter(|l| l.starts_with("<polyline")) {
        let points = svg_points(l);
        for pair in points.windows(2) {
            for s in 0..=50 {
                let t = f64::from(s) / 50.0;
                let px = pair[0].0 + t * (pair[1].0 - pair[0].0);
                let py = pair[0].1 + t * (pair[1].1 - pair[0].1);
                // (The dashed mark itself is vertical at the label's right, outside the box.)
                let inside = px > left + 1.0 && px < right - 1.0 && py > top && py < bottom;
                assert!(!inside, "a curve at ({px:.0}, {py:.0}) through the mark's box {left:.0}..{right:.0} × {top:.0}..{bottom:.0}");
            }
        }
    }
}

fn attr_f(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} in {tag}"))
}

/// The coin table frames the set the Jensen figure shows (it had no marker), and a click on a row chooses
/// that set: the table returns its rows' transform, read by `Model::nearest_row`.
#[test]
fn the_coin_table_frames_the_chosen_set_and_a_click_on_a_row_chooses_it() {
    use emlab::core::lab::Lab;
    let (mut em, data) = coin_em("five-sets", 0);
    em.e_step().unwrap();
    let unfilled = |svg: &str| {
        svg.lines()
            .filter(|l| l.starts_with("<rect") && !l.contains("fill=\"#"))
            // The frame spans the table (the q bars have frames of their own).
            .filter(|l| svg_attr(l, "width") > 0.9 * f64::from(SIZE.0))
            .map(|l| (svg_attr(l, "y"), svg_attr(l, "height")))
            .collect::<Vec<_>>()
    };
    let draw = |selected: Option<usize>| {
        let mut svg = String::new();
        let t = {
            let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
            let t =
                draw_coin_sets(&root, &em, &data.sequences, selected, &Style::default()).unwrap();
            root.present().unwrap();
            t
        };
        (svg, t)
    };
    let (plain, t) = draw(None);
    assert!(unfilled(&plain).is_empty(), "no frame without a chosen set");
    let lab = Lab::preset("five-sets", 2, 1).unwrap();
    let mut framed_rows = Vec::new();
    for i in 0..5 {
        let (svg, _) = draw(Some(i));
        let frames = unfilled(&svg);
        assert_eq!(frames.len(), 1, "set {i}");
        let (y, h) = frames[0];
        framed_rows.push(y);
        // The frame's middle is in row i: a click there chooses set i.
        let (_, row) = t.to_data(450.0, y + h / 2.0);
        assert_eq!(lab.em.nearest_row(row), Some(i), "set {i}: row {row}");
    }
    assert!(
        framed_rows.windows(2).all(|w| w[1] > w[0]),
        "{framed_rows:?}"
    );
    // Above the rows (the header) and below them (the totals) nothing is chosen.
    let (_, above) = t.to_data(450.0, framed_rows[0] - 20.0);
    assert_eq!(lab.em.nearest_row(above), None);
    let (_, below) = t.to_data(450.0, framed_rows[4] + 200.0);
    assert_eq!(lab.em.nearest_row(below), None);
}
