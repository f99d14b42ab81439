// The E-step and M-step formulas in native MathML, filled with the current numbers (built with DOM calls,
// never from HTML strings).

const MATHML = 'http://www.w3.org/1998/Math/MathML';

/** A MathML element with children (strings become text). */
function m(tag, ...children) {
  const el = document.createElementNS(MATHML, tag);
  for (const child of children) el.append(child);
  return el;
}

const mi = (t) => m('mi', t);
const mn = (t) => m('mn', t);
const mo = (t) => m('mo', t);
const sub = (base, s) => m('msub', typeof base === 'string' ? mi(base) : base, typeof s === 'string' ? mi(s) : s);
const frac = (a, b) => m('mfrac', m('mrow', ...[a].flat()), m('mrow', ...[b].flat()));

/** A number with four significant digits (scientific when very small or large). */
export function sig(value) {
  if (!Number.isFinite(value)) return String(value);
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return value.toExponential(3).replace('-', '−');
  return Number(value.toPrecision(4)).toString().replace('-', '−');
}

/** A whole `<math display="block">` line. */
function line(...parts) {
  const math = m('math', m('mrow', ...parts));
  math.setAttribute('display', 'block');
  return math;
}

/** The E-step for one point: qᵢₖ = πₖN(xᵢ|μₖ,σₖ²) / Σⱼ πⱼN(xᵢ|μⱼ,σⱼ²), then each k with its numbers. */
function eStep(jensen) {
  const k = jensen.logJoint.length;
  const joint = jensen.logJoint.map(Math.exp);
  const total = joint.reduce((a, b) => a + b, 0);
  const term = (idx) => [sub('π', idx), mi('N'), mo('('), sub('x', 'i'), mo('|'), sub('μ', idx), mo(','), m('msubsup', mi('σ'), mi(idx), mn('2')), mo(')')];
  const rows = [line(sub('q', m('mrow', mi('i'), mi('k'))), mo('='), frac(term('k'), [m('munder', mo('∑'), mi('j')), ...term('j')]))];
  for (let c = 0; c < k; c += 1) {
    const sum = [];
    joint.forEach((v, j) => {
      if (j > 0) sum.push(mo('+'));
      sum.push(mn(sig(v)));
    });
    rows.push(line(sub('q', m('mrow', mi('i'), mn(String(c + 1)))), mo('='), frac(mn(sig(joint[c])), sum), mo('='), mn(sig(total > 0 ? joint[c] / total : NaN))));
  }
  return rows;
}

/** The M-step with the current sums: Nₖ, πₖ = Nₖ/N, μₖ = Σ q x / Nₖ, σₖ² = Σ q (x−μ)² / Nₖ + reg. */
function mStep(preview) {
  const rows = [
    line(sub('N', 'k'), mo('='), m('munder', mo('∑'), mi('i')), sub('q', m('mrow', mi('i'), mi('k'))), mo(','),
      sub('π', 'k'), mo('='), frac(sub('N', 'k'), mi('N')), mo(','),
      sub('μ', 'k'), mo('='), frac([mo('∑'), sub('q', m('mrow', mi('i'), mi('k'))), sub('x', 'i')], sub('N', 'k')), mo(','),
      m('msubsup', mi('σ'), mi('k'), mn('2')), mo('='), frac([mo('∑'), sub('q', m('mrow', mi('i'), mi('k'))), m('msup', m('mrow', mo('('), sub('x', 'i'), mo('−'), sub('μ', 'k'), mo(')')), mn('2'))], sub('N', 'k')), mo('+'), mi('reg')),
  ];
  preview.weights.forEach((w, c) => {
    const idx = mn(String(c + 1));
    const nk = w * preview.n;
    const sx = nk * preview.means[c];
    const sxx = nk * (preview.variances[c] - preview.reg);
    rows.push(line(
      sub('N', idx.cloneNode(true)), mo('='), mn(sig(nk)), mo(','),
      sub('π', idx.cloneNode(true)), mo('='), frac(mn(sig(nk)), mn(String(preview.n))), mo('='), mn(sig(w)), mo(','),
      sub('μ', idx.cloneNode(true)), mo('='), frac(mn(sig(sx)), mn(sig(nk))), mo('='), mn(sig(preview.means[c])), mo(','),
      m('msubsup', mi('σ'), idx.cloneNode(true), mn('2')), mo('='), frac(mn(sig(sxx)), mn(sig(nk))), mo('+'), mn(sig(preview.reg)), mo('='), mn(sig(preview.variances[c])),
    ));
  });
  return rows;
}

/** Fills the two formula panels from the lab's current state and chosen point. */
export function renderFormulas(lab, eTarget, mTarget, pointText) {
  const jensen = lab.jensen();
  const caption = document.createElement('p');
  caption.textContent = `i = ${jensen.index + 1}: ${jensen.description} ${pointText}`;
  eTarget.replaceChildren(caption, ...eStep(jensen));
  mTarget.replaceChildren(...mStep(lab.mStepPreview()));
}
