/**
 * The text side of the extension host in one module (bundled separately as dist/text.js): the
 * config and selection parsers, hover text and the classification defaults. It pulls in mathjs
 * and yaml, so the extension loads it on first use instead of at activation.
 */
export * as config from './config';
export * as session from './session';
export * as hover from './hoverText';
export * as optimizerHover from './optimizerHover';
export * as tree from './tree';
export * as selection from './selection';
export * as classify from '../engine/classify';
export * as expression from '../engine/expression';
export * as ir from '../engine/ir';
export * as network from './network';
