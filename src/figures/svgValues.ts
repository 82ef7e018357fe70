/**
 * How canvas values become SVG attribute values (for the SVG context, svgContext.ts): numbers
 * rounded to 1/1000 of a pixel, CSS colours split into paint and opacity, the parts of a CSS font
 * shorthand, and XML escaping of text and attributes. Pure string functions: no DOM, Node or
 * vscode API.
 */

/** A coordinate or length as SVG text: rounded to 0.001, never "-0". */
export function svgNumber(v: number): string {
  const r = Math.round(v * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Text safe inside an element or a quoted attribute. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** A CSS colour as SVG paint and opacity: rgba()/hsla()/#rrggbbaa split, 'transparent' → none. */
export function svgPaint(color: string): { paint: string; opacity: number } {
  const c = color.trim();
  if (c === 'transparent') return { paint: 'none', opacity: 0 };
  const rgba = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/i.exec(c);
  if (rgba) {
    const a = rgba[4] === undefined ? 1 : rgba[4].endsWith('%') ? parseFloat(rgba[4]) / 100 : parseFloat(rgba[4]);
    return { paint: `rgb(${Math.round(+rgba[1])},${Math.round(+rgba[2])},${Math.round(+rgba[3])})`, opacity: a };
  }
  const hex8 = /^#([0-9a-f]{6})([0-9a-f]{2})$/i.exec(c);
  if (hex8) return { paint: `#${hex8[1]}`, opacity: parseInt(hex8[2], 16) / 255 };
  return { paint: c, opacity: 1 };
}

/** The parts of a CSS font shorthand ("italic bold 12px 'DejaVu Sans', sans-serif"). */
export function parseFont(font: string): { style: string; weight: string; size: number; family: string } {
  const m = /^\s*((?:(?:italic|oblique|normal|bold|bolder|lighter|[1-9]00|small-caps)\s+)*)([\d.]+)px(?:\/[\d.]+\w*)?\s+(.+)$/i.exec(font);
  if (!m) return { style: 'normal', weight: 'normal', size: 10, family: 'sans-serif' };
  const words = m[1].trim().split(/\s+/).filter((w) => w !== '');
  const style = words.find((w) => w === 'italic' || w === 'oblique') ?? 'normal';
  const weight = words.find((w) => /^(bold|bolder|lighter|[1-9]00)$/.test(w)) ?? 'normal';
  return { style, weight, size: parseFloat(m[2]), family: m[3].trim() };
}
