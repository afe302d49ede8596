/**
 * `cri`: the CRI log format of containerd, CRI-O and the kubelet, `2026-03-07T09:00:01.123456789Z stdout F content`
 * (/var/log/containers/*.log, /var/log/pods/...). Decodes: the parsers after it read the content
 * (`parsers: [cri(), json()]`); the record gets the runtime's time when its content has none, and
 * the fields `stream` and `kubernetes` (from the file name). A `P` (partial) line that reaches it
 * alone, not joined by the tail's multiline mode, is a record of its own tagged `_partial`.
 */
import { decoderPlugin } from "./_decoder-plugin.ts";

export const cri = decoderPlugin("cri", "Decodes CRI (containerd, CRI-O, kubelet) lines; the parsers after it read the content", "cri");

/** `container`: docker or cri, told apart per line by its first character (`{` is Docker's). */
export const container = decoderPlugin("container", "Decodes Docker json-file or CRI lines, whichever each line is; the parsers after it read the content", undefined);
