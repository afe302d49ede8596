/** The parallel-parsing worker on Node: a worker_threads thread (see core/parallel). */
import { serveWorker } from "../../core/parallel/worker-loop.ts";
import { preloadThreadPlugins, threadPluginCandidates } from "../../plugins/threads.ts";
import { runtime } from "./runtime.ts";
import { nodeParentPort } from "./worker-port.ts";

serveWorker(nodeParentPort(), runtime, threadPluginCandidates, preloadThreadPlugins);
