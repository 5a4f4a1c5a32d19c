export { startStack, type RunningStack, type StackOptions } from './stack';
export { seedDemoData, graphqlClient } from './seed';
export { DEMO_PEOPLE, DEMO_UNITS, demoIdNumber } from './demo-data';
export { startEmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres';
