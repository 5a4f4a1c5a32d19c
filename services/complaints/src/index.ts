export { createServer, SERVICE_NAME } from './server';
export { migrations } from './db/migrations';
export { sdl } from './schema';
