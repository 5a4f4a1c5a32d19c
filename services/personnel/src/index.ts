export { createServer, SERVICE_NAME, PUBLISHED_TOPICS, type PersonnelServerOptions } from './server';
export { migrations } from './db/migrations';
export { sdl } from './schema';
