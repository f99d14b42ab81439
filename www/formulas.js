// The E-step and M-step formulas with this step's numbers, for every model. The core builds them
// (src/core/formulas.rs and the end of each model's file) as MathML markup made only of fixed symbols,
// numbers and words from the message table; here each line is parsed as XML (never as HTML, so nothing in
// it can run) and only a well-formed MathML <math> element is put into the page.

const MATHML = 'http://www.w3.org/1998/Math/MathML';
const parser = new DOMParser();

/** The `<math>` element of one line of markup, or null when it is not one well-formed MathML element. */
function mathElement(markup) {
  const doc = parser.parseFromString(markup, 'application/xml');
  const root = doc.documentElement;
  const ok = root && root.namespaceURI === MATHML && root.localName === 'math' && doc.getElementsByTagName('parsererror').length === 0;
  return ok ? document.importNode(root, true) : null;
}

/** The elements of a list of lines, leaving out any that do not parse. */
function lines(markup) {
  return Array.from(markup, mathElement).filter((el) => el !== null);
}

/** Fills the two formula panels from the lab's current state and chosen point (every model). */
export function renderFormulas(lab, eTarget, mTarget) {
  const formulas = lab.formulas();
  const caption = document.createElement('p');
  caption.textContent = formulas.caption;
  eTarget.replaceChildren(caption, ...lines(formulas.e));
  mTarget.replaceChildren(...lines(formulas.m));
  eTarget.dataset.index = String(formulas.index);
}
