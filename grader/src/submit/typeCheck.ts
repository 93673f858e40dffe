/**
 * The compile check of `rsmlab submit`: type-checks a folder's TypeScript files with the kit's own
 * TypeScript and the kit's compiler options (tsconfig.json), in-process through the compiler API.
 */
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { readdirSync } from 'node:fs';

export interface CompileError {
  file: string;     // relative to the checked folder, e.g. 'coord.ts'
  line: number;     // from 1
  column: number;   // from 1
  message: string;  // TypeScript's message, first line only, with its code: 'TS2322: ...'
}

/** The result of the check; `skipped` says why it could not run (TypeScript not installed). */
export type CompileReport = { errors: CompileError[] } | { skipped: string };

type TypeScript = typeof import('typescript');

async function loadTypeScript(): Promise<TypeScript | undefined> {
  try {
    const loaded = (await import('typescript')) as TypeScript & { default?: TypeScript };
    return loaded.default ?? loaded;
  } catch {
    return undefined;
  }
}

/** The folder holding @types/node, so a copy in a temporary folder resolves `node:` imports. */
function typeRootsOfKit(): string[] {
  try {
    const nodeTypes = createRequire(import.meta.url).resolve('@types/node/package.json');
    return [dirname(dirname(nodeTypes))];
  } catch {
    return [];
  }
}

/**
 * Type-checks every `.ts` file at the top of `dir` as the kit's tsconfig.json does (strict,
 * noUncheckedIndexedAccess, NodeNext modules, `.ts` imports). Errors are sorted by file and line.
 */
export async function typeCheckFolder(dir: string): Promise<CompileReport> {
  const ts = await loadTypeScript();
  if (!ts) return { skipped: 'TypeScript is not installed in the kit (run `npm ci`)' };
  const { options } = ts.convertCompilerOptionsFromJson(
    {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      lib: ['ES2023'],
    },
    dir,
  );
  options.typeRoots = typeRootsOfKit();
  const rootNames = readdirSync(dir).filter((name) => name.endsWith('.ts')).map((name) => join(dir, name));
  const program = ts.createProgram({ rootNames, options });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const errors = diagnostics
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .map((diagnostic): CompileError => {
      const message = `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split('\n')[0] ?? ''}`;
      if (!diagnostic.file || diagnostic.start === undefined) return { file: '(options)', line: 0, column: 0, message };
      const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      return { file: relative(dir, diagnostic.file.fileName), line: line + 1, column: character + 1, message };
    });
  errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { errors };
}

export const formatCompileError = (error: CompileError): string => `${error.file}:${error.line}:${error.column} ${error.message}`;

/** The relative imports (`./name.ts`) of a TypeScript source, to pack the files a student added. */
export async function relativeImports(source: string): Promise<string[]> {
  const ts = await loadTypeScript();
  if (!ts) return [...source.matchAll(/from\s+['"](\.\/[^'"]+)['"]/g)].map((match) => match[1] as string);
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName).filter((name) => name.startsWith('./'));
}
