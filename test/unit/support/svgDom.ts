/** Test helper: walking an SVG document parsed by htmlparser2 (xmlMode). */
import type { ChildNode, Element } from 'domhandler';

/** Every element below `nodes`, in document order. */
export function elements(nodes: ChildNode[], out: Element[] = []): Element[] {
  for (const n of nodes) {
    if (n.type === 'tag') {
      out.push(n as Element);
      elements((n as Element).children, out);
    }
  }
  return out;
}

/** The text inside an element, nested elements included. */
export function textOf(e: Element): string {
  return e.children.map((c) => (c.type === 'text' ? (c as unknown as { data: string }).data : c.type === 'tag' ? textOf(c as Element) : '')).join('');
}
