/**
 * The engine's only use of mathjs at run time: its expression parser (the user's syntax, its
 * error messages and character positions). Built from mathjs' own factories for `parse` and the
 * node classes, with the parts only evaluation would use (typed-function dispatch, matrices,
 * units, BigNumber/Fraction conversion) replaced by stubs that throw: the parser's first call
 * then takes about a millisecond instead of the 150–300 ms a full instance spends creating
 * typed functions, and a bundle carries about 200 kB of mathjs instead of 700 kB. Numbers are
 * converted by mathjs' own `number` conversion (decimal, 0x/0b/0o literals).
 *
 * Differentiation, simplification and evaluation are not mathjs' here (the engine works on its
 * own IR); the tests use a full mathjs instance as an independent oracle.
 *
 * While parsing, every leaf the parser creates (numbers with their source text, symbols) is
 * recorded in creation order, which is source order, so the caller can give each node its
 * character range (mathjs' nodes carry none).
 */
import type { MathNode } from 'mathjs';
import {
  createAccessorNode, createArrayNode, createAssignmentNode, createBlockNode, createConditionalNode, createConstantNode,
  createFunctionAssignmentNode, createFunctionNode, createIndexNode, createNode, createNumber, createObjectNode,
  createOperatorNode, createParenthesisNode, createParse, createRangeNode, createRelationalNode, createSymbolNode,
} from 'mathjs';

/** mathjs exports its factories without type declarations; this is all we rely on. */
type Factory = (dependencies: Record<string, unknown>) => unknown;
declare module 'mathjs' {
  export const createAccessorNode: Factory;
  export const createArrayNode: Factory;
  export const createAssignmentNode: Factory;
  export const createBlockNode: Factory;
  export const createConditionalNode: Factory;
  export const createConstantNode: Factory;
  export const createFunctionAssignmentNode: Factory;
  export const createFunctionNode: Factory;
  export const createIndexNode: Factory;
  export const createNode: Factory;
  export const createNumber: Factory;
  export const createObjectNode: Factory;
  export const createOperatorNode: Factory;
  export const createParenthesisNode: Factory;
  export const createParse: Factory;
  export const createRangeNode: Factory;
  export const createRelationalNode: Factory;
  export const createSymbolNode: Factory;
}

/** A leaf created by the parser: the node and the text it was read from (null when unknown). */
export interface ParsedLeaf {
  node: MathNode;
  text: string | null;
}

export interface ParseResult {
  tree: MathNode;
  /** leaves in source order */
  leaves: ParsedLeaf[];
}

type NodeClass = new (...args: unknown[]) => MathNode;
type Signatures = Record<string, (...args: unknown[]) => unknown>;

let recording: ParsedLeaf[] | null = null;
let pendingNumberText: string | null = null;
let parser: ((text: string) => MathNode) | null = null;

function unsupported(): never {
  throw new Error('internal: evaluation is not available in the parser-only mathjs instance');
}

/**
 * A stand-in for typed-function: the parser and the number conversion are each called with one
 * string only, so dispatch is on that one signature.
 */
function typedStub(name: string, signatures: Signatures): (...args: unknown[]) => unknown {
  const forString = signatures.string;
  return (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === 'string' && forString) return forString(args[0]);
    throw new Error(`internal: ${name} called with an unsupported signature`);
  };
}
Object.assign(typedStub, { addConversion: () => undefined, referToSelf: () => unsupported, isTypedFunction: () => false });

function createParser(): (text: string) => MathNode {
  const math = {};
  const stubs = { subset: unsupported, matrix: unsupported, ResultSet: unsupported, size: unsupported, isBounded: () => true, Unit: undefined };
  const Node = createNode({ mathWithTransform: math }) as NodeClass;
  const base = { ...stubs, Node, math, typed: typedStub };
  const BaseConstant = createConstantNode(base) as NodeClass;
  const BaseSymbol = createSymbolNode(base) as NodeClass;
  // Leaves record themselves (creation order = source order).
  class ConstantNode extends BaseConstant {
    constructor(...args: unknown[]) {
      super(...args);
      const value = args[0];
      const text = pendingNumberText ?? (typeof value === 'boolean' || value === null || value === undefined ? String(value) : null);
      pendingNumberText = null;
      recording?.push({ node: this, text });
    }
  }
  class SymbolNode extends BaseSymbol {
    constructor(...args: unknown[]) {
      super(...args);
      recording?.push({ node: this, text: typeof args[0] === 'string' ? args[0] : null });
    }
  }
  const number = createNumber({ typed: typedStub }) as (text: string) => number;
  const numeric = (text: unknown): number => {
    if (typeof text !== 'string') return unsupported();
    pendingNumberText = text;
    return number(text);
  };
  const nodes = { ...base, ConstantNode, SymbolNode };
  const all = {
    ...nodes,
    numeric,
    config: { number: 'number', numberFallback: 'number' },
    AccessorNode: createAccessorNode(nodes),
    ArrayNode: createArrayNode(nodes),
    AssignmentNode: createAssignmentNode(nodes),
    BlockNode: createBlockNode(nodes),
    ConditionalNode: createConditionalNode(nodes),
    FunctionAssignmentNode: createFunctionAssignmentNode(nodes),
    FunctionNode: createFunctionNode(nodes),
    IndexNode: createIndexNode(nodes),
    ObjectNode: createObjectNode(nodes),
    OperatorNode: createOperatorNode(nodes),
    ParenthesisNode: createParenthesisNode(nodes),
    RangeNode: createRangeNode(nodes),
    RelationalNode: createRelationalNode(nodes),
  };
  return createParse(all) as (text: string) => MathNode;
}

/** mathjs `parse`, plus the leaves it created in source order. Throws mathjs' SyntaxError. */
export function parseWithLeaves(text: string): ParseResult {
  parser ??= createParser();
  const leaves: ParsedLeaf[] = [];
  recording = leaves;
  pendingNumberText = null;
  try {
    return { tree: parser(text), leaves };
  } finally {
    recording = null;
    pendingNumberText = null;
  }
}

/** mathjs `parse` (parser-only instance). */
export function parse(text: string): MathNode {
  return parseWithLeaves(text).tree;
}
