import { buildBenchSite, createBenchSite } from './lib/bench-site.mjs';
const dir = createBenchSite(process.cwd(), Number(process.argv[2] ?? 1000));
console.log(JSON.stringify(buildBenchSite(dir, process.cwd()))); console.log('DIR', dir);
