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
        let mut paint = |x: i32, y: i32, color: RGBColor, cover: f64| {
            let (px, py) = (x - origin.0, y - origin.1);
            if px < 0 || py < 0 || px >= w || py >= h || cover <= 0.0 {
                return;
            }
            let at = ((py * w + px) * 4) as usize;
            let pixel = &mut rgba[at..at + 4];
            if cover >= 1.0 {
                pixel.copy_from_slice(&[color.0, color.1, color.2, 255]);
                return;
            }
            let rgb = [color.0, color.1, color.2];
            // The two common cases in whole numbers: an edge over nothing, an edge over an opaque mark.
            let a = (cover * 255.0).round() as u16;
            if pixel[3] == 0 {
                pixel.copy_from_slice(&[color.0, color.1, color.2, a as u8]);
                return;
            }
            if pixel[3] == 255 {
                for c in 0..3 {
                    let mix = u16::from(rgb[c]) * a + u16::from(pixel[c]) * (255 - a);
                    pixel[c] = ((mix + 127) / 255) as u8;
                }
                return;
            }
            // "Source over" with straight alpha: the mark's share over what is already there.
            let a_src = cover.min(1.0);
            let a_dst = f64::from(pixel[3]) / 255.0;
            let a_out = a_src + a_dst * (1.0 - a_src);
            for c in 0..3 {
                let v = (f64::from(rgb[c]) * a_src + f64::from(pixel[c]) * a_dst * (1.0 - a_src))
                    / a_out;
                pixel[c] = v.round() as u8;
            }
            pixel[3] = (a_out * 255.0).round() as u8;
        };
        // The pixels of a disc and the share of each it covers, for the radius of the last disc drawn
        // (a scatter's dots all have one radius).
        let (mut stencil, mut stencil_radius) = (Vec::new(), None);
        for &(mark, color) in &self.items {
            match mark {
                Mark::Disc { centre, radius } => {
                    if stencil_radius != Some(radius) {
                        stencil = disc_stencil(radius);
                        stencil_radius = Some(radius);
                    }
                    for &(dx, dy, cover) in &stencil {
                        paint(centre.0 + dx, centre.1 + dy, color, cover);
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
                        let cover = x1.min(right) - x0.max(left);
                        for y in top..bottom {
                            paint(x, y, color, cover);
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

/// The pixels a disc of `radius` around the pixel corner (0, 0) covers, as canvas draws it (an arc around
/// that corner): each pixel's share is how far inside the circle its centre lies, clamped to one pixel.
fn disc_stencil(radius: u32) -> Vec<(i32, i32, f64)> {
    let r = f64::from(radius);
    let reach = radius as i32 + 1;
    let mut stencil = Vec::with_capacity((4 * reach * reach) as usize);
    for dy in -reach..reach {
        for dx in -reach..reach {
            let (cx, cy) = (f64::from(dx) + 0.5, f64::from(dy) + 0.5);
            let cover = (r + 0.5 - (cx * cx + cy * cy).sqrt()).clamp(0.0, 1.0);
            if cover > 0.0 {
                stencil.push((dx, dy, cover));
            }
        }
    }
    stencil
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
