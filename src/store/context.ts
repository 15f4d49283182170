/** What every store operation needs: the engine, the change bus and the clock. */
import type { ChangeBus } from './change-bus.js';
import type { Engine } from './engine.js';

export interface StoreContext {
  engine: Engine;
  bus: ChangeBus;
  now(): number;
}
