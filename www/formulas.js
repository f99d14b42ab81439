// The E-step and M-step formulas with this step's numbers, for every model. The core builds them
// (src/core/formulas.rs and the end of each model's file) as MathML markup made only of fixed symbols,
// numbers and words from the message table; here each line is parsed as XML (never as HTML, so nothing in
// it can run) and only a well-formed MathML <math> element is put into the page. A line that later differs
// only in its text (a half-step's new numbers) gets the new text in its text nodes, as text.

import { setText } from './view.js';

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

/** The text between the tags of a line's markup, in order (entities decoded as the XML parser does): one
 * entry per text node of the parsed line. */
function textsOf(markup) {
  return Array.from(markup.matchAll(/>([^<]+)</g), (m) => m[1].replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'));
}

/** A line's markup with the text between its tags left out: two lines with the same skeleton differ only
 * in their words and numbers. */
const skeleton = (markup) => markup.replace(/>[^<]+</g, '><');

/**
 * Rewrites the text nodes of `line` (a line in the page, made from `before`) to show `after`, when the two
 * differ only in text between the same tags (a half-step changes numbers, not the formula): no parsing and
 * no new elements. False, touching nothing, when they differ in more than text.
 */
function retext(line, before, after) {
  if (before.startsWith('caption:') || after.startsWith('caption:')) {
    if (!(before.startsWith('caption:') && after.startsWith('caption:') && line.localName === 'p')) return false;
    setText(line, after.slice('caption:'.length));
    return true;
  }
  if (skeleton(before) !== skeleton(after)) return false;
  const texts = textsOf(after);
  const nodes = [];
  const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) nodes.push(walker.currentNode);
  if (nodes.length !== texts.length) return false;
  nodes.forEach((node, i) => {
    if (node.data !== texts[i]) node.data = texts[i];
  });
  return true;
}

/** The markup each panel's lines were last made from (caption first). */
const shown = new WeakMap();

/** Puts the lines `markup` (with `caption` first, when given) into `target`: lines whose markup is what the
 * panel shows already are left alone, lines that differ only in text are rewritten in place (`retext`), and
 * when any line differs in more, the changed lines are parsed and patched into place. */
function fill(target, markup, caption) {
  const wanted = (caption === undefined ? [] : [`caption:${caption}`]).concat(Array.from(markup));
  const before = shown.get(target);
  if (before && before.length === wanted.length && target.childNodes.length === wanted.length
    && before.every((m, i) => m === wanted[i])) return;
  // A half-step changes the numbers of a few lines and not their shape: those lines' text nodes are
  // rewritten in place, without parsing any markup (parsing and patching was ~8 ms of a click with the CPU
  // slowed 4×).
  const old = Array.from(target.childNodes);
  const sameShape = before && before.length === wanted.length && old.length === wanted.length;
  if (sameShape && wanted.every((m, i) => m === before[i] || retext(old[i], before[i], m))) {
    shown.set(target, wanted);
    return;
  }
  // Else each line's markup is compared, and only a line that changed is parsed and patched.
  const fresh = lines(markup);
  if (caption !== undefined) {
    const p = document.createElement('p');
    p.textContent = caption;
    fresh.unshift(p);
  }
  const same = before && before.length === wanted.length && fresh.length === wanted.length
    && target.childNodes.length === wanted.length;
  if (same) {
    fresh.forEach((node, i) => { if (before[i] !== wanted[i]) patchNode(target, old[i], node); });
  } else {
    patchChildren(target, fresh);
  }
  shown.set(target, fresh.length === wanted.length ? wanted : null);
}

/** The formulas section, whether any of it is on screen (an IntersectionObserver keeps this; until its first
 * report, at start-up, taken as not: the page's first frame then lays out the figures without the formulas'
 * ~400 MathML elements, ~30 ms, which the next frame lays out), and whether its deferred painting is pending. */
const view = { section: null, onScreen: false, pending: false };

/** How far (CSS px) into the screen the section must reach to count as on screen: its border and top padding
 * (~10 px) show no formula. The figures fill the screen's height, so the section often starts exactly at its
 * bottom edge, which an IntersectionObserver counts as intersecting. */
const ON_SCREEN_PX = 8;

/** Watches whether the formulas section `section` is on screen; call once, at start. */
export function watchFormulas(section) {
  view.section = section;
  new IntersectionObserver((entries) => {
    view.onScreen = entries[entries.length - 1].isIntersecting;
    if (view.onScreen) section.classList.remove('later');
  }, { rootMargin: `0px 0px -${ON_SCREEN_PX}px 0px` }).observe(section);
}

/**
 * While no part of the formulas section is on screen, the numbers written into it now are laid out and
 * painted in the frame after the figures (the section skips its contents until then, `.formulas.later`): a
 * click's figures, which the class is looking at, are painted first (at 12,000 points with the CPU slowed 4×
 * the formulas were ~10 ms of a click's frame). What reads the formulas finds the new numbers at once.
 */
function paintLater() {
  if (!view.section || view.onScreen) return;
  view.section.classList.add('later');
}

/** Called once a redraw's figures are all drawn (on large data, over several tasks and frames): the formulas
 * held back are laid out in the frame after the next paint, not in the frame of the figures still drawing. */
export function releaseFormulas() {
  if (!view.section?.classList.contains('later') || view.pending) return;
  view.pending = true;
  // After this frame is painted: a message posted from its animation-frame callback arrives after the paint.
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      view.pending = false;
      view.section.classList.remove('later');
    };
    channel.port2.postMessage(0);
  });
}

/** Fills the two formula panels from the lab's current state and chosen point (every model). */
export function renderFormulas(lab, eTarget, mTarget) {
  paintLater();
  const formulas = lab.formulas();
  setText(eTarget.previousElementSibling, formulas.eTitle);
  setText(mTarget.previousElementSibling, formulas.mTitle);
  fill(eTarget, formulas.e, formulas.caption);
  fill(mTarget, formulas.m);
  eTarget.dataset.index = String(formulas.index);
}
