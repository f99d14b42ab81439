//! Legends in a band of their own between a figure's title and its plot, wrapped into as many centred rows
//! as the figure's width needs, so a legend never hides a curve, a bar or a marker (a legend box inside the
//! plot covered the mixture's peak on `heights` and the meeting point of the Jensen figure at 1280 px); or
//! as a column beside a plot that leaves room at its sides (the equal-aspect scatter in a wide figure).

use super::style::{component_color, component_dash, Marker, Style, INK, LEGEND_SWATCH};
use super::FigureError;
use crate::text::fill;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What a legend entry shows before its label: the curve's stroke, or the marker drawn in the plot.
#[derive(Clone, Copy, Debug)]
pub enum Swatch {
    /// A line of this colour and CSS width, dashed (dash, gap in CSS px) or solid.
    Line(RGBColor, f64, Option<(f64, f64)>),
    /// A filled marker of this shape and colour.
    Marker(Marker, RGBColor),
    /// An open ring of this colour (a starting point).
    Ring(RGBColor),
}

/// One entry of a legend: its swatch and its label.
#[derive(Clone, Debug)]
pub struct LegendEntry {
    /// What is drawn before the label.
    pub swatch: Swatch,
    /// The label.
    pub label: String,
}

impl LegendEntry {
    /// An entry with `swatch` and `label`.
    pub fn new(swatch: Swatch, label: impl Into<String>) -> Self {
        LegendEntry {
            swatch,
            label: label.into(),
        }
    }
}

/// The legend of a mixture's data figure: each of `k` components' curve (the message `component_id`
/// with its number, in its colour and dash, `width` CSS px) and the mixture's (`mixture_width`).
pub fn mixture_entries(
    style: &Style,
    component_id: &str,
    k: usize,
    width: f64,
    mixture_width: f64,
) -> Vec<LegendEntry> {
    let mut entries: Vec<LegendEntry> = (0..k)
        .map(|j| {
            let label = fill(style.text(component_id), &[("k", (j + 1).to_string())]);
            LegendEntry::new(
                Swatch::Line(component_color(j), width, component_dash(j)),
                label,
            )
        })
        .collect();
    entries.push(LegendEntry::new(
        Swatch::Line(INK, mixture_width, None),
        style.text("legend-mixture"),
    ));
    entries
}

/// One row of a legend: its entries with their widths (swatch, gap and label), and its whole width.
type Row = (Vec<(usize, i32)>, i32);

const GAP: f64 = 6.0;
const SPACING: f64 = 20.0;

/// The rows the entries take in the width of `area` (less a margin), each label measured once.
fn rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    style: &Style,
) -> Vec<Row> {
    let width = area.dim_in_pixel().0 as i32 - style.px(16.0);
    let font = TextStyle::from(style.tick_font());
    let (swatch, gap, spacing) = (swatch_width(style), style.px(GAP), style.px(SPACING));
    let mut out: Vec<Row> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let (text_w, _) = area
            .estimate_text_size(&entry.label, &font)
            .unwrap_or((0, 0));
        let w = swatch + gap + text_w as i32;
        match out.last_mut() {
            Some((row, row_w)) if *row_w + spacing + w <= width => {
                row.push((i, w));
                *row_w += spacing + w;
            }
            _ => out.push((vec![(i, w)], w)),
        }
    }
    out
}

fn swatch_width(style: &Style) -> i32 {
    style.px(LEGEND_SWATCH * style.fit())
}

/// The height in device pixels of one legend row (of the band, or of the column).
pub fn legend_row_height(style: &Style) -> i32 {
    style.px(25.0 * style.fit())
}

/// The width in device pixels of [`legend_band`]'s widest row for `entries` in the width of `area` (the
/// rows are centred: what of the band's width they leave free at its sides).
pub fn legend_band_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    style: &Style,
) -> i32 {
    rows(area, entries, style)
        .iter()
        .map(|(_, w)| *w)
        .max()
        .unwrap_or(0)
}

/// The height in device pixels of [`legend_band`]'s band for `entries` in the width of `area`.
pub fn legend_band_height<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    style: &Style,
) -> i32 {
    band_height(rows(area, entries, style).len(), style)
}

fn band_height(rows: usize, style: &Style) -> i32 {
    rows as i32 * legend_row_height(style) + style.px(4.0)
}

/// The width in device pixels of [`legend_column`] for `entries`: the widest entry and a margin each side.
pub fn legend_column_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    style: &Style,
) -> i32 {
    let font = TextStyle::from(style.tick_font());
    let widest = entries
        .iter()
        .map(|e| {
            area.estimate_text_size(&e.label, &font)
                .map_or(0, |(w, _)| w as i32)
        })
        .max()
        .unwrap_or(0);
    swatch_width(style) + style.px(GAP) + widest + style.px(2.0 * GAP)
}

/// Draws `entries` one under another at the left of `column`, from `top` (device pixels): a legend
/// beside a plot that leaves room at its side (an equal-aspect scatter in a wide figure).
pub fn legend_column<DB: DrawingBackend>(
    column: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    top: i32,
    style: &Style,
) -> Result<(), FigureError<DB>> {
    let row_h = legend_row_height(style);
    for (r, entry) in entries.iter().enumerate() {
        let y = top + r as i32 * row_h + row_h / 2;
        draw_entry(column, entry, (style.px(GAP), y), style)?;
    }
    Ok(())
}

/// One entry with its swatch's left end at `(x, y)` (its middle height).
fn draw_entry<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entry: &LegendEntry,
    (x, y): (i32, i32),
    style: &Style,
) -> Result<(), FigureError<DB>> {
    let font = style
        .tick_font()
        .color(&INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let swatch = swatch_width(style);
    draw_swatch(area, entry.swatch, (x, y), swatch, style)?;
    let label = (x + swatch + style.px(GAP), y);
    area.draw(&Text::new(entry.label.clone(), label, font))
}

/// Splits off the top of `area` (under the title) as the legend band, as many rows high as the entries
/// need, and draws them there centred; returns the rest of the area, for the plot.
pub fn legend_band<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    style: &Style,
) -> Result<DrawingArea<DB, Shift>, FigureError<DB>> {
    let rows = rows(area, entries, style);
    let height = band_height(rows.len(), style);
    let (band, rest) = area.split_vertically(height.max(0) as u32);
    let (w, _) = band.dim_in_pixel();
    let (spacing, row_h) = (style.px(SPACING), legend_row_height(style));
    for (r, (row, row_w)) in rows.into_iter().enumerate() {
        let y = style.px(2.0) + r as i32 * row_h + row_h / 2;
        let mut x = (w as i32 - row_w).max(0) / 2;
        for (i, entry_w) in row {
            draw_entry(&band, &entries[i], (x, y), style)?;
            x += entry_w + spacing;
        }
    }
    Ok(rest)
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    (x, y): (i32, i32),
    width: i32,
    style: &Style,
) -> Result<(), FigureError<DB>> {
    let centre = (x + width / 2, y);
    match swatch {
        Swatch::Line(color, stroke, dash) => {
            let stroke = color.stroke_width(style.upx(stroke));
            let line = vec![(x, y), (x + width, y)];
            match dash {
                None => area.draw(&PathElement::new(line, stroke)),
                Some((dash, gap)) => area.draw(&DashedPathElement::new(
                    line,
                    style.px(dash),
                    style.px(gap),
                    stroke,
                )),
            }
        }
        Swatch::Ring(color) => area.draw(&Circle::new(
            centre,
            style.px(7.0),
            color.stroke_width(style.upx(3.0)),
        )),
        Swatch::Marker(Marker::Circle, color) => {
            area.draw(&Circle::new(centre, style.px(7.0), color.filled()))
        }
        Swatch::Marker(shape, color) => {
            let points = shape
                .outline(style.px(8.0))
                .into_iter()
                .map(|(dx, dy)| (centre.0 + dx, centre.1 + dy))
                .collect::<Vec<_>>();
            area.draw(&Polygon::new(points, color.filled()))
        }
    }
}
