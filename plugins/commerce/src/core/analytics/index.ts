/** Pure analytics core: the event vocabulary, beacon rules and KPI definitions. No I/O. */

export * from './events.ts';
export * from './kpis.ts';
