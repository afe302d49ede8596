/**
 * zod parse options for a value parsed once (a config, a plugin's options in a worker thread): no
 * compiled fast path. zod generates one with `new Function` at an object schema's first parse, which
 * costs more than it saves for one parse: 10-15 ms of a Bun start (profiled).
 */
export const ONCE = { jitless: true } as const;
