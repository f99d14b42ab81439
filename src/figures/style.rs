//! What every figure shares: sizes scaled for the screen, the component colours, and the pixel transform.

use super::FigureError;
use crate::core::decimal::parse_f64;
use crate::text::{self, Lang};
use plotters::chart::MeshStyle;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontDesc;

/// Component colours: the first six of the Okabe–Ito palette and four more, chosen (with the gap colour
/// [`GAP`]) so that every two differ by CIEDE2000 ΔE ≥ 10 in normal vision and in simulated deuteranopia,
/// protanopia and tritanopia (tests/palette.rs).
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 204),
    RGBColor(93, 64, 55),
    RGBColor(102, 102, 102),
    RGBColor(0, 63, 92),
];

/// The colour of the mixture curve and other "whole model" marks.
pub const INK: RGBColor = RGBColor(25, 25, 25);
/// Light fill for histogram bars and backgrounds.
pub const BAR: RGBColor = RGBColor(205, 210, 218);
/// The colour of the lower bound L(q, θ).
pub const BOUND: RGBColor = RGBColor(136, 34, 85);
/// The colour of the KL gap: a dark red that no component colour can be mistaken for, with or without
/// colour-blindness (tests/palette.rs).
pub const GAP: RGBColor = RGBColor(172, 0, 0);

/// The colour of component `k`.
pub fn component_color(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

/// The palette as `#RRGGBB` strings, for the page (its parameter table's swatches).
pub fn palette_hex() -> Vec<String> {
    PALETTE.iter().map(hex).collect()
}

/// A colour as `#RRGGBB`.
pub fn hex(c: &RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The dash patterns of the components' curves in CSS px (dash, gap); the first is solid, so a greyscale
/// printout tells the components apart by line as well as by colour. Every period is at most 26 px, so a
/// legend swatch of [`LEGEND_SWATCH`] px shows a gap.
const DASHES: [Option<(f64, f64)>; 10] = [
    None,
    Some((12.0, 6.0)),
    Some((2.0, 4.0)),
    Some((6.0, 6.0)),
    Some((18.0, 4.0)),
    Some((2.0, 9.0)),
    Some((10.0, 3.0)),
    Some((5.0, 12.0)),
    Some((16.0, 10.0)),
    Some((4.0, 3.0)),
];

/// The length of a legend's line swatch in CSS px: long enough to show every dash pattern.
pub const LEGEND_SWATCH: f64 = 40.0;

/// The line of component `k`: `None` for a solid line (k = 0), else its (dash, gap) lengths in CSS px.
pub fn component_dash(k: usize) -> Option<(f64, f64)> {
    DASHES[k % DASHES.len()]
}

/// A marker shape: the components' points and means differ by shape as well as by colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled square.
    Square,
    /// A filled triangle, point up.
    Triangle,
    /// A filled diamond (a square on its corner).
    Diamond,
    /// A diagonal cross ×.
    Cross,
    /// An upright cross +.
    Plus,
    /// A filled triangle, point down.
    TriangleDown,
    /// A filled five-pointed star.
    Star,
    /// A filled hexagon.
    Hexagon,
    /// A filled pentagon.
    Pentagon,
}

/// The markers in component order.
const MARKERS: [Marker; 10] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::Cross,
    Marker::Plus,
    Marker::TriangleDown,
    Marker::Star,
    Marker::Hexagon,
    Marker::Pentagon,
];

/// The marker shape of component `k`.
pub fn component_marker(k: usize) -> Marker {
    MARKERS[k % MARKERS.len()]
}

impl Marker {
    /// The shape's outline as pixel offsets from its centre, for a shape `r` pixels in radius: draw it
    /// filled with `EmptyElement::at(point) + Polygon::new(outline, style)` (the crosses are outlined as
    /// thick strokes, so they fill too).
    pub fn outline(self, r: i32) -> Vec<(i32, i32)> {
        let r = f64::from(r.max(1));
        let at = |x: f64, y: f64| (x.round() as i32, y.round() as i32);
        // `n` corners on a circle of radius `r`, the first at angle `start` (radians, 0 = right, y down).
        let regular = |n: usize, start: f64, radius: f64| -> Vec<(i32, i32)> {
            (0..n)
                .map(|i| {
                    let a = start + std::f64::consts::TAU * i as f64 / n as f64;
                    at(radius * a.cos(), radius * a.sin())
                })
                .collect()
        };
        let up = -std::f64::consts::FRAC_PI_2;
        // A plus of arm half-width `w`, turned by `turn` radians.
        let plus = |turn: f64| -> Vec<(i32, i32)> {
            let w = 0.3 * r;
            let corners = [
                (w, -r),
                (w, -w),
                (r, -w),
                (r, w),
                (w, w),
                (w, r),
                (-w, r),
                (-w, w),
                (-r, w),
                (-r, -w),
                (-w, -w),
                (-w, -r),
            ];
            let (s, c) = turn.sin_cos();
            corners
                .iter()
                .map(|&(x, y)| at(x * c - y * s, x * s + y * c))
                .collect()
        };
        match self {
            Marker::Circle => regular(20, 0.0, r),
            Marker::Square => regular(4, std::f64::consts::FRAC_PI_4, r * 1.2),
            Marker::Triangle => regular(3, up, r * 1.25),
            Marker::Diamond => regular(4, up, r * 1.3),
            Marker::Cross => plus(std::f64::consts::FRAC_PI_4),
            Marker::Plus => plus(0.0),
            Marker::TriangleDown => regular(3, -up, r * 1.25),
            Marker::Star => (0..10)
                .map(|i| {
                    let a = up + std::f64::consts::PI * i as f64 / 5.0;
                    let radius = if i % 2 == 0 { 1.35 * r } else { 0.55 * r };
                    at(radius * a.cos(), radius * a.sin())
                })
                .collect(),
            Marker::Hexagon => regular(6, 0.0, r * 1.1),
            Marker::Pentagon => regular(5, up, r * 1.15),
        }
    }
}

/// The components' colours mixed in proportion to `weights` (a point's responsibilities).
pub fn blend(weights: &[f64]) -> RGBColor {
    let (mut r, mut g, mut b) = (0.0, 0.0, 0.0);
    for (k, &w) in weights.iter().enumerate() {
        let c = component_color(k);
        r += w * f64::from(c.0);
        g += w * f64::from(c.1);
        b += w * f64::from(c.2);
    }
    // v + 0.5 truncated: `f64::round` is a libm call in wasm, and this runs for every point of a scatter.
    let byte = |v: f64| (v.clamp(0.0, 255.0) + 0.5) as u8;
    RGBColor(byte(r), byte(g), byte(b))
}

/// How a figure is drawn: the device-pixel scale (devicePixelRatio) and the page's language.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// Device pixels per CSS pixel; every size is multiplied by it.
    pub scale: f64,
    /// The language of titles, axes and legends.
    pub lang: Lang,
    /// The width of the figure in CSS pixels: a narrow figure gets a smaller title, so it fits.
    pub width: f64,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            scale: 1.0,
            lang: Lang::En,
            width: 900.0,
        }
    }
}

impl Style {
    /// A length of `css` CSS pixels in device pixels.
    pub fn px(&self, css: f64) -> i32 {
        (css * self.scale).round() as i32
    }

    /// A length of `css` CSS pixels in device pixels, unsigned.
    pub fn upx(&self, css: f64) -> u32 {
        self.px(css).max(1) as u32
    }

    /// The page's sans-serif font at `css` pixels (plotters draws text at about 0.8 of the size given).
    pub fn font(&self, css: f64) -> FontDesc<'static> {
        (FontFamily::SansSerif, css * self.scale).into_font()
    }

    /// The message `id` in the figure's language.
    pub fn text<'a>(&self, id: &'a str) -> &'a str {
        text::get(self.lang, id)
    }

    /// How much a figure's text shrinks because the figure is narrow: 1 at 730 CSS px or wider (a half of
    /// a 1920-wide projector), down to 0.7 on a laptop, so text never covers the picture.
    pub fn fit(&self) -> f64 {
        (self.width / 730.0).clamp(0.7, 1.0)
    }

    /// The title font: 28 CSS px on a wide figure.
    pub fn title_font(&self) -> FontDesc<'static> {
        self.font(28.0 * self.fit())
    }

    /// The axis-description font: 22 CSS px on a wide figure.
    pub fn label_font(&self) -> FontDesc<'static> {
        self.font(22.0 * self.fit())
    }

    /// The tick-label and legend font: 20 CSS px on a wide figure.
    pub fn tick_font(&self) -> FontDesc<'static> {
        self.font(20.0 * self.fit())
    }

    /// The room under a chart for its x tick labels and its description, in CSS px, from their fonts: the
    /// ticks and the labels' offset (10 px), a line of tick labels (20 px on a wide figure), a line of the
    /// description (22 px), 4 px more. The description stands on the area's bottom, so it sits 5–10 px
    /// under the labels at every size and in both languages (a fixed 56 px left 13–21 px of nothing on a
    /// laptop; Chinese type stands taller than Latin).
    pub fn x_label_area(&self) -> f64 {
        14.0 + (20.0 + 22.0) * self.fit()
    }
}

/// The linear map between a chart's data coordinates and backend pixels, returned for hit-testing clicks.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct PlotTransform {
    /// Data x at the left and right edges of the plotting area.
    pub x: (f64, f64),
    /// Data y at the bottom and top edges.
    pub y: (f64, f64),
    /// Pixel x of the left and right edges.
    pub px: (i32, i32),
    /// Pixel y of the bottom and top edges.
    pub py: (i32, i32),
}

impl PlotTransform {
    /// Builds the transform of a chart from its data ranges and its plotting area's pixel ranges
    /// (plotters maps the end of a range to the last pixel inside the area, hence the `- 1`).
    pub fn new(
        x: (f64, f64),
        y: (f64, f64),
        pixels: (std::ops::Range<i32>, std::ops::Range<i32>),
    ) -> Self {
        let (xs, ys) = pixels;
        PlotTransform {
            x,
            y,
            px: (xs.start, xs.end - 1),
            py: (ys.end - 1, ys.start),
        }
    }

    /// The data coordinates of pixel (px, py).
    pub fn to_data(&self, px: f64, py: f64) -> (f64, f64) {
        let fx = (px - f64::from(self.px.0)) / f64::from(self.px.1 - self.px.0).max(1.0);
        let fy = (py - f64::from(self.py.0)) / f64::from(self.py.1 - self.py.0).min(-1.0);
        (
            self.x.0 + fx * (self.x.1 - self.x.0),
            self.y.0 + fy * (self.y.1 - self.y.0),
        )
    }

    /// The index of the point of `data` (flat x, y pairs) nearest to `at` on the screen: distances are
    /// measured in pixels, so an axis with large numbers does not dominate.
    pub fn nearest_point(&self, data: &[f64], at: (f64, f64)) -> usize {
        let sx = f64::from(self.px.1 - self.px.0) / (self.x.1 - self.x.0);
        let sy = f64::from(self.py.0 - self.py.1) / (self.y.1 - self.y.0);
        crate::core::nearest::nearest_2d(data, [at.0, at.1], [sx, sy])
    }

    /// The data coordinates of pixel (px, py), rounded to the precision a pixel can resolve (one
    /// significant digit of the data per pixel), so a clicked point reads 3.03 rather than 3.026095846645368.
    pub fn to_data_rounded(&self, px: f64, py: f64) -> (f64, f64) {
        let (x, y) = self.to_data(px, py);
        let per_x = (self.x.1 - self.x.0).abs() / f64::from((self.px.1 - self.px.0).abs().max(1));
        let per_y = (self.y.1 - self.y.0).abs() / f64::from((self.py.0 - self.py.1).abs().max(1));
        (round_to(x, per_x), round_to(y, per_y))
    }

    /// True when pixel (px, py) lies inside the plotting area, widened by `margin` pixels.
    pub fn contains(&self, px: f64, py: f64, margin: f64) -> bool {
        let (l, r) = (f64::from(self.px.0) - margin, f64::from(self.px.1) + margin);
        let (t, b) = (f64::from(self.py.1) - margin, f64::from(self.py.0) + margin);
        (l..=r).contains(&px) && (t..=b).contains(&py)
    }
}

/// `v` rounded to the power of ten at or below `resolution` (unchanged when that is not a usable step).
pub fn round_to(v: f64, resolution: f64) -> f64 {
    if !(resolution.is_finite() && resolution > 0.0) {
        return v;
    }
    let step = 10f64.powf(resolution.log10().floor());
    let rounded = (v / step).round() * step;
    // Print-and-parse trims the float noise of the division (2.9999999999999996 → 3).
    let decimals = (-step.log10()).ceil().clamp(0.0, 17.0) as usize;
    parse_f64(&format!("{rounded:.decimals$}")).unwrap_or(v)
}

/// The chart every figure draws in: f64 × f64 data coordinates.
pub type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The largest magnitude an axis end may have: beyond it the span of a range could overflow, and
/// plotters' tick search would never end.
pub const AXIS_LIMIT: f64 = 1e300;

/// The largest magnitude an end of a kept frame (`setFrame`) may have: a tenth of [`AXIS_LIMIT`], room for
/// the figures' padding (a frame to 1e308 was cut and drew every tick as 0).
pub const FRAME_LIMIT: f64 = AXIS_LIMIT / 10.0;

/// A range every figure can draw: finite ends within ±[`AXIS_LIMIT`], `lo < hi`, and a span that is not
/// lost to rounding (at least 1e-9 of the ends' magnitude; a constant is widened around its value).
/// The flag is true when an end had to be cut (NaN, ±∞ or beyond the limit): the figure then says so.
pub fn drawable_range(range: std::ops::Range<f64>) -> (std::ops::Range<f64>, bool) {
    let (a, b) = (range.start, range.end);
    if a.is_nan() || b.is_nan() {
        return (-1.0..1.0, true);
    }
    let (lo, hi) = (a.min(b), a.max(b));
    let (clo, chi) = (
        lo.clamp(-AXIS_LIMIT, AXIS_LIMIT),
        hi.clamp(-AXIS_LIMIT, AXIS_LIMIT),
    );
    let cut = clo != lo || chi != hi;
    let size = clo.abs().max(chi.abs());
    let min_span = 1e-9 * size;
    if chi - clo >= min_span && chi > clo {
        return (clo..chi, cut);
    }
    let centre = 0.5 * clo + 0.5 * chi;
    let half = if size > 1e-290 {
        0.5 * min_span.max(1e-6 * size)
    } else {
        1.0
    };
    (
        (centre - half).max(-AXIS_LIMIT)..(centre + half).min(AXIS_LIMIT),
        cut,
    )
}

/// `font` made smaller, down to `least` × its size, so that a text `wide` px wide in it fits `room` px (the
/// same font where it fits already): the one rule every fitted text of the figures follows.
pub fn shrunk_to_fit(
    font: FontDesc<'static>,
    wide: f64,
    room: f64,
    least: f64,
) -> FontDesc<'static> {
    let size = font.get_size();
    if wide <= room || wide <= 0.0 || size <= 0.0 {
        return font;
    }
    font.resize(size * (room / wide).max(least))
}

/// The title font, made smaller (down to 60 %) when the title would not fit the figure's width, so no
/// title is ever clipped (a 2-D point's Jensen title on a 1366-px screen).
pub fn fitting_title_font<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    style: &Style,
) -> FontDesc<'static> {
    let font = style.title_font();
    let room = f64::from(root.dim_in_pixel().0) - f64::from(style.px(16.0));
    let width = root
        .estimate_text_size(title, &TextStyle::from(font.clone()))
        .map_or(0.0, |(w, _)| f64::from(w));
    shrunk_to_fit(font, width, room, 0.6)
}

/// True when `title` fits across `root` in at least `share` of the title font's size (as
/// [`fitting_title_font`] shrinks it).
pub fn title_fits<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    share: f64,
    style: &Style,
) -> bool {
    fitting_title_font(root, title, style).get_size() >= share * style.title_font().get_size()
}

/// The CSS px left of a plot whose y axis runs over `y`: room for the longest tick label beside the axis
/// description, so they never print over each other ("ln r" touched "−1.880" on a projector).
pub fn y_label_room(y: std::ops::Range<f64>, style: &Style) -> f64 {
    let widest = [y.start, y.end]
        .iter()
        .map(|v| {
            super::format::tick_number(*v, y.end - y.start)
                .chars()
                .count()
        })
        .max()
        .unwrap_or(6);
    46.0 + 11.5 * style.fit() * widest as f64
}

/// Draws `text` as the y description of `plot` (built on `area` by [`chart_untitled`] or [`panel`]) in `font`,
/// where plotters draws one (turned along the axis, centred on the plot, at the outer edge of its label
/// area, right of the chart's [`CHART_MARGIN`]). Plotters gives the x and y
/// descriptions one font, so a description made smaller to fit its room made the other smaller too (the
/// k-means trace's "iteration" at 1024×768, under a long "J: sum of squared distances").
pub fn draw_y_desc<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot: &Plot<'_, DB>,
    text: &str,
    font: FontDesc<'static>,
    style: &Style,
) -> Result<(), FigureError<DB>> {
    let ys = plot.plotting_area().get_pixel_range().1;
    let at = (
        style.px(CHART_MARGIN),
        ys.start + (ys.end - ys.start) / 2 - area.get_base_pixel().1,
    );
    // Centred on the plot, no longer than the plot is tall (down to 60 %): on the slice of a coin lesson
    // at 1280×720 "数值 − ℓ(θ_new)" ran up into the legend.
    let wide = area
        .estimate_text_size(text, &TextStyle::from(font.clone()))
        .map_or(0.0, |(w, _)| f64::from(w));
    let font = shrunk_to_fit(font, wide, f64::from(ys.end - ys.start), 0.6);
    let turned = TextStyle::from(font)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Top));
    area.draw(&Text::new(text.to_string(), at, turned))
}

/// The axis description font for an x description `text` centred under `plot`, made smaller (down to 60 %)
/// where it would reach past `root`'s edges: on a 360 px figure (a tablet held upright) the slice's
/// "t, where θ(t) = θ_old + t (θ_new − θ_old)" and the Jensen window's range were cut off at the right.
pub fn fitting_desc_font<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &Plot<'_, DB>,
    text: &str,
    style: &Style,
) -> FontDesc<'static> {
    desc_font_if_fits(root, plot, text, style).unwrap_or_else(|| {
        style
            .label_font()
            .resize(style.label_font().get_size() * DESC_LEAST)
    })
}

/// The font of [`fitting_desc_font`] where `text` fits the figure's width in it, else `None` (it would be
/// clipped even at 60 %): the Jensen figure then says its axis more shortly.
pub fn desc_font_if_fits<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &Plot<'_, DB>,
    text: &str,
    style: &Style,
) -> Option<FontDesc<'static>> {
    let font = style.label_font();
    let (left, width) = (root.get_base_pixel().0, root.dim_in_pixel().0 as i32);
    let xs = plot.plotting_area().get_pixel_range().0;
    let centre = (xs.start + xs.end) / 2;
    let room = f64::from(2 * (centre - left).min(left + width - centre) - style.px(8.0));
    // Measured with every digit a 0 (digits are equally wide): the Jensen window's range changes at every
    // click, and a page measures a text it has not seen, with θ in it, by laying itself out.
    let same_width: String = text
        .chars()
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect();
    let wide = root
        .estimate_text_size(&same_width, &TextStyle::from(font.clone()))
        .map_or(0.0, |(w, _)| f64::from(w));
    (wide * DESC_LEAST <= room).then(|| shrunk_to_fit(font, wide, room, DESC_LEAST))
}

/// The least an axis description shrinks to (of the label font) before it would be clipped.
const DESC_LEAST: f64 = 0.6;

/// The axis description font for a y description `text` (turned along the axis, centred on `plot`), made
/// smaller (down to 60 %) where it is longer than the plot is tall: "proportion of observations" on a
/// 1024×768 figure reached up into the legend.
pub fn fitting_y_desc_font<DB: DrawingBackend>(
    plot: &Plot<'_, DB>,
    text: &str,
    style: &Style,
) -> FontDesc<'static> {
    let font = style.label_font();
    let ys = plot.plotting_area().get_pixel_range().1;
    let room = f64::from(ys.end - ys.start);
    let long = plot
        .plotting_area()
        .estimate_text_size(text, &TextStyle::from(font.clone()))
        .map_or(0.0, |(w, _)| f64::from(w));
    shrunk_to_fit(font, long, room, 0.6)
}

/// The y description `long`, in [`fitting_y_desc_font`], where it fits the plot's height at 85 % of its size
/// or more; else `short`, the same way: "proportion of observations" at 53 % beside a projector's tick labels
/// read as a footnote, "proportion" at full size does not.
pub fn fitting_y_desc<'t, DB: DrawingBackend>(
    plot: &Plot<'_, DB>,
    long: &'t str,
    short: &'t str,
    style: &Style,
) -> (&'t str, FontDesc<'static>) {
    let font = fitting_y_desc_font(plot, long, style);
    if font.get_size() >= 0.85 * style.label_font().get_size() {
        (long, font)
    } else {
        (short, fitting_y_desc_font(plot, short, style))
    }
}

/// A note `text` in `font` on one line (made smaller down to `one_line` × its size, 1 for not at all), or
/// on two (split by [`super::slice::middle_break`]) where one would still be wider than `room` px, in type
/// made smaller (down to 60 %) where a line is still wider: on a 360 px figure (a tablet held upright) the
/// notes ran past the plot, "q = posterior: … the gap is 0" off the figure's right edge. Returns the lines,
/// the font and the widest line's width in it.
pub fn fitted_lines<'t, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &'t str,
    font: FontDesc<'static>,
    room: i32,
    one_line: f64,
) -> (Vec<&'t str>, FontDesc<'static>, i32) {
    let wide = |t: &str, f: &FontDesc<'static>| {
        area.estimate_text_size(t, &TextStyle::from(f.clone()))
            .map_or(0, |(w, _)| w as i32)
    };
    let one = wide(text, &font);
    let lines = match super::slice::middle_break(text) {
        Some((first, second)) if f64::from(one) * one_line > f64::from(room) => vec![first, second],
        _ => vec![text],
    };
    let widest = lines.iter().map(|l| wide(l, &font)).max().unwrap_or(0);
    let size = font.get_size();
    let fitted = shrunk_to_fit(font, f64::from(widest), f64::from(room), 0.6);
    let scale = if size > 0.0 {
        fitted.get_size() / size
    } else {
        1.0
    };
    (lines, fitted, (f64::from(widest) * scale) as i32)
}

/// The smallest figure drawn, in CSS px: below it a figure's title, legend and axes leave its plot no room
/// (or less than none: plotters' areas then run to −2³¹ px, and a dashed line of that length never ends —
/// a 60 px tall canvas froze the page), so it is left blank.
pub const MIN_FIGURE: (f64, f64) = (160.0, 140.0);

/// The margin around a chart's plot and axes, CSS px: the y description stands just inside it.
pub const CHART_MARGIN: f64 = 12.0;

/// True when `root` is smaller than [`MIN_FIGURE`] at `style`'s scale.
pub fn too_small<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, style: &Style) -> bool {
    let (w, h) = root.dim_in_pixel();
    let scale = style.scale.max(f64::MIN_POSITIVE);
    f64::from(w) / scale < MIN_FIGURE.0 || f64::from(h) / scale < MIN_FIGURE.1
}

/// A figure's chart: its title, margin and room for the axes (`y_labels` CSS px for the y tick labels and
/// description), over the data ranges `x` × `y`, made drawable by [`drawable_range`]. When a range had to
/// be cut, the figure says so in its top-right corner.
pub fn chart<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    y_labels: f64,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    style: &Style,
) -> Result<Plot<'a, DB>, super::FigureError<DB>> {
    let ((x, cut_x), (y, cut_y)) = (drawable_range(x), drawable_range(y));
    if cut_x || cut_y {
        note_axis_cut(root, style)?;
    }
    ChartBuilder::on(root)
        .caption(title, fitting_title_font(root, title, style))
        .margin(style.px(CHART_MARGIN))
        .x_label_area_size(style.px(style.x_label_area()))
        .y_label_area_size(style.px(y_labels))
        .build_cartesian_2d(x, y)
}

/// [`chart`] without its title, on the area a figure has left under its title and legend band
/// (see `legend::legend_band`).
pub fn chart_untitled<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    y_labels: f64,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    style: &Style,
) -> Result<Plot<'a, DB>, super::FigureError<DB>> {
    let ((x, cut_x), (y, cut_y)) = (drawable_range(x), drawable_range(y));
    if cut_x || cut_y {
        note_axis_cut(area, style)?;
    }
    ChartBuilder::on(area)
        .margin(style.px(CHART_MARGIN))
        .margin_right(right_margin(area, &x, style))
        .margin_top(style.px(4.0))
        .x_label_area_size(style.px(style.x_label_area()))
        .y_label_area_size(style.px(y_labels))
        .build_cartesian_2d(x, y)
}

/// The margin right of a chart whose x axis runs over `x`: [`CHART_MARGIN`], or more where a tick label at the
/// axis's right end (centred on its tick) would reach past the figure's edge ("0.1540" on the zoomed
/// Jensen axis was cut in half).
fn right_margin<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x: &std::ops::Range<f64>,
    style: &Style,
) -> i32 {
    let last = super::format::tick_number(x.end, x.end - x.start);
    let half = area
        .estimate_text_size(&last, &TextStyle::from(style.tick_font()))
        .map_or(0, |(w, _)| (w / 2) as i32);
    style.px(CHART_MARGIN).max(half + style.px(2.0))
}

/// The title at the top of `root`, in [`fitting_title_font`]; returns the area under it.
pub fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    style: &Style,
) -> Result<DrawingArea<DB, Shift>, super::FigureError<DB>> {
    root.titled(title, fitting_title_font(root, title, style))
}

/// Says in the figure's top-right corner that a range had to be cut to be drawn.
fn note_axis_cut<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &Style,
) -> Result<(), super::FigureError<DB>> {
    let (w, _) = root.dim_in_pixel();
    root.draw(&Text::new(
        style.text("note-axis-cut").to_string(),
        (w as i32 - style.px(8.0), style.px(4.0)),
        style
            .tick_font()
            .color(&GAP)
            .pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Right,
                plotters::style::text_anchor::VPos::Top,
            )),
    ))
}

/// [`chart_untitled`] with equal scales: one unit of x is as many pixels as one unit of y (a spherical
/// covariance is a circle, an ellipse's axes are true). `x` and `y` are the data's ranges; each end gets
/// `pad.0` of its range's span or `pad.1` CSS px of room, whichever is more (a mean's marker at the data's
/// edge was cut in half by the axis on a small plot), and the smaller range is widened about its centre.
pub fn chart_equal_aspect<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    y_labels: f64,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    pad: (f64, f64),
    style: &Style,
) -> Result<Plot<'a, DB>, super::FigureError<DB>> {
    let ((x, _), (y, _)) = (drawable_range(x), drawable_range(y));
    let (per_px, plot_w, plot_h) =
        equal_aspect_scale(area.dim_in_pixel(), y_labels, (&x, &y), pad, style);
    let widen = |r: std::ops::Range<f64>, px: f64| {
        let (centre, half) = (0.5 * (r.start + r.end), 0.5 * per_px * px);
        centre - half..centre + half
    };
    chart_untitled(area, y_labels, widen(x, plot_w), widen(y, plot_h), style)
}

/// The data units per device pixel of [`chart_equal_aspect`] in an area of `size` device pixels, with the
/// plot's width and height: the smaller, the larger the data is drawn.
pub fn equal_aspect_scale(
    (w, h): (u32, u32),
    y_labels: f64,
    (x, y): (&std::ops::Range<f64>, &std::ops::Range<f64>),
    pad: (f64, f64),
    style: &Style,
) -> (f64, f64, f64) {
    // The plotting area as `chart_untitled` lays it out: its margins ([`CHART_MARGIN`], 4 px on top) and the label
    // areas left and below.
    let margin = style.px(CHART_MARGIN);
    let plot_w = f64::from((w as i32 - 2 * margin - style.px(y_labels)).max(1));
    let plot_h =
        f64::from((h as i32 - margin - style.px(4.0) - style.px(style.x_label_area())).max(1));
    let keep = f64::from(style.px(pad.1));
    // Units per pixel: the span with its fractional padding over the plot, or the bare span over the plot
    // less the kept pixels, whichever needs more.
    let per_axis = |span: f64, plot: f64| {
        let padded = span * (1.0 + 2.0 * pad.0) / plot;
        if plot > 2.0 * keep {
            padded.max(span / (plot - 2.0 * keep))
        } else {
            padded
        }
    };
    let per_px = per_axis(x.end - x.start, plot_w).max(per_axis(y.end - y.start, plot_h));
    (per_px, plot_w, plot_h)
}

/// A panel of a figure with several (its title drawn by the caller): room for the y tick labels and
/// description (`y_labels` CSS px) and the x tick labels (`x_labels` CSS px), over `x` × `y` made
/// drawable by [`drawable_range`].
pub fn panel<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    y_labels: f64,
    x_labels: f64,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    style: &Style,
) -> Result<Plot<'a, DB>, super::FigureError<DB>> {
    let ((x, _), (y, _)) = (drawable_range(x), drawable_range(y));
    ChartBuilder::on(area)
        .margin_left(style.px(CHART_MARGIN))
        .margin_right(right_margin(area, &x, style))
        .margin_top(style.px(6.0))
        .x_label_area_size(style.px(x_labels))
        .y_label_area_size(style.px(y_labels))
        .build_cartesian_2d(x, y)
}

/// The axes in the figures' common style (no minor grid lines, tick and description fonts for a
/// projector); the caller adds the tick counts, formats and descriptions, then draws.
pub fn axes<'a, 'b, DB: DrawingBackend>(
    plot: &'b mut Plot<'a, DB>,
    style: &Style,
) -> MeshStyle<'a, 'b, RangedCoordf64, RangedCoordf64, DB> {
    let mut mesh = plot.configure_mesh();
    mesh.light_line_style(TRANSPARENT)
        .label_style(style.tick_font())
        .axis_desc_style(style.label_font());
    mesh
}

/// How many x tick labels as wide as `widest` fit under `plot` with half a label's width between them, from
/// 4 (plotters' nice steps for fewer can leave one tick: 7.56e-4 … 8.28e-4 at 3) to `most` (a zoomed axis's
/// 0.239104, 0.239106, … ran together on a 768 px screen), and whether even 4 are too many (then the caller
/// writes them shorter, with [`super::format::cut_zeros`]).
pub fn fitting_labels<DB: DrawingBackend>(
    plot: &Plot<'_, DB>,
    widest: &str,
    most: usize,
    style: &Style,
) -> (usize, bool) {
    let width = plot.plotting_area().dim_in_pixel().0;
    let label = plot
        .plotting_area()
        .estimate_text_size(widest, &TextStyle::from(style.tick_font()))
        .map_or(1, |(w, _)| w.max(1));
    let fit = (2 * width / (3 * label)) as usize;
    (fit.clamp(4, most), fit < 4)
}

/// How many x tick labels of the range `lo..hi`, written by [`super::format::tick_number`], to ask plotters
/// for under `plot` so that they stand apart (measured with the widest of its ends and middle), at most
/// `most`: eight of "2.00e150" ran together under a histogram, and three of "−31.570215" under the 290-px
/// ℓ = L + KL bar.
pub fn fitting_range_labels<DB: DrawingBackend>(
    plot: &Plot<'_, DB>,
    (lo, hi): (f64, f64),
    most: usize,
    style: &Style,
) -> usize {
    let widest = [lo, hi, 0.5 * (lo + hi)]
        .map(|a| super::format::tick_number(a, hi - lo))
        .into_iter()
        .max_by_key(|t| t.chars().count())
        .unwrap_or_default();
    let width = f64::from(plot.plotting_area().dim_in_pixel().0);
    let label = plot
        .plotting_area()
        .estimate_text_size(&widest, &TextStyle::from(style.tick_font()))
        .map_or(1.0, |(w, _)| f64::from(w.max(1)));
    // plotters puts its ticks at a nice step for the count asked: the most whose step leaves a label's
    // width and a quarter between labels (one label where two do not fit; a count that gives one tick
    // asks for more).
    use plotters::coord::ranged1d::Ranged;
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return 2;
    }
    let axis = RangedCoordf64::from(lo..hi);
    let mut best = 2;
    for n in 2..=most.max(2) {
        let ticks = axis.key_points(n);
        if ticks.len() < 2 {
            best = n;
            continue;
        }
        if (ticks[1] - ticks[0]).abs() / span * width >= 1.25 * label {
            best = n;
        } else {
            break;
        }
    }
    best
}

/// How many y tick labels `plot` has room for, at most `most` and at least 3: one per 1.5 lines of tick text.
/// Six on a 170-px plot (presentation at 1920×1080 with three figures a row) touched each other.
pub fn fitting_y_labels<DB: DrawingBackend>(
    plot: &Plot<'_, DB>,
    most: usize,
    style: &Style,
) -> usize {
    let ys = plot.plotting_area().get_pixel_range().1;
    let line = 1.5 * style.tick_font().get_size();
    let fit = if line > 0.0 {
        (f64::from(ys.end - ys.start) / line) as usize
    } else {
        most
    };
    // At least two labelled ticks: plotters' nice step for three can leave one ("0.0" alone on the
    // three-coin slice at 1024×768, no scale), so a finer step is asked for until two show.
    use plotters::coord::ranged1d::Ranged;
    let y = plot.y_range();
    let ticks = |n: usize| RangedCoordf64::from(y.clone()).key_points(n).len();
    let mut n = fit.clamp(3, most.max(3));
    while ticks(n) < 2 && n < 4 * most.max(3) {
        n += 1;
    }
    n
}

/// The legend corner with the fewest data points under it.
pub fn emptiest_corner(
    data: &[f64],
    x: (f64, f64),
    y: (f64, f64),
    stride: usize,
) -> SeriesLabelPosition {
    let mut counts = [0usize; 4];
    for p in data.chunks_exact(2).step_by(stride) {
        let fx = (p[0] - x.0) / (x.1 - x.0);
        let fy = (p[1] - y.0) / (y.1 - y.0);
        let (left, right, low, high) = (fx < 0.4, fx > 0.6, fy < 0.4, fy > 0.6);
        counts[0] += usize::from(left && high);
        counts[1] += usize::from(right && high);
        counts[2] += usize::from(left && low);
        counts[3] += usize::from(right && low);
    }
    let corners = [
        SeriesLabelPosition::UpperLeft,
        SeriesLabelPosition::UpperRight,
        SeriesLabelPosition::LowerLeft,
        SeriesLabelPosition::LowerRight,
    ];
    let best = (0..4).min_by_key(|&c| counts[c]).unwrap_or(0);
    corners[best].clone()
}

/// Evenly spaced values from `a` to `b` inclusive.
pub fn linspace(a: f64, b: f64, n: usize) -> impl Iterator<Item = f64> {
    let n = n.max(2);
    (0..n).map(move |i| a + (b - a) * i as f64 / (n - 1) as f64)
}

/// The width of [`draw_side_legend`]'s column for `k` components on `root`: its swatch, its widest label and
/// a margin (a fixed 70 px cut "p(x)" at the figure's edge at 1280×720).
pub fn side_legend_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    k: usize,
    style: &Style,
) -> i32 {
    let font = TextStyle::from(style.tick_font());
    let widest = [
        k.to_string(),
        style.text("legend-mixture-short").to_string(),
    ]
    .iter()
    .map(|t| {
        root.estimate_text_size(t, &font)
            .map_or(0, |(w, _)| w as i32)
    })
    .max()
    .unwrap_or(0);
    let (x0, swatch, gap) = side_legend_layout(style);
    x0 + swatch + gap + widest + style.px(8.0)
}

/// Where [`draw_side_legend`] puts a row's swatch and label: its left margin, the swatch's length and the
/// gap before the label, in device pixels.
fn side_legend_layout(style: &Style) -> (i32, i32, i32) {
    (style.px(4.0), style.px(26.0 * style.fit()), style.px(5.0))
}

/// The legend as a column beside the plot (the 1-D and counts figures, from four components on): each component's dash in its colour with its number, then the
/// mixture.
pub fn draw_side_legend<DB: DrawingBackend>(
    side: &DrawingArea<DB, Shift>,
    k: usize,
    style: &Style,
) -> Result<(), FigureError<DB>> {
    let row = style.px(24.0 * style.fit());
    let (x0, swatch, gap) = side_legend_layout(style);
    let top = style.px(60.0);
    let font = style
        .tick_font()
        .color(&INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for j in 0..k {
        let y = top + j as i32 * row;
        let stroke = component_color(j).stroke_width(style.upx(3.0));
        let line = vec![(x0, y), (x0 + swatch, y)];
        match component_dash(j) {
            None => side.draw(&PathElement::new(line, stroke))?,
            Some((dash, gap)) => side.draw(&DashedPathElement::new(
                line,
                style.px(dash),
                style.px(gap),
                stroke,
            ))?,
        }
        side.draw(&Text::new(
            (j + 1).to_string(),
            (x0 + swatch + gap, y),
            font.clone(),
        ))?;
    }
    let y = top + k as i32 * row;
    side.draw(&PathElement::new(
        vec![(x0, y), (x0 + swatch, y)],
        INK.stroke_width(style.upx(4.0)),
    ))?;
    side.draw(&Text::new(
        style.text("legend-mixture-short").to_string(),
        (x0 + swatch + gap, y),
        font,
    ))?;
    Ok(())
}

/// The part of segment a–b inside the box x × y (Liang–Barsky), if any.
pub(crate) fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    x: (f64, f64),
    y: (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x.0),
        (dx, x.1 - a.0),
        (-dy, a.1 - y.0),
        (dy, y.1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// A polyline cut to the box: the runs that lie inside it (plotters draws outside the plotting area otherwise).
pub fn clip_polyline(points: &[(f64, f64)], x: (f64, f64), y: (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    // Rounding in a + t·(b − a) can leave a huge segment's clipped end far outside the box; keep it in.
    let inside = |p: (f64, f64)| (p.0.clamp(x.0, x.1), p.1.clamp(y.0, y.1));
    for w in points.windows(2) {
        match clip_segment(w[0], w[1], x, y).map(|(p, q)| (inside(p), inside(q))) {
            Some((p, q)) => {
                // A run only continues through a segment that starts inside, i.e. at its own last point.
                if run.is_empty() {
                    run.push(p);
                }
                run.push(q);
                if q != w[1] {
                    runs.push(std::mem::take(&mut run));
                }
            }
            None => {
                if run.len() > 1 {
                    runs.push(std::mem::take(&mut run));
                }
                run.clear();
            }
        }
    }
    if run.len() > 1 {
        runs.push(run);
    }
    runs
}
