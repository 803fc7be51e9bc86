/**
 * The server serves client/<app>/dist as built: a missing or stale build would
 * test old code, so the browser tests of the desk and the reports page check
 * first that the build is newer than every source file.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function assertAppBuilt(app: 'desk' | 'reports'): void {
  const dir = fileURLToPath(new URL(`../../client/${app}/`, import.meta.url));
  const built = join(dir, 'dist', 'index.html');
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build:${app}\` first`);
  const builtAt = statSync(built).mtimeMs;
  const newer = readdirSync(join(dir, 'src')).filter((f) => statSync(join(dir, 'src', f)).mtimeMs > builtAt);
  if (newer.length > 0) throw new Error(`${app} build is older than client/${app}/src/${newer[0]}: run \`npm run build:${app}\``);
}
