export {};
/**
 * `npm run bench -- <name> [options]`: runs one benchmark. Speed targets live
 * here, never in timed unit tests.
 */
const benches: Record<string, () => Promise<{ main(args: string[]): Promise<void> }>> = {
  nlu: () => import('./nlu.js'),
  'nlu-snapshot': () => import('./nluSnapshot.js'),
  socket: () => import('./socket.js'),
};

const [benchName, ...args] = process.argv.slice(2);
const load = benchName ? benches[benchName] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]`);
  process.exit(2);
}
await (await load()).main(args);
