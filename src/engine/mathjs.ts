/**
 * The one mathjs instance the engine uses: only the parser and symbolic derivative, created from
 * their dependency sets so bundles carry half of mathjs and load faster.
 */
import { create, derivativeDependencies, parseDependencies } from 'mathjs';

const math = create({ parseDependencies, derivativeDependencies });

export const parse = math.parse;
export const derivative = math.derivative;
