// The production image (the Dockerfile's runtime stage) must hold every directory the compiled app
// reads by a path relative to its own files and outside src/ (dist/ takes src/'s place there): the
// views (pug templates, page scripts) and the locales. An image without locales/ could not start
// (readLocales found no locales/en), and nothing else would notice: no test builds the image here.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Top-level directories of the project that src/ reads through `new URL('../…', import.meta.url)`. */
function directoriesReadBesideSrc(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    for (const [, path] of readFileSync(file, 'utf8').matchAll(/new URL\('((?:\.\.\/)+[^']*)', import\.meta\.url\)/g)) {
      const target = relative(ROOT, resolve(dirname(file), path!));
      if (!target.startsWith('src/') && !target.startsWith('..')) found.add(target.split('/')[0]!);
    }
  }
  return found;
}

/** What the runtime stage copies from the build context (`COPY <source> <destination>`, not `--from`). */
function copiedIntoRuntime(): Set<string> {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.search(/^FROM .* AS runtime$/m));
  expect(runtime, 'the Dockerfile has a runtime stage').to.match(/^FROM /);
  return new Set([...runtime.matchAll(/^COPY (?!--from)(\S+) /gm)].map(([, source]) => source!.replace(/\/$/, '')));
}

describe('ops: the production image holds what the app reads beside its code', () => {
  it('finds the directories src/ reads outside itself (views and locales today)', () => {
    expect([...directoriesReadBesideSrc()].sort()).to.include.members(['locales', 'views']);
  });

  it('copies each of them into the runtime stage', () => {
    const copied = copiedIntoRuntime();
    for (const directory of directoriesReadBesideSrc()) expect(copied.has(directory), `COPY ${directory} ./${directory}`).to.equal(true);
  });
});
