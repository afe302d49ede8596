export { MAX_BACKUPS, rotatingFile, rotatingFileSchema, type RotatingFileOptions } from "./rotating-file.ts";
