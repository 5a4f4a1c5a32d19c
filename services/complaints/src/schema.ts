import { readSchemaFile } from '@huanjie/platform';

/** The subgraph SDL, the source of truth for this service's part of the graph. */
export const sdl = readSchemaFile(__dirname);
