/**
 * @module The console's typed client for the Omnis HTTP API: one fetch wrapper, resource types, and a
 * TanStack Query hook per read and write.
 */
export * from './client';
export * from './types';
export * from './query-keys';
export * from './list';
export * from './auth';
export * from './users';
export * from './channels';
export * from './api-keys';
export * from './webhooks';
export * from './audit';
export * from './realtime';
