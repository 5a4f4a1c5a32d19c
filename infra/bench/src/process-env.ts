// Imported first by main.ts, before graphql and Apollo load: they read these when they load or
// when the gateway is constructed.

// The images run with NODE_ENV=production (see the Dockerfiles); graphql-js runs extra
// development-mode checks otherwise. Set NODE_ENV yourself to measure something else.
process.env.NODE_ENV ??= 'production';

// @apollo/gateway reports usage to Apollo unless told not to: at construction it runs cloud
// resource detectors (HTTP requests to the AWS/GCP/Azure/Alibaba metadata addresses) and sets up
// an OTLP exporter to usage-reporting.api.apollographql.com, which also sends when the gateway
// stops. The bench talks to 127.0.0.1 only.
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

export const NODE_ENV = process.env.NODE_ENV;
