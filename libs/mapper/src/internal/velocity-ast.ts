import { Helper, parse } from 'velocityjs';

/*
 * velocityjs' syntax tree, as its parser makes it, and the few facts about it that the interpreter
 * (velocity-template.ts) and the compiler (template-compiler.ts) share, so that both read one tree
 * the same way.
 */

/** One node of a parsed template: text, a reference, a directive, or a block (an array whose first item says which). */
export type VelocityNode = ReturnType<typeof parse>[number];

export interface ReferenceNode {
  readonly type: 'references';
  readonly id: string;
  readonly prue?: boolean;
  readonly leader?: string;
  readonly args?: VelocityNode[] | false;
  readonly path?: AttributeNode[];
}

export interface AttributeNode {
  readonly type: 'property' | 'method' | 'index';
  readonly id: string | VelocityNode;
  readonly args?: VelocityNode[] | false;
}

export interface LiteralNode {
  readonly type: string;
  readonly value: unknown;
  readonly isEval?: boolean;
  readonly isRange?: boolean;
}

export interface MathNode {
  readonly type: 'math';
  readonly operator: string;
  readonly expression: VelocityNode[];
}

export interface SetNode {
  readonly type: 'set';
  readonly equal: [ReferenceNode, VelocityNode];
}

export interface ForeachNode {
  readonly type: 'foreach';
  readonly from: VelocityNode;
  readonly to: string;
  readonly pos?: unknown;
}

export interface ConditionNode {
  readonly type: 'if' | 'elseif' | 'else';
  readonly condition?: VelocityNode;
}

export interface MacroCallNode {
  readonly id: string;
  readonly args?: VelocityNode[];
}

// velocityjs' parser looks a macro's name up in its custom blocks, which default to `{}`: without
// this empty table `#toString()` or `#constructor()` would be taken for blocks of an inherited name.
const noCustomBlocks: Record<string, boolean> = Object.freeze(Object.create(null) as Record<string, boolean>);

/** Parses Velocity text. @throws whatever velocityjs' parser throws for invalid Velocity. */
export function parseTemplate(source: string): VelocityNode[] {
  return parse(source, noCustomBlocks);
}

const referenceTextKey = Symbol('referenceText');

/** The text of a reference as written (`$!{a.b}`): what Velocity renders for an undefined `$a.b`. */
export function referenceText(node: ReferenceNode): string {
  const cached = node as ReferenceNode & { [referenceTextKey]?: string };
  return (cached[referenceTextKey] ??= Helper.getRefText(node as never));
}

/** The directive of a block (`if`, `foreach`, `macro`, ...): the type of its first node. */
export function blockType(block: readonly unknown[]): string {
  return (block[0] as { type?: string } | undefined)?.type ?? '';
}
