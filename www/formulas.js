// The E-step and M-step formulas with this step's numbers, for every model. The core builds them
// (src/core/formulas.rs and the end of each model's file) as MathML markup made only of fixed symbols,
// numbers and words from the message table; here each line is parsed as XML (never as HTML, so nothing in
// it can run) and only a well-formed MathML <math> element is put into the page.

const MATHML = 'http://www.w3.org/1998/Math/MathML';
const parser = new DOMParser();

/** True for a well-formed MathML `<math>` element. */
function isMath(el) {
  return el.namespaceURI === MATHML && el.localName === 'math';
}

/** The `<math>` elements (of a parsed document, not yet in the page) of a list of lines, leaving out any that
 * is not one well-formed MathML element. All lines are parsed as one document (a document per line was a
 * quarter of a click's time at 12,000 points); a line that breaks it is found by parsing them one by one. */
function lines(markup) {
  const all = Array.from(markup);
  const doc = parser.parseFromString(`<lines>${all.join('')}</lines>`, 'application/xml');
  const parsed = doc.getElementsByTagName('parsererror').length === 0 ? Array.from(doc.documentElement.children) : null;
  if (parsed && parsed.length === all.length && parsed.every(isMath)) {
    return parsed;
  }
  return all.map((line) => {
    const one = parser.parseFromString(line, 'application/xml');
    const root = one.documentElement;
    const ok = root && isMath(root) && one.getElementsByTagName('parsererror').length === 0;
    return ok ? root : null;
  }).filter((el) => el !== null);
}

/** Makes `target`'s children look like `fresh` (elements, not yet in the page), touching only what differs: a
 * half-step changes the numbers in the formulas and little else, and laying out a few changed `<mn>` texts
 * costs a third of laying out ~500 new MathML elements (8.4 → 2.6 ms at 1366×768). */
function patchChildren(target, fresh) {
  const old = Array.from(target.childNodes);
  if (old.length !== fresh.length) {
    target.replaceChildren(...fresh.map((node) => document.importNode(node, true)));
    return;
  }
  fresh.forEach((node, i) => patchNode(target, old[i], node));
}

/** Patches `old` (a child of `parent`) to be like `node`: text by text, the same elements kept. */
function patchNode(parent, old, node) {
  if (old.nodeType === Node.TEXT_NODE && node.nodeType === Node.TEXT_NODE) {
    if (old.data !== node.data) old.data = node.data;
    return;
  }
  const sameElement = old.nodeType === Node.ELEMENT_NODE && node.nodeType === Node.ELEMENT_NODE
    && old.namespaceURI === node.namespaceURI && old.localName === node.localName
    && old.attributes.length === node.attributes.length
    && Array.from(node.attributes).every((a) => old.getAttributeNS(a.namespaceURI, a.localName) === a.value);
  if (!sameElement) {
    parent.replaceChild(document.importNode(node, true), old);
    return;
  }
  patchChildren(old, Array.from(node.childNodes));
}

/** The markup each panel's lines were last made from (caption first). */
const shown = new WeakMap();

/** Puts the lines `markup` (with `caption` first, when given) into `target`: lines whose markup is what the
 * panel shows already are left alone, the others parsed and patched into place. */
function fill(target, markup, caption) {
  const wanted = (caption === undefined ? [] : [`caption:${caption}`]).concat(Array.from(markup));
  const before = shown.get(target);
  if (before && before.length === wanted.length && target.childNodes.length === wanted.length
    && before.every((m, i) => m === wanted[i])) return;
  // Each line's markup is compared, and only a line that changed is patched (a half-step changes the
  // numbers of a few lines).
  const fresh = lines(markup);
  if (caption !== undefined) {
    const p = document.createElement('p');
    p.textContent = caption;
    fresh.unshift(p);
  }
  const same = before && before.length === wanted.length && fresh.length === wanted.length
    && target.childNodes.length === wanted.length;
  if (same) {
    const old = Array.from(target.childNodes);
    fresh.forEach((node, i) => { if (before[i] !== wanted[i]) patchNode(target, old[i], node); });
  } else {
    patchChildren(target, fresh);
  }
  shown.set(target, fresh.length === wanted.length ? wanted : null);
}

/** Fills the two formula panels from the lab's current state and chosen point (every model). */
export function renderFormulas(lab, eTarget, mTarget) {
  const formulas = lab.formulas();
  fill(eTarget, formulas.e, formulas.caption);
  fill(mTarget, formulas.m);
  eTarget.dataset.index = String(formulas.index);
}
