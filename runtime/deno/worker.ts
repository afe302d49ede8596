/** The parallel-parsing worker on Deno: a Web Worker (see core/parallel). */
import { serveWorker } from "../../core/parallel/worker-loop.ts";
import { preloadThreadPlugins, threadPluginCandidates } from "../../plugins/threads.ts";
import { webParentPort } from "../shared/web-worker.ts";
import { runtime } from "./runtime.ts";

serveWorker(webParentPort(), runtime, threadPluginCandidates, preloadThreadPlugins);
