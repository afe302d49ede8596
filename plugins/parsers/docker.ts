/**
 * `docker`: Docker's json-file log driver, `{"log":"content\n","stream":"stdout","time":"2026-03-07T09:00:01.123456789Z"}`
 * (/var/lib/docker/containers/<id>/<id>-json.log, and /var/log/containers on Docker-based Kubernetes nodes).
 * Decodes: the parsers after it read the content (`parsers: [docker(), json()]`); the record gets
 * the runtime's time when its content has none, and the fields `stream`, `attrs` (labels and env
 * chosen with --log-opt) and `kubernetes` (from the file name, see _kubernetes.ts).
 */
import { decoderPlugin } from "./_decoder-plugin.ts";

export const docker = decoderPlugin("docker", "Decodes Docker json-file lines; the parsers after it read the content", "docker");
