// Small view helpers shared by the page's modules: number formatting and canvas sizing.

/** Formats a number for people: fixed digits, thousands separators, and no "-0.000". */
export function formatNumber(value, digits = 3) {
  if (!Number.isFinite(value)) return value > 0 ? '+∞' : value < 0 ? '−∞' : '—';
  const shown = Math.abs(value) < 0.5 * 10 ** -digits ? 0 : value;
  const text = shown.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return text.replace('-', '−');
}

/** Sizes a canvas's pixel buffer to its CSS box times devicePixelRatio, so it is sharp on any screen. */
export function sizeCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
}
