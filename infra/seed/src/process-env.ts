// Imported first by main.ts, before graphql and Apollo load: they read these when they load.
// As the images run (graphql-js skips its development-mode checks) …
process.env.NODE_ENV ??= 'production';
// … and without @apollo/gateway's usage reporting (no requests to cloud metadata addresses).
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

export {};
