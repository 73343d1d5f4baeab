// ESLint flat config: typescript-eslint's recommended rules, plus the layering of ARCHITECTURE.md
// written as `no-restricted-imports` per folder, so that a wrong-way import fails `npm run lint`.
//
// Dependency direction (STYLE.md):
//   grammar → chevrotain        regex → nothing of ours      engine → grammar, regex
//   service → grammar, regex, engine, vscode-languageserver-types (no LSP transport)    server → service
//   cli → service, engine, prober, grammar, regex              client → vscode, vscode-languageclient
// grammar/, regex/, engine/ and service/ do no IO: they may not import sockets, files or processes.
//
// Type-only imports (`import type …`) of a lower layer are allowed in server/, which forwards
// grammar's and engine's values it gets through service/: they vanish at build time and create no
// runtime dependency. Value imports are what the direction is about.
import tseslint from 'typescript-eslint';

const OUR_FOLDERS = ['grammar', 'regex', 'engine', 'service', 'prober', 'server', 'cli', 'client'];

// Node modules that do IO (sockets, files, processes). Bare and `node:` forms are both listed.
const IO_MODULES = ['net', 'dgram', 'tls', 'fs', 'fs/promises', 'child_process', 'http', 'https', 'http2'];
const ioPaths = IO_MODULES.flatMap((m) => [m, `node:${m}`]).map((name) => ({
  name,
  message: 'grammar/, regex/, engine/ and service/ do no IO: take text or bytes as arguments instead.',
}));

/** A pattern matching relative imports of one of our top-level folders, from any depth. */
function folderPattern(folder, message, allowTypeImports = false) {
  return { regex: `^(\\.\\./)+${folder}(/|$)`, caseSensitive: true, message, allowTypeImports };
}

/**
 * Rule options for one folder: `allowed` folders may be imported, `typesOnly` folders only with
 * `import type`, every other folder of ours not at all; plus extra paths and patterns.
 */
function layer(folder, { allowed = [], typesOnly = [], paths = [], patterns = [] } = {}) {
  const rules = [];
  for (const other of OUR_FOLDERS) {
    if (other === folder || allowed.includes(other)) continue;
    const why = `${folder}/ must not depend on ${other}/ (see the dependency direction in ARCHITECTURE.md).`;
    rules.push(
      typesOnly.includes(other)
        ? folderPattern(other, `${why} A type-only import is allowed: use \`import type\`.`, true)
        : folderPattern(other, why),
    );
  }
  return ['error', { paths, patterns: [...rules, ...patterns] }];
}

const noVscode = [
  { regex: '^vscode$', caseSensitive: true, message: 'Only client/ may import the vscode API.' },
  { regex: '^vscode-languageclient(/|$)', caseSensitive: true, message: 'Only client/ uses vscode-languageclient.' },
];
const noLspRuntime = [
  { regex: '^vscode-languageserver(/|$)', caseSensitive: true, message: 'Only server/ uses the vscode-languageserver runtime.' },
];
// The service speaks LSP's vocabulary but never its transport. `vscode-languageserver-types` (and
// `-textdocument`) are plain data: interfaces, constant enums such as CompletionItemKind, pure
// constructors, no IO. That is the layer vscode-css-languageservice also builds on, so it is allowed
// in full. The packages that carry the transport (the server runtime, the protocol's message
// connections, JSON-RPC) may be named only in `import type`, which leaves nothing behind at run time.
const lspTypesOnly = [
  {
    regex: '^(vscode-languageserver|vscode-languageserver-protocol|vscode-jsonrpc)(/|$)',
    caseSensitive: true,
    allowTypeImports: true,
    message:
      'service/ must not depend on the LSP transport: import values from vscode-languageserver-types, and from the server or protocol packages only with `import type`.',
  },
];
// grammar/ depends on chevrotain and nothing else outside itself (Node's pure modules aside).
const onlyChevrotain = [
  {
    regex: '^(?!\\.|chevrotain(/|$)|node:)',
    caseSensitive: true,
    message: 'grammar/ may import only chevrotain and its own files.',
  },
];
const noPackages = [
  { regex: '^(?!\\.|node:)', caseSensitive: true, message: 'regex/ is self-contained: no packages.' },
];

const TS_FILES = (folder) => [`${folder}/**/*.ts`];

export default tseslint.config(
  {
    // cli/quick-judge/assembly is AssemblyScript (compiled to WebAssembly by esbuild.mjs), not TypeScript.
    ignores: ['node_modules/**', 'dist/**', 'out/**', '.tmp/**', 'test-output/**', 'bench/results/**', '**/*.d.ts', 'cli/quick-judge/assembly/**'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Explicit `any` is sometimes the honest type at an untyped edge; flag it without failing.
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Plain JavaScript build and demo scripts run under Node.
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    files: TS_FILES('grammar'),
    rules: { '@typescript-eslint/no-restricted-imports': layer('grammar', { paths: ioPaths, patterns: [...onlyChevrotain] }) },
  },
  {
    files: TS_FILES('regex'),
    rules: { '@typescript-eslint/no-restricted-imports': layer('regex', { paths: ioPaths, patterns: [...noPackages] }) },
  },
  {
    files: TS_FILES('engine'),
    rules: {
      '@typescript-eslint/no-restricted-imports': layer('engine', {
        allowed: ['grammar', 'regex'],
        paths: ioPaths,
        patterns: [...noVscode, ...noLspRuntime],
      }),
    },
  },
  {
    files: TS_FILES('service'),
    rules: {
      '@typescript-eslint/no-restricted-imports': layer('service', {
        allowed: ['grammar', 'regex', 'engine'],
        paths: ioPaths,
        patterns: [...noVscode, ...lspTypesOnly],
      }),
    },
  },
  {
    files: TS_FILES('prober'),
    rules: {
      '@typescript-eslint/no-restricted-imports': layer('prober', {
        allowed: ['grammar', 'regex', 'engine'],
        patterns: [...noVscode, ...noLspRuntime],
      }),
    },
  },
  {
    files: TS_FILES('server'),
    rules: {
      '@typescript-eslint/no-restricted-imports': layer('server', {
        allowed: ['service'],
        typesOnly: ['grammar', 'regex', 'engine'],
        patterns: [...noVscode],
      }),
    },
  },
  {
    files: TS_FILES('cli'),
    rules: {
      '@typescript-eslint/no-restricted-imports': layer('cli', {
        // ARCHITECTURE.md's code map lets the CLI call grammar/ and regex/ directly (`nsp regex`
        // explains one pattern without a whole file); the server may not.
        allowed: ['service', 'engine', 'prober', 'grammar', 'regex'],
        patterns: [...noVscode, ...noLspRuntime],
      }),
    },
  },
  {
    files: TS_FILES('client'),
    rules: {
      '@typescript-eslint/no-restricted-imports': layer('client', {
        patterns: [...noLspRuntime],
      }),
    },
  },
);
