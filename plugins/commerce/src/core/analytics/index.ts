/** Pure analytics core: the event vocabulary, beacon rules, KPI definitions, reporting days and rollup figures. No I/O. */

export * from './days.ts';
export * from './events.ts';
export * from './kpis.ts';
export * from './rollup.ts';
