/**
 * The config vocabulary: one validator per family of top-level keys, run in this order (later
 * ones may use what earlier ones established: the variables, then the domain, then the axes).
 * To add a key family: write ./<family>.ts exporting a KeyValidator and add it here (and the
 * key to schemas/gdlab.schema.json and the README's key table; a unit test checks the schema).
 */
import { domainValidator } from './domain';
import { learningRatesValidator } from './learningRates';
import { modelValidator } from './model';
import { nameValidator } from './name';
import { objectiveValidator, variablesValidator } from './objective';
import { optimizerValidator } from './optimizer';
import { runValidator } from './run';
import { startsValidator } from './starts';
import { axesValidator, fixedValidator } from './view';

export const VALIDATORS = [
  nameValidator,
  variablesValidator,
  objectiveValidator,
  domainValidator,
  optimizerValidator,
  learningRatesValidator,
  runValidator,
  axesValidator,
  fixedValidator,
  startsValidator,
  modelValidator,
] as const;

/** Keys every config may carry that no validator reads. */
const PASSIVE_KEYS = ['$schema'] as const;

export type ConfigKey = (typeof PASSIVE_KEYS)[number] | (typeof VALIDATORS)[number]['keys'][number];

/** Every key a config may have, in the order the README documents them. */
export const CONFIG_KEYS: readonly ConfigKey[] = [...PASSIVE_KEYS, ...VALIDATORS.flatMap((v): readonly ConfigKey[] => v.keys)];

/** Other spellings → the key (lower case, without '_', '-' and spaces). */
export const KEY_ALIASES: ReadonlyMap<string, ConfigKey> = new Map(
  VALIDATORS.flatMap((v) => Object.entries(v.aliases ?? {}) as [string, ConfigKey][]),
);
