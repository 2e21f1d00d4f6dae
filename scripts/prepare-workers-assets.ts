/**
 * Copies the three swagger-ui files `/docs` needs from the installed swagger-ui-dist package into
 * `.wrangler/assets` (git-ignored), the folder wrangler.toml serves through the `ASSETS` binding.
 * The folder is emptied first so it holds exactly these files and nothing else is ever published.
 * Run by `npm run bundle:workers`; run it by hand before `wrangler dev` or `wrangler deploy`.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The files `src/ops/docs.routes.ts` serves under `/docs/assets/`. */
const FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'] as const;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, '.wrangler', 'assets');
const source = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const file of FILES) copyFileSync(join(source, file), join(target, file));
console.log(`copied ${FILES.join(', ')} to ${target}`);
