export { journal, journalSchema, cursorOf, type JournalOptions } from "./journal.ts";
