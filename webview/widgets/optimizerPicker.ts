/**
 * An optimizer menu with its parameter fields (β; β₁, β₂, ε, bias correction), knowing nothing
 * of the store: it reports a resolved spec when the menu changes or a field is committed (Enter or
 * leaving it), and shows each bad field's message beside it (lib/optimizerForm.ts checks the
 * config's ranges). Used by the optimizer selector and the side-by-side view.
 */
import type { ValueElement } from '../core/dom';
import { defaultSpec, formFields, formValues, OPTIMIZER_NAMES, OPTIMIZER_TITLES, parseOptimizerForm, type FieldValues } from '../lib/optimizerForm';
import { optimizerKey, type OptimizerName, type OptimizerSpec } from '../../src/engine/optimizers/spec';

export interface PickerOptions {
  /** id prefix of the elements it creates (e2e tests and labels find them by it) */
  id: string;
  /** the menu's accessible name */
  label: string;
  /** an "off" entry first (the side-by-side view) */
  off?: string;
  onSpec(spec: OptimizerSpec | null): void;
}

const OFF = 'off';

export class OptimizerPicker {
  private readonly select: ValueElement;
  private readonly fields: HTMLElement;
  private name: OptimizerName | null = null;
  /** the last valid spec per optimizer, so switching back keeps its parameters */
  private readonly remembered = new Map<OptimizerName, OptimizerSpec>();
  private shown: string | null = null;

  constructor(container: HTMLElement, private readonly options: PickerOptions) {
    this.select = document.createElement('vscode-single-select') as unknown as ValueElement;
    this.select.id = `${options.id}-select`;
    this.select.setAttribute('aria-label', options.label);
    const entries: [string, string][] = [...(options.off ? [[OFF, options.off] as [string, string]] : []), ...OPTIMIZER_NAMES.map((n): [string, string] => [n, OPTIMIZER_TITLES[n]])];
    for (const [value, text] of entries) {
      const o = document.createElement('vscode-option');
      o.setAttribute('value', value);
      o.textContent = text;
      this.select.append(o);
    }
    this.fields = document.createElement('span');
    this.fields.className = 'optimizer-fields';
    this.fields.id = `${options.id}-fields`;
    container.append(this.select, this.fields);
    this.select.addEventListener('change', () => this.chosen(this.select.value));
  }

  /** Shows `spec` (null: off) without reporting it. */
  show(spec: OptimizerSpec | null): void {
    const key = spec ? optimizerKey(spec) : OFF;
    if (key === this.shown) return;
    this.shown = key;
    if (spec) this.remembered.set(spec.name, spec);
    this.name = spec ? spec.name : null;
    if (this.select.value !== (spec ? spec.name : OFF)) this.select.value = spec ? spec.name : OFF;
    this.render(spec ? formValues(spec) : {});
  }

  private chosen(value: string): void {
    if (value === OFF) {
      this.name = null;
      this.render({});
      this.report(null);
      return;
    }
    const name = OPTIMIZER_NAMES.find((n) => n === value);
    if (!name || name === this.name) return;
    this.name = name;
    const spec = this.remembered.get(name) ?? defaultSpec(name);
    this.render(formValues(spec));
    this.report(spec);
  }

  private report(spec: OptimizerSpec | null): void {
    this.shown = spec ? optimizerKey(spec) : OFF;
    this.options.onSpec(spec);
  }

  /** The fields of the chosen optimizer, filled with `values`. */
  private render(values: FieldValues): void {
    this.fields.replaceChildren();
    const name = this.name;
    if (!name) return;
    for (const p of formFields(name)) {
      const wrap = document.createElement('span');
      wrap.className = 'optimizer-field';
      const fieldId = `${this.options.id}-${p.key}`;
      if (p.kind === 'boolean') {
        const box = document.createElement('vscode-checkbox') as unknown as ValueElement;
        box.id = fieldId;
        box.checked = values[p.key] === true;
        box.textContent = p.symbol;
        box.title = p.description;
        box.setAttribute('aria-label', `${p.symbol}: ${p.description}`);
        box.addEventListener('change', () => this.commit());
        wrap.append(box);
      } else {
        const label = document.createElement('label');
        label.htmlFor = fieldId;
        label.textContent = p.symbol;
        const field = document.createElement('vscode-textfield') as unknown as ValueElement;
        field.id = fieldId;
        field.className = 'optimizer-param';
        field.setAttribute('inputmode', 'decimal');
        field.setAttribute('aria-label', `${p.symbol}, ${p.range}: ${p.description}`);
        field.title = `${p.description} (${p.range})`;
        field.value = String(values[p.key] ?? '');
        field.addEventListener('change', () => this.commit());
        field.addEventListener('keydown', (e) => {
          if ((e as KeyboardEvent).key === 'Enter') this.commit();
        });
        const error = document.createElement('span');
        error.className = 'field-error';
        error.id = `${fieldId}-error`;
        error.setAttribute('role', 'alert');
        wrap.append(label, field, error);
      }
      this.fields.append(wrap);
    }
  }

  /** Reads the fields: a valid set is reported (if it changed), bad fields are marked with their message. */
  private commit(): void {
    const name = this.name;
    if (!name) return;
    const values: FieldValues = {};
    for (const p of formFields(name)) {
      const el = document.getElementById(`${this.options.id}-${p.key}`) as ValueElement | null;
      if (el) values[p.key] = p.kind === 'boolean' ? el.checked : el.value;
    }
    const result = parseOptimizerForm(name, values);
    for (const p of formFields(name)) {
      const message = result.errors?.[p.key] ?? '';
      const el = document.getElementById(`${this.options.id}-${p.key}`) as ValueElement | null;
      if (el && p.kind !== 'boolean') el.invalid = message !== '';
      const error = document.getElementById(`${this.options.id}-${p.key}-error`);
      if (error) error.textContent = message;
    }
    if (!result.spec) return;
    this.remembered.set(name, result.spec);
    if (optimizerKey(result.spec) !== this.shown) this.report(result.spec);
  }
}
