// throwaway: drive a served store and print memory per stage
import { readFileSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { load, request } from './lib/load.mjs';
const [base, pid, dbPath, rounds = '4'] = process.argv.slice(2);
const H = { 'content-type': 'application/json' };
const ADDRESS = { first_name: 'B', last_name: 'M', address_1: '1 Loop Rd', city: 'F', postal_code: '21532', country_code: 'us' };
async function api(method, path, body) {
  const res = await request(undefined, { url: `${base}/store${path}`, method, headers: H, body: body && JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body);
}
function mem(label) {
  const s = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const f = (k) => Math.round(Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0) / 1024);
  console.log(`${label.padEnd(28)} Rss ${f('Rss')} anon ${f('Anonymous')} file ${f('Rss') - f('Anonymous')} MB`);
}
const db = new SQLite(dbPath); db.prepare('update inventory_level set stocked_quantity = 1000000').run(); db.close();
const { products } = await api('GET', '/products?limit=1');
const variantId = products[0].variants[0].id;
mem('start');
for (const path of ['/bench-hello', '/store/products?limit=12', '/store/products?limit=12&q=fleece'])
  await load({ concurrency: 16, seconds: 3, next: () => ({ url: `${base}${path}` }) });
mem('after list/search');
for (let r = 0; r < Number(rounds); r++) {
  const ids = []; let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < 400) { const n = next++;
    const { cart } = await api('POST', '/carts', { items: [{ variant_id: variantId, quantity: 1 }] });
    await api('POST', `/carts/${cart.id}`, { email: `b${n}@example.com`, shipping_address: ADDRESS });
    const { shipping_options } = await api('GET', `/shipping-options/${cart.id}`);
    await api('POST', `/carts/${cart.id}/shipping-methods`, { option_id: shipping_options[0].id });
    await api('POST', `/carts/${cart.id}/payment-sessions`, {});
    await api('POST', `/carts/${cart.id}/payment-session`, { provider_id: 'test' });
    ids.push(cart.id); } }));
  mem(`round ${r} prepared 400`);
  let i = 0;
  const run = await load({ concurrency: 16, seconds: 60, next: () => (i < ids.length ? { url: `${base}/store/carts/${ids[i++]}/complete`, method: 'POST', headers: H, body: '{}' } : null) });
  mem(`round ${r} completed ${run.requests}`);
}
const h = await (await fetch(`${base}/store/health?full=1`)).json();
console.log(JSON.stringify(h.process ?? h, null, 0).slice(0, 800));
