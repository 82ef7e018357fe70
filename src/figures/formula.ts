/** Display text of a (normalised mathjs) formula: x^2 → x², a * b → a·b, - → −. */
const SUPERSCRIPT: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

export function prettyFormula(text: string): string {
  return text
    .replace(/\^(\d+)(?![.\d])/g, (_m, d: string) => [...d].map((c) => SUPERSCRIPT[c]).join(''))
    .replace(/\s*\*\s*/g, '·')
    .replace(/ - /g, ' − ')
    .replace(/^-/, '−')
    .replace(/\(-/g, '(−');
}
