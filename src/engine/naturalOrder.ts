/**
 * The natural order of variable names (x < y, w2 < w10, theta_1 < theta_2), used to order
 * inferred variables.
 */
let collator: Intl.Collator | null = null;
const ASCII_NAME = /^[A-Za-z0-9_]*$/;

/** ICU's 'en' numeric collation on ASCII names, at primary strength: _ < digit runs (by value) < letters (any case). */
function primaryCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  const cls = (c: string): number => (c === '_' ? 0 : c >= '0' && c <= '9' ? 1 : 2);
  while (i < a.length && j < b.length) {
    const ca = cls(a[i]);
    const cb = cls(b[j]);
    if (ca !== cb) return ca - cb;
    if (ca === 1) {
      let ei = i;
      let ej = j;
      while (ei < a.length && cls(a[ei]) === 1) ei++;
      while (ej < b.length && cls(b[ej]) === 1) ej++;
      const da = a.slice(i, ei).replace(/^0+(?=.)/, '');
      const db = b.slice(j, ej).replace(/^0+(?=.)/, '');
      if (da.length !== db.length) return da.length - db.length;
      if (da !== db) return da < db ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    const la = a[i].toLowerCase();
    const lb = b[j].toLowerCase();
    if (la !== lb) return la < lb ? -1 : 1;
    i++;
    j++;
  }
  return (a.length - i) - (b.length - j);
}

/**
 * Natural order: x < y, w2 < w10, theta_1 < theta_2 — the order of ICU's English collation with
 * numeric digits (Intl.Collator('en', { numeric: true })), computed directly for plain ASCII names
 * (creating a collator costs milliseconds at start-up) and by Intl for anything else or a tie.
 */
export function naturalCompare(a: string, b: string): number {
  if (ASCII_NAME.test(a) && ASCII_NAME.test(b)) {
    const p = primaryCompare(a, b);
    if (p !== 0) return p;
    // same letters and numbers: lower case first at the first case difference
    if (a.length === b.length && a.toLowerCase() === b.toLowerCase()) {
      for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] === a[k].toLowerCase() ? -1 : 1;
      return 0;
    }
  }
  collator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
  return collator.compare(a, b);
}

