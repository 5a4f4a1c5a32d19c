export * from './service';
export * from './standalone';
