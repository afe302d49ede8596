/**
 * Kubernetes metadata in the names of the files the kubelet's runtime writes:
 *   /var/log/containers/<pod>_<namespace>_<container>-<64 hex container id>.log (symlinks), and
 *   /var/log/pods/<namespace>_<pod>_<pod uid>/<container>/<restart count>.log (their targets;
 *   rotated ones have a date after `.log`).
 * Names are DNS labels (pods: subdomains), so `_` only ever separates them.
 */

export interface Kubernetes {
  namespace: string;
  pod: string;
  container: string;
  /** In /var/log/containers names. */
  container_id?: string;
  /** In /var/log/pods paths. */
  pod_uid?: string;
  restart_count?: number;
}

const LABEL = "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?";
const SUBDOMAIN = "[a-z0-9](?:[-.a-z0-9]*[a-z0-9])?";
const CONTAINERS = new RegExp(`^(${SUBDOMAIN})_(${LABEL})_(${LABEL})-([0-9a-f]{64})\\.log$`);
const PODS = new RegExp(`(?:^|/)(${LABEL})_(${SUBDOMAIN})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/(${LABEL})/(\\d+)\\.log(?:\\.[^/]*)?$`);

/**
 * The pod, namespace, container (and container id or pod uid) a log file's path names, or undefined.
 *
 * @example
 * kubernetesOf("/var/log/containers/web-7d4b9c-x2x8v_shop_nginx-" + "0".repeat(64) + ".log");
 * // { namespace: "shop", pod: "web-7d4b9c-x2x8v", container: "nginx", container_id: "000...0" }
 */
export function kubernetesOf(path: string): Kubernetes | undefined {
  const file = path.slice(path.lastIndexOf("/") + 1);
  let m = CONTAINERS.exec(file);
  if (m) return { namespace: m[2]!, pod: m[1]!, container: m[3]!, container_id: m[4]! };
  if (path.length < 512 && (m = PODS.exec(path))) return { namespace: m[1]!, pod: m[2]!, container: m[4]!, pod_uid: m[3]!, restart_count: Number(m[5]) };
  return undefined;
}
