/** The most worker threads a pipeline takes (`workers` in the config, `collect --workers`). */
export const MAX_WORKERS = 64;
