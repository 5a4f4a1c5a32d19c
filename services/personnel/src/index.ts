export { createServer, SERVICE_NAME, PUBLISHED_TOPICS, type PersonnelServerOptions } from './server';
export { migrations } from './db/migrations';
export { sdl } from './schema';
export type { ImportLine } from './import/import.route';
