//! Many small opaque marks in one element: the scatter's dots and the histogram's responsibility strip.
//! A backend that can paint pixels ([`MarksBackend::draw_marks`]; the page's canvas) draws them all as one
//! image; any other (SVG) draws each as the vector element it always was, with the same calls.

use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

/// One opaque mark, in backend pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mark {
    /// A filled disc around `centre` (what plotters' `Circle` draws).
    Disc {
        /// The centre.
        centre: BackendCoord,
        /// The radius.
        radius: u32,
    },
    /// A vertical bar from `from` to `to` (a two-point path `width` pixels wide, as plotters draws it).
    Bar {
        /// One end.
        from: BackendCoord,
        /// The other end, straight above or below.
        to: BackendCoord,
        /// The stroke width.
        width: u32,
    },
}

/// Marks in their colours, drawn in order (a later mark covers an earlier one).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    /// Each mark and its colour.
    pub items: Vec<(Mark, RGBColor)>,
}

impl Marks {
    /// No marks, with room for `n`.
    pub fn with_capacity(n: usize) -> Self {
        Marks {
            items: Vec::with_capacity(n),
        }
    }

    /// Adds a mark in `color`.
    pub fn push(&mut self, mark: Mark, color: RGBColor) {
        self.items.push((mark, color));
    }

    /// The marks as RGBA pixels (premultiplied by nothing: straight alpha) of the box `origin` + `size`,
    /// transparent where no mark is, edges anti-aliased by the share of each pixel a mark covers.
    pub fn rasterize(&self, origin: BackendCoord, size: (u32, u32)) -> Vec<u8> {
        let (w, h) = (size.0 as i32, size.1 as i32);
        let mut rgba = vec![0u8; (size.0 * size.1 * 4) as usize];
        // One pixel, bounds checked (a mark near the box's edge).
        let paint = |rgba: &mut [u8], x: i32, y: i32, color: RGBColor, a: u32| {
            let (px, py) = (x - origin.0, y - origin.1);
            if px < 0 || py < 0 || px >= w || py >= h {
                return;
            }
            paint_pixel(rgba, ((py * w + px) * 4) as usize, color, a);
        };
        // The pixels of a disc and the share of each it covers, for the radius of the last disc drawn
        // (a scatter's dots all have one radius), and their places in `rgba` from the centre's.
        let (mut stencil, mut stencil_radius) = (Vec::new(), None);
        let mut offsets: Vec<(isize, u32)> = Vec::new();
        for &(mark, color) in &self.items {
            match mark {
                Mark::Disc { centre, radius } => {
                    if stencil_radius != Some(radius) {
                        stencil = disc_stencil(radius);
                        stencil_radius = Some(radius);
                        offsets = stencil
                            .iter()
                            .map(|&(dx, dy, a)| (((dy * w + dx) * 4) as isize, a))
                            .collect();
                    }
                    // A disc wholly inside the box (nearly all of a scatter's): no pixel needs a check.
                    let reach = radius as i32 + 1;
                    let (px, py) = (centre.0 - origin.0, centre.1 - origin.1);
                    if px >= reach && py >= reach && px + reach <= w && py + reach <= h {
                        let base = ((py * w + px) * 4) as isize;
                        for &(offset, a) in &offsets {
                            paint_pixel(&mut rgba, (base + offset) as usize, color, a);
                        }
                    } else {
                        for &(dx, dy, a) in &stencil {
                            paint(&mut rgba, centre.0 + dx, centre.1 + dy, color, a);
                        }
                    }
                }
                Mark::Bar { from, to, width } => {
                    // A line of width w centred on the pixel corner x: columns x − w/2 … x + w/2, the
                    // outer columns by the share they are covered.
                    let half = f64::from(width) / 2.0;
                    let (left, right) = (f64::from(from.0) - half, f64::from(from.0) + half);
                    let (top, bottom) = (from.1.min(to.1), from.1.max(to.1));
                    for x in left.floor() as i32..right.ceil() as i32 {
                        let (x0, x1) = (f64::from(x), f64::from(x) + 1.0);
                        let a = coverage(x1.min(right) - x0.max(left));
                        for y in top..bottom {
                            paint(&mut rgba, x, y, color, a);
                        }
                    }
                }
            }
        }
        rgba
    }
    /// The smallest box (origin, size) inside `bounds` that holds every mark.
    pub fn extent(&self, bounds: (u32, u32)) -> Option<(BackendCoord, (u32, u32))> {
        let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
        for (mark, _) in &self.items {
            let (a, b) = match *mark {
                Mark::Disc { centre, radius } => {
                    let r = radius as i32 + 1;
                    ((centre.0 - r, centre.1 - r), (centre.0 + r, centre.1 + r))
                }
                Mark::Bar { from, to, width } => {
                    let h = width as i32 / 2 + 1;
                    (
                        (from.0 - h, from.1.min(to.1)),
                        (from.0 + h, from.1.max(to.1)),
                    )
                }
            };
            (x0, y0, x1, y1) = (x0.min(a.0), y0.min(a.1), x1.max(b.0), y1.max(b.1));
        }
        let (x0, y0) = (x0.max(0), y0.max(0));
        let (x1, y1) = (x1.min(bounds.0 as i32), y1.min(bounds.1 as i32));
        (x1 > x0 && y1 > y0).then(|| ((x0, y0), ((x1 - x0) as u32, (y1 - y0) as u32)))
    }
}

/// Paints `color` at share `a` (in 255ths) over the RGBA pixel at byte `at` of `rgba`. Coverage in whole
/// 255ths, blended in integers (100,000 dots at every redraw of a run: float blending and `f64::round`, a
/// libm call in wasm, were most of a 2-D figure's time).
#[inline(always)]
fn paint_pixel(rgba: &mut [u8], at: usize, color: RGBColor, a: u32) {
    if a == 0 {
        return;
    }
    let Some(pixel) = rgba.get_mut(at..at + 4) else {
        return;
    };
    let rgb = [color.0, color.1, color.2];
    let below = u32::from(pixel[3]);
    if a >= 255 || below == 0 {
        pixel.copy_from_slice(&[color.0, color.1, color.2, a.min(255) as u8]);
        return;
    }
    if below == 255 {
        for c in 0..3 {
            let mix = u32::from(rgb[c]) * a + u32::from(pixel[c]) * (255 - a);
            pixel[c] = ((mix + 127) / 255) as u8;
        }
        return;
    }
    // "Source over" with straight alpha: the mark's share over what is already there.
    let below = below * (255 - a); // in 255²ths
    let out = a * 255 + below; // in 255²ths
    for c in 0..3 {
        let v = u32::from(rgb[c]) * a * 255 + u32::from(pixel[c]) * below;
        pixel[c] = ((v + out / 2) / out) as u8;
    }
    pixel[3] = ((out + 127) / 255) as u8;
}

/// The pixels a disc of `radius` around the pixel corner (0, 0) covers, as canvas draws it (an arc around
/// that corner): each pixel's share (in 255ths) is how far inside the circle its centre lies, at most one.
fn disc_stencil(radius: u32) -> Vec<(i32, i32, u32)> {
    let r = f64::from(radius);
    let reach = radius as i32 + 1;
    let mut stencil = Vec::with_capacity((4 * reach * reach) as usize);
    for dy in -reach..reach {
        for dx in -reach..reach {
            let (cx, cy) = (f64::from(dx) + 0.5, f64::from(dy) + 0.5);
            let a = coverage(r + 0.5 - (cx * cx + cy * cy).sqrt());
            if a > 0 {
                stencil.push((dx, dy, a));
            }
        }
    }
    stencil
}

/// A share of a pixel (clamped to 0…1) in whole 255ths, rounded.
fn coverage(share: f64) -> u32 {
    (share.clamp(0.0, 1.0) * 255.0 + 0.5) as u32
}

/// A backend that may draw many marks at once; the default draws each one as plotters' own element would.
pub trait MarksBackend: DrawingBackend {
    /// Draws `marks` (in backend pixels).
    fn draw_marks(&mut self, marks: &Marks) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        for &(mark, color) in &marks.items {
            match mark {
                Mark::Disc { centre, radius } => {
                    self.draw_circle(centre, radius, &color.filled(), true)?
                }
                Mark::Bar { from, to, width } => {
                    self.draw_path([from, to], &color.stroke_width(width))?
                }
            }
        }
        Ok(())
    }
}

impl MarksBackend for SVGBackend<'_> {}
impl MarksBackend for super::svg::SvgFigureBackend<'_> {}

/// Marks drawn on a drawing area: their positions are already backend pixels, so the area adds nothing.
impl<'a> PointCollection<'a, (i32, i32)> for &'a Marks {
    type Point = (i32, i32);
    type IntoIter = std::iter::Empty<(i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::empty()
    }
}

impl<DB: MarksBackend> Drawable<DB> for Marks {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        _: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        backend.draw_marks(self)
    }
}
