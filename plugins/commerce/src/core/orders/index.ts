/** Pure order core: Medusa v1's three order status fields, the state machine between them, and the order model. No I/O. */

export * from './order-model.ts';
export * from './order-states.ts';
export * from './order-timeline.ts';
export * from './order-transitions.ts';
