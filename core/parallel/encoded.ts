/**
 * A batch a worker encoded for one sink: the bytes and how many records they hold. It goes through
 * the sink's buffer (SinkWorker) in place of the records array, and counts as `length` records there.
 */
export class EncodedRecords {
  constructor(
    readonly bytes: Uint8Array,
    readonly length: number,
    /** Called once the sink has written the bytes (its `writeEncoded` returned or resolved): they may go. */
    readonly written?: () => void,
  ) {}
}
