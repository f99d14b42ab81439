//! Where a magnifier goes: the largest box in a corner of a plot that no curve or marker comes near. The
//! Jensen figure opens its gap in one, the trace its last iterations.

/// What a magnifier must keep clear of, in pixels: line segments and round dots (centre, radius).
pub struct Obstacles {
    segments: Vec<((f64, f64), (f64, f64))>,
    dots: Vec<((f64, f64), f64)>,
    margin: f64,
}

impl Obstacles {
    /// The obstacles of the polylines `lines` and the `dots`, kept `margin` from.
    pub fn new(lines: &[Vec<(f64, f64)>], dots: Vec<((f64, f64), f64)>, margin: f64) -> Self {
        let mut segments = Vec::new();
        for l in lines {
            for s in l.windows(2) {
                segments.push((s[0], s[1]));
            }
        }
        Obstacles {
            segments,
            dots,
            margin,
        }
    }

    /// Whether anything comes within `margin` of the box (x0, y0, x1, y1).
    fn meet(&self, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> bool {
        let m = self.margin;
        let area = (x0 - m, y0 - m, x1 + m, y1 + m);
        self.dots.iter().any(|&((x, y), r)| {
            x + r > area.0 && x - r < area.2 && y + r > area.1 && y - r < area.3
        }) || self
            .segments
            .iter()
            .any(|&(a, b)| segment_meets(a, b, area))
    }

    /// Only the segments that come near the box (x0, y0, x1, y1) (the curve's other 300 of 400 are far
    /// from a corner's boxes).
    fn near(&self, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> Self {
        let m = self.margin;
        let area = (x0 - m, y0 - m, x1 + m, y1 + m);
        let mut segments = Vec::new();
        for &(a, b) in &self.segments {
            if segment_meets(a, b, area) {
                segments.push((a, b));
            }
        }
        Obstacles {
            segments,
            dots: self.dots.clone(),
            margin: m,
        }
    }
}

/// A corner of a plot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Corner {
    /// On the left (else the right).
    pub left: bool,
    /// At the top (else the bottom).
    pub top: bool,
}

impl Corner {
    /// The upper left corner.
    pub const UPPER_LEFT: Corner = Corner {
        left: true,
        top: true,
    };
    /// The lower right corner.
    pub const LOWER_RIGHT: Corner = Corner {
        left: false,
        top: false,
    };
    /// The upper right corner.
    pub const UPPER_RIGHT: Corner = Corner {
        left: false,
        top: true,
    };

    /// The top-left pixel of a box of `size` in this corner of `plot` (x and y pixel ranges), `pad` in.
    pub fn place(self, plot: ((f64, f64), (f64, f64)), pad: f64, size: (f64, f64)) -> (f64, f64) {
        let x = match self.left {
            true => plot.0 .0 + pad,
            false => plot.0 .1 - pad - size.0,
        };
        let y = match self.top {
            true => plot.1 .0 + pad,
            false => plot.1 .1 - pad - size.1,
        };
        (x, y)
    }
}

/// The largest box (left, top, width, height) in a corner of `plot` (x and y pixel ranges), `pad` in from
/// its edges, at most `full` and at least `least` in size, clear of `obstacles`: each of `corners` tried in
/// turn, a later one taken only for a larger box. None where no box is clear.
pub fn clear_box(
    corners: &[Corner],
    plot: ((f64, f64), (f64, f64)),
    pad: f64,
    full: (f64, f64),
    least: (f64, f64),
    obstacles: &Obstacles,
) -> Option<(f64, f64, f64, f64)> {
    const STEPS: usize = 8;
    let mut best: Option<(f64, f64, f64, f64)> = None;
    for &corner in corners {
        let (x, y) = corner.place(plot, pad, full);
        let near = obstacles.near((x, y, x + full.0, y + full.1));
        for a in 0..=STEPS {
            for b in 0..=STEPS {
                let w = full.0 - (full.0 - least.0) * a as f64 / STEPS as f64;
                let h = full.1 - (full.1 - least.1) * b as f64 / STEPS as f64;
                if best.is_some_and(|(_, _, bw, bh)| bw * bh >= w * h) {
                    continue;
                }
                let (left, top) = corner.place(plot, pad, (w, h));
                if !near.meet((left, top, left + w, top + h)) {
                    best = Some((left, top, w, h));
                }
            }
        }
    }
    best
}

/// Whether the segment from `a` to `b` passes through the box (x0, y0, x1, y1).
fn segment_meets(a: (f64, f64), b: (f64, f64), area: (f64, f64, f64, f64)) -> bool {
    super::style::clip_segment(a, b, (area.0, area.2), (area.1, area.3)).is_some()
}
