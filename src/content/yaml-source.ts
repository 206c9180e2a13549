import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type ContentIssue, type DataPath, formatPath } from './issues.js';

/**
 * Limits for author-edited YAML. Content is trusted-ish (it comes through code review), but a
 * malformed or hostile file must fail with a clear message, not hang or exhaust memory on start.
 */
const MAX_ALIAS_COUNT = 20; // resolved alias nodes; a "billion laughs" file exceeds this at once
const MAX_NESTING_DEPTH = 12; // our deepest real path is questions[i].post.persona.name (depth 5)

/** A parsed YAML file plus a way to turn a data path back into a line number. */
export interface YamlSource {
  file: string;
  data: unknown;
  /** Line of the node at `path`, or of the deepest existing ancestor when the node is missing. */
  lineOf(path: DataPath): number;
  /** An issue located at `path` in this file. */
  issue(path: DataPath, message: string): ContentIssue;
}

/**
 * Parses one YAML document. Returns the source on success; on failure pushes issues and returns
 * undefined. `lineOffset` shifts reported lines (front matter starts on line 2 of a lesson file).
 */
export function parseYaml(
  text: string,
  file: string,
  issues: ContentIssue[],
  lineOffset = 0,
): YamlSource | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line + lineOffset;
  const fileIssue = (line: number, message: string): ContentIssue => ({ file, line, field: '', message });

  const problems = [...doc.errors, ...doc.warnings];
  for (const problem of problems) {
    issues.push(fileIssue(lineAt(problem.pos[0]), `YAML syntax: ${firstLine(problem.message)}`));
  }
  if (problems.length > 0) return undefined;

  const tooDeep = findTooDeep(doc.contents, 1);
  if (tooDeep) {
    issues.push(
      fileIssue(lineAt(tooDeep.range?.[0] ?? 0), `nesting deeper than ${MAX_NESTING_DEPTH} levels`),
    );
    return undefined;
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml throws a ReferenceError for alias explosions; point at the first alias.
    const alias = findFirstAlias(doc.contents);
    const reason = error instanceof Error ? error.message : String(error);
    issues.push(fileIssue(lineAt(alias?.range?.[0] ?? 0), `YAML aliases rejected: ${reason}`));
    return undefined;
  }

  const lineOf = (path: DataPath): number => {
    const node = deepestNode(doc.contents, path);
    return node?.range ? lineAt(node.range[0]) : 1 + lineOffset;
  };
  return {
    file,
    data,
    lineOf,
    issue: (path, message) => ({ file, line: lineOf(path), field: formatPath(path), message }),
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function children(node: unknown): unknown[] {
  if (isMap(node)) return node.items.flatMap((pair) => [pair.key, pair.value]);
  if (isSeq(node)) return node.items;
  return [];
}

function findTooDeep(node: unknown, depth: number): Node | undefined {
  if (!isMap(node) && !isSeq(node)) return undefined;
  if (depth > MAX_NESTING_DEPTH) return node;
  for (const child of children(node)) {
    const found = findTooDeep(child, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function findFirstAlias(node: unknown): Node | undefined {
  if (isAlias(node)) return node;
  for (const child of children(node)) {
    const found = findFirstAlias(child);
    if (found) return found;
  }
  return undefined;
}

/**
 * Walks the YAML tree along `path`. For a map key we return the key node, not the value, so that
 * a block scalar (`text: >-`) reports the line of `text:` rather than the line after it.
 */
function deepestNode(root: unknown, path: DataPath): Node | undefined {
  let current: unknown = root;
  let found: Node | undefined = isMap(root) || isSeq(root) || isScalar(root) ? root : undefined;
  for (const segment of path) {
    if (isMap(current)) {
      const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      found = isScalar(pair.key) ? pair.key : found;
      current = pair.value;
    } else if (isSeq(current) && typeof segment === 'number') {
      const item = current.items[segment];
      if (!item) break;
      current = item;
      if (isMap(item) || isSeq(item) || isScalar(item) || isAlias(item)) found = item;
    } else {
      break;
    }
  }
  return found;
}
