/** Pure order core: Medusa v1's three order status fields and the state machine between them. No I/O. */

export * from './order-states.ts';
export * from './order-timeline.ts';
export * from './order-transitions.ts';
