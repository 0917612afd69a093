// `npm run check`: no function over 80 lines and no file over 350 lines in src/ (issue 18), so
// that both limits hold from now on.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '..', 'src');
const FUNCTION_MAX = 80;
const FILE_MAX = 350;

// The schema types and the migrations are long by nature; a migration is frozen once shipped.
const EXEMPT = [/^db\/database\.ts$/, /^db\/migrations\//, /^web\/client\/.*\.d\.ts$/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function isFunction(node: ts.Node): boolean {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node)
  );
}

/** What breaks a limit in one file, one line each. */
function problemsOf(file: string): string[] {
  const name = path.relative(ROOT, file).split(path.sep).join('/');
  if (EXEMPT.some((pattern) => pattern.test(name))) return [];
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const lines = source.getLineAndCharacterOfPosition(text.length).line + (text.endsWith('\n') ? 0 : 1);
  if (lines > FILE_MAX) problems.push(`src/${name}: ${lines} lines (at most ${FILE_MAX})`);
  // Tests are read as lists of cases: their describe() and it() callbacks are not held to the limit.
  if (/\.test\.tsx?$/.test(name)) return problems;
  const visit = (node: ts.Node) => {
    if (isFunction(node)) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.end).line;
      if (end - start + 1 > FUNCTION_MAX) {
        problems.push(`src/${name}:${start + 1}: a function of ${end - start + 1} lines (at most ${FUNCTION_MAX})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

const problems = sourceFiles(ROOT).flatMap(problemsOf);
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log(`sizes: no function over ${FUNCTION_MAX} lines, no file over ${FILE_MAX} lines.`);
