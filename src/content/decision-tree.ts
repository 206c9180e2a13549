import type { DecisionNode, DecisionTree } from '../domain/course.js';
import type { ContentIssue } from './issues.js';
import { checkClauseRefs, idOf, type KnownClauses, reportDuplicateIds } from './rules.js';
import { checkSchema } from './schema-issues.js';
import {
  DecisionNodeKindSchema,
  DecisionOutcomeSchema,
  DecisionQuestionSchema,
  DecisionTreeFileSchema,
} from './schemas.js';
import type { YamlSource } from './yaml-source.js';

/**
 * decision-tree.yaml → DecisionTree. Beyond the schema, a learner walking the tree must always
 * reach an outcome: every `next` must exist, `start` must be a question, every node must be
 * reachable, and there must be no loops.
 */
export function parseDecisionTree(
  source: YamlSource,
  known: KnownClauses,
  issues: ContentIssue[],
): DecisionTree | undefined {
  if (!checkSchema(DecisionTreeFileSchema, source.data, source, [], issues)) return undefined;
  const raw = source.data as { start: string; nodes: unknown[] };

  // No prototype: a node id such as "constructor" must not find Object.prototype members.
  const nodes: Record<string, DecisionNode> = Object.create(null);
  const indexOf = new Map<string, number>(); // node id → list index, for error locations
  let allValid = true;
  raw.nodes.forEach((item, index) => {
    const path = ['nodes', index];
    if (!checkSchema(DecisionNodeKindSchema, item, source, path, issues)) {
      allValid = false;
      return;
    }
    const schema =
      (item as { kind: string }).kind === 'question' ? DecisionQuestionSchema : DecisionOutcomeSchema;
    if (!checkSchema(schema, item, source, path, issues)) {
      allValid = false;
      return;
    }
    const node = item as DecisionNode;
    if (node.kind === 'outcome') checkClauseRefs(node.clauses, known, source, [...path, 'clauses'], issues);
    if (!indexOf.has(node.id)) {
      indexOf.set(node.id, index);
      nodes[node.id] = node;
    }
  });
  reportDuplicateIds(raw.nodes.map(idOf), 'node', source, (i) => ['nodes', i, 'id'], issues);

  const startNode = Object.hasOwn(nodes, raw.start) ? nodes[raw.start] : undefined;
  if (!startNode && allValid) issues.push(source.issue(['start'], `unknown node "${raw.start}"`));
  if (startNode?.kind === 'outcome')
    issues.push(source.issue(['start'], 'must be a question, not an outcome'));

  let danglingNext = false;
  for (const node of Object.values(nodes)) {
    if (node.kind !== 'question') continue;
    node.options.forEach((option, optionIndex) => {
      const path = ['nodes', indexOf.get(node.id) ?? 0, 'options', optionIndex, 'next'];
      if (!Object.hasOwn(nodes, option.next)) {
        danglingNext = true;
        if (allValid) issues.push(source.issue(path, `unknown node "${option.next}"`));
      }
    });
  }

  // Walk from start only once the graph is complete; otherwise the reports would be noise.
  if (startNode && allValid && !danglingNext) {
    checkWalk(raw.start, nodes, indexOf, source, issues);
  }
  return { start: raw.start, nodes };
}

/** Depth-first walk from start: reports loops (a back edge) and nodes that can never be reached. */
function checkWalk(
  start: string,
  nodes: Record<string, DecisionNode>,
  indexOf: Map<string, number>,
  source: YamlSource,
  issues: ContentIssue[],
): void {
  const done = new Set<string>();
  const onPath = new Set<string>();
  const visit = (id: string) => {
    onPath.add(id);
    const node = nodes[id];
    if (node?.kind === 'question') {
      node.options.forEach((option, optionIndex) => {
        if (onPath.has(option.next)) {
          const path = ['nodes', indexOf.get(id) ?? 0, 'options', optionIndex, 'next'];
          issues.push(source.issue(path, `leads back to "${option.next}", so the walk could loop forever`));
        } else if (!done.has(option.next)) {
          visit(option.next);
        }
      });
    }
    onPath.delete(id);
    done.add(id);
  };
  visit(start);

  for (const [id, index] of indexOf) {
    if (!done.has(id))
      issues.push(source.issue(['nodes', index, 'id'], `node "${id}" can't be reached from start`));
  }
}
