/**
 * Markup assembly (pure string work, no DOM): the layout's skeleton has `<!--slot:NAME-->`
 * placeholders; each part brings fragments for named slots, and a fragment may itself open new
 * slots (the export part fills the `trajectory-actions` slot that the trajectory part opens).
 * Fragments of one slot keep the parts' order in the layout unless they give an `order`
 * (lower first; default 0).
 */

export interface Fragment {
  slot: string;
  html: string;
  order?: number;
}

const SLOT = /<!--slot:([a-z][a-z0-9-]*)-->/g;

/** Names of the slots a piece of markup opens. */
export function slotsIn(html: string): string[] {
  return [...html.matchAll(SLOT)].map((m) => m[1]);
}

/**
 * Fills the skeleton's slots with the fragments, recursively. Throws (naming the part) when a
 * fragment targets a slot nobody opens, or a slot is opened twice.
 */
export function assemble(skeleton: string, parts: readonly { name: string; fragments: readonly Fragment[] }[]): string {
  const bySlot = new Map<string, { html: string; order: number; seq: number }[]>();
  let seq = 0;
  for (const part of parts) {
    for (const f of part.fragments) {
      const list = bySlot.get(f.slot) ?? [];
      list.push({ html: f.html, order: f.order ?? 0, seq: seq++ });
      bySlot.set(f.slot, list);
    }
  }
  const opened = new Set<string>();
  const fill = (html: string, depth: number): string => {
    if (depth > 8) throw new Error('layout slots nest more than 8 deep');
    return html.replace(SLOT, (_m, name: string) => {
      if (opened.has(name)) throw new Error(`layout slot "${name}" is opened twice`);
      opened.add(name);
      const list = (bySlot.get(name) ?? []).slice().sort((a, b) => a.order - b.order || a.seq - b.seq);
      return list.map((f) => fill(f.html, depth + 1)).join('');
    });
  };
  const out = fill(skeleton, 0);
  for (const part of parts) {
    for (const f of part.fragments) {
      if (!opened.has(f.slot)) throw new Error(`part "${part.name}" puts markup into slot "${f.slot}", which neither the layout nor a part opens`);
    }
  }
  return out;
}
