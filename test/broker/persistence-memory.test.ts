import { MemoryPersistence } from '../../src/broker/index.ts';
import { persistenceContract } from './persistence-contract.ts';

// Reopening a MemoryPersistence means reusing the instance (a Broker restart in one process).
persistenceContract('MemoryPersistence', {
  create: async () => new MemoryPersistence(),
  reopen: async (p) => p,
});
