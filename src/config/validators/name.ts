/** "name": the panel's title. */
import { describe, type KeyValidator } from './context';

export const nameValidator: KeyValidator<'name'> = {
  keys: ['name'],
  aliases: { title: 'name', label: 'name' },
  validate(ctx) {
    const entry = ctx.get('name');
    if (!entry) return;
    if (entry.value.kind === 'string') ctx.result.name = entry.value.value;
    else ctx.err(entry.value.range, `"name" must be text (found ${describe(entry.value)})`, 'type');
  },
};
