import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble, slotsIn } from '../../../webview/core/slots';

const skeleton = '<header><!--slot:top--></header><main><!--slot:side--></main><!--slot:below-->';

test('fragments fill their slots in layout order; `order` moves one later; parts open nested slots', () => {
  const html = assemble(skeleton, [
    { name: 'a', fragments: [{ slot: 'top', html: '<h1 id="a"></h1>' }, { slot: 'below', html: '<section id="a-s"><!--slot:a-actions--></section>' }] },
    { name: 'b', fragments: [{ slot: 'top', html: '<b id="b"></b>' }, { slot: 'below', html: '<section id="b-s"></section>', order: 1 }] },
    { name: 'c', fragments: [{ slot: 'below', html: '<section id="c-s"></section>' }, { slot: 'a-actions', html: '<button id="c-btn"></button>' }] },
  ]);
  assert.equal(html, '<header><h1 id="a"></h1><b id="b"></b></header><main></main>'
    + '<section id="a-s"><button id="c-btn"></button></section><section id="c-s"></section><section id="b-s"></section>');
  assert.deepEqual(slotsIn(skeleton), ['top', 'side', 'below']);
});

test('a fragment for a slot nobody opens, or a slot opened twice, is an error naming it', () => {
  assert.throws(() => assemble(skeleton, [{ name: 'orbit diagram', fragments: [{ slot: 'bottom', html: '<div></div>' }] }]),
    /part "orbit diagram" puts markup into slot "bottom", which neither the layout nor a part opens/);
  assert.throws(() => assemble(skeleton, [{ name: 'x', fragments: [{ slot: 'side', html: '<!--slot:top-->' }] }]), /slot "top" is opened twice/);
});
