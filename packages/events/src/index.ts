export * from './bus';
export * from './catalogue';
export * from './envelope';
export * from './in-process.bus';
export * from './inbox';
export * from './kafka.bus';
export * from './outbox';
export * from './outbox.relay';
