export { rotatingFile, rotatingFileSchema, type RotatingFileOptions } from "./rotating-file.ts";
